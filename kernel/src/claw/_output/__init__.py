"""What a run prints on stdout: the :class:`Renderer` the agent loop reports to.

The renderers of ``--output-format text|json|stream-json`` are the claw-output plugin's, asked for through
``claw_output_renderer``; the JSON the loop hands them is Claude Code's, built in :mod:`claw._output.shapes`.
Without a plugin that answers, ``text`` still prints each answer (whole, once complete: not streamed) and
the JSON formats stop the run with one line naming claw-output.
"""

from __future__ import annotations

from typing import Any, TextIO

from claw._errors import ClawError
from claw._messages import Message, TextBlock
from claw._providers import ModelResponse, StreamEvent


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


class _WholeText(Renderer):
    """``text`` with no renderer plugin: each assistant message's text once it is complete, so a run
    without claw-output still shows its answers (a retried request's half-streamed text never shows)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def assistant(self, data: dict[str, Any], message: Message, response: ModelResponse) -> None:
        text = "".join(block.text for block in message.content if isinstance(block, TextBlock))
        if text:
            self.out.write(text + "\n")
            self.out.flush()


def output_renderer(pm: Any, fmt: str, partial: bool, out: TextIO) -> Renderer:
    """The renderer of ``--output-format fmt`` writing to ``out``: the first plugin's answer to
    ``claw_output_renderer`` (claw-output's answers last), else for ``text`` the whole-message fallback.

    :raises ClawError: another format and no plugin renders it.
    """
    renderer = pm.hook.claw_output_renderer(format=fmt, partial=partial, out=out)
    if renderer is not None:
        return renderer
    if fmt == "text":
        return _WholeText(out)
    raise ClawError(
        f"--output-format {fmt} needs claw-output, which is not installed or is disabled (pip install claw-output)"
    )
