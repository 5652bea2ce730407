"""What a run prints on stdout: ``--output-format text|json|stream-json``.

The agent loop reports to a :class:`Renderer`; the three formats are three renderers. The JSON shapes
are Claude Code's (``claude -p --output-format json|stream-json``), built in :mod:`claw._output.shapes`,
so tools that parse Claude Code's output can parse claw's. Only the requested output goes to stdout;
diagnostics go to stderr.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from claw._messages import Message
from claw._providers import ModelResponse, StreamEvent, TextDelta
from claw._text import dumps

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
    """``text``: the answer's text streamed as it arrives, then a newline.

    A retried request streams its answer again from the start. Piped or redirected, the text already
    printed is not printed twice: the new attempt's text is held back while it repeats what is shown
    and only the rest is printed (if the new attempt goes differently, it starts on a fresh line).
    On a terminal, where the retry notice on stderr interrupts the line anyway, the new attempt
    starts on a fresh line.
    """

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._open = False
        #: The current attempt's text so far, and what stdout shows of the message when a retry
        #: started (``None``: nothing to hold back).
        self._attempt = ""
        self._shown: str | None = None

    def stream_event(self, event: StreamEvent) -> None:
        if not (isinstance(event, TextDelta) and event.text):
            return
        self._attempt += event.text
        shown = self._shown
        if shown is None:
            self._write(event.text)
        elif not shown.startswith(self._attempt):  # past what is shown, or different
            self._shown = None
            same = self._attempt.startswith(shown)
            self._write(self._attempt[len(shown) :] if same else "\n" + self._attempt)

    def assistant(self, data: dict[str, Any], message: Message, response: ModelResponse) -> None:
        self._end_line()  # separate one message's text from the next
        self._attempt, self._shown = "", None

    def system(self, data: dict[str, Any]) -> None:
        if data.get("subtype") != "api_retry":
            return
        if _isatty(self.out):
            self._end_line()
            self._attempt, self._shown = "", None
        else:
            if self._shown is None:
                self._shown = self._attempt
            self._attempt = ""

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
        self._open = True

    def _end_line(self) -> None:
        if self._open:
            self.out.write("\n")
            self.out.flush()
            self._open = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class JsonRenderer(Renderer):
    """``json``: one result object, printed at the end."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def result(self, data: dict[str, Any]) -> None:
        self.out.write(dumps(data) + "\n")
        self.out.flush()


class StreamJsonRenderer(Renderer):
    """``stream-json``: one JSON object per line as things happen (``--verbose`` required with ``-p``).

    :param partial: also print ``stream_event`` lines for each delta (``--include-partial-messages``).
    """

    def __init__(self, session_id: str = "", out: TextIO | None = None, partial: bool = False) -> None:
        self.out = out or sys.stdout
        self.partial = partial
        self.session_id = session_id
        self._started: set[int] = set()

    def _line(self, data: dict[str, Any]) -> None:
        self.out.write(dumps(data) + "\n")
        self.out.flush()

    def system(self, data: dict[str, Any]) -> None:
        if data.get("subtype") == "api_retry":
            self._started.clear()  # the retried stream starts its blocks again
        self._line(data)

    def stream_event(self, event: StreamEvent) -> None:
        if self.partial:
            from claw._output.shapes import anthropic_events, stream_event

            for ev in anthropic_events(event, self._started):
                self._line(stream_event(ev, self.session_id))

    def assistant(self, data: dict[str, Any], message: Message, response: ModelResponse) -> None:
        if self.partial:
            from claw._output.shapes import stream_event

            for i in sorted(self._started):
                self._line(stream_event({"type": "content_block_stop", "index": i}, self.session_id))
            self._line(stream_event({"type": "message_stop"}, self.session_id))
            self._started.clear()
        self._line(data)

    def user(self, data: dict[str, Any], message: Message) -> None:
        self._line(data)

    def result(self, data: dict[str, Any]) -> None:
        self._line(data)


def make_renderer(fmt: str, *, partial: bool = False, out: TextIO | None = None) -> Renderer:
    """The renderer of ``--output-format fmt``, writing to ``out`` (default ``sys.stdout``)."""
    if fmt == "json":
        return JsonRenderer(out)
    if fmt == "stream-json":
        return StreamJsonRenderer(out=out, partial=partial)
    return TextRenderer(out)
