"""The ``whole_text`` built-in's renderer."""

from __future__ import annotations

from typing import TextIO

from claw._messages import Message, TextBlock
from claw._output import Renderer
from claw._providers import ModelResponse


class WholeText(Renderer):
    """Each assistant message's text once it is complete (a retried request's half-streamed text never
    shows)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def assistant(self, message: Message, response: ModelResponse) -> None:
        text = "".join(block.text for block in message.content if isinstance(block, TextBlock))
        if text:
            self.out.write(text + "\n")
            self.out.flush()
