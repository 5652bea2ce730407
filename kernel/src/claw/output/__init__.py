"""What a run prints on stdout: ``--output-format text|json|stream-json``.

The agent loop reports to a :class:`Renderer`; the three formats are three renderers. The JSON shapes
are Claude Code's (``claude -p --output-format json|stream-json``), built in :mod:`claw.output.shapes`,
so tools that parse Claude Code's output can parse claw's. Only the requested output goes to stdout;
diagnostics go to stderr.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from claw.messages import Message
from claw.providers import ModelResponse, StreamEvent, TextDelta

FORMATS = ("text", "json", "stream-json")


class Renderer:
    """Receives what happens during a run. The base class ignores everything."""

    def system(self, data: dict[str, Any]) -> None:
        """A ``system`` message: ``init`` at the start, ``api_retry`` on each retry, ``compact_boundary``."""

    def stream_event(self, event: StreamEvent) -> None:
        """A piece of the answer as it streams."""

    def assistant(self, data: dict[str, Any], message: Message, response: ModelResponse) -> None:
        """A complete assistant message (``data`` is its Claude Code shape)."""

    def user(self, data: dict[str, Any], message: Message) -> None:
        """Tool results going back to the model."""

    def result(self, data: dict[str, Any]) -> None:
        """The run's result object (the last thing printed)."""


class TextRenderer(Renderer):
    """``text``: the answer's text streamed as it arrives, then a newline."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._open = False

    def stream_event(self, event: StreamEvent) -> None:
        if isinstance(event, TextDelta) and event.text:
            self.out.write(event.text)
            self.out.flush()
            self._open = True

    def assistant(self, data: dict[str, Any], message: Message, response: ModelResponse) -> None:
        if self._open:  # separate one message's text from the next
            self.out.write("\n")
            self.out.flush()
            self._open = False


class JsonRenderer(Renderer):
    """``json``: one result object, printed at the end."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def result(self, data: dict[str, Any]) -> None:
        self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.out.flush()


class StreamJsonRenderer(Renderer):
    """``stream-json``: one JSON object per line as things happen (``--verbose`` required with ``-p``).

    :param partial: also print ``stream_event`` lines for each delta (``--include-partial-messages``).
    """

    def __init__(self, session_id: str = "", out: TextIO | None = None, partial: bool = False) -> None:
        self.out = out or sys.stdout
        self.partial = partial
        self.session_id = session_id

    def _line(self, data: dict[str, Any]) -> None:
        self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.out.flush()

    def system(self, data: dict[str, Any]) -> None:
        self._line(data)

    def stream_event(self, event: StreamEvent) -> None:
        if self.partial:
            from claw.output.shapes import stream_event

            self._line(stream_event(event, self.session_id))

    def assistant(self, data: dict[str, Any], message: Message, response: ModelResponse) -> None:
        self._line(data)

    def user(self, data: dict[str, Any], message: Message) -> None:
        self._line(data)

    def result(self, data: dict[str, Any]) -> None:
        self._line(data)


def make_renderer(fmt: str, *, partial: bool = False) -> Renderer:
    if fmt == "json":
        return JsonRenderer()
    if fmt == "stream-json":
        return StreamJsonRenderer(partial=partial)
    return TextRenderer()
