"""Where the REPL's lines come from: a line editor on a terminal, plain lines otherwise.

:func:`open_reader` picks :class:`~claw_repl.terminal_input.TerminalReader` (prompt_toolkit: editing,
history, completion) when stdin is a terminal and there is a terminal to draw on, else
:class:`PlainReader`; only the line editor gives up an empty prompt to wake the model
(:meth:`LineReader.wake`). Both refuse a line holding terminal control codes: without a line editor an
arrow key arrives as ``ESC [ A``, and such a line must never reach the model as a (paid) prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, TextIO

import claw

#: C0 controls but tab and newline, DEL, and the C1 range (``\x9b`` is a one-byte CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

CONTROL_NOTICE = (
    "the line holds terminal control codes (an arrow or function key without line editing?); "
    "it was not sent, type it again"
)


def has_control(line: str) -> bool:
    """Whether ``line`` holds an escape sequence or another control character."""
    return _CONTROL.search(line) is not None


class Interrupted(Exception):
    """Ctrl-C while a line was being read: the line is dropped and the caller asks again."""


class Woken(Exception):
    """The prompt was given up, still empty, for notices to tell the model (:meth:`LineReader.wake`)."""


class LineReader(Protocol):
    async def read(self, prompt: str, *, history: bool = False) -> str | None:
        """The next line (without its newline), ``None`` at end of input (Ctrl-D).

        ``history``: the line is a prompt, to remember and to recall with Up (answers to questions are
        not). :raises Interrupted: on Ctrl-C."""
        ...

    def interrupt(self) -> bool:
        """SIGINT arrived while no turn runs: drop the line being typed; ``False`` when input is not
        interactive (piped), where the session should end instead."""
        ...

    def remember(self, line: str) -> None:
        """Add a prompt that was not typed (``claw "PROMPT"``) to the history."""
        ...

    def wake(self) -> bool:
        """Give up the prompt being read, if nothing is typed on it, so the REPL can start a turn by
        itself (the read raises :class:`Woken`); says whether it did."""
        ...


def open_reader(history: Path, commands: Callable[[], Mapping[str, str]]) -> LineReader:
    """The reader for this process's stdin. ``history`` is the file prompts are kept in; ``commands``
    gives the slash command names (and descriptions) to complete with Tab."""
    screen = next((s for s in (sys.stderr, sys.stdout) if _isatty(s)), None)
    if _isatty(sys.stdin) and screen is not None:
        from claw_repl.terminal_input import TerminalReader

        return TerminalReader(screen, history, commands)
    return PlainReader(sys.stdin, sys.stderr)


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class PlainReader:
    """Lines as they come, prompts on ``err``. One line is read at a time, on a daemon thread so the event
    loop keeps running (and a thread blocked on input does not keep the process alive, as
    ``asyncio.to_thread`` would). A read given up (Ctrl-C, a stopped turn) leaves its line to the next
    read, so no typed line is lost to an abandoned thread."""

    def __init__(self, stream: TextIO, err: TextIO) -> None:
        self._stream = stream
        self._err = err
        self._interactive = _isatty(stream)
        self._line: asyncio.Future[str | None] | None = None
        self._interrupt: asyncio.Future[None] | None = None

    async def read(self, prompt: str, *, history: bool = False) -> str | None:
        while True:
            self._err.write(prompt)
            self._err.flush()
            line = await self._next_line()
            if line is None:
                self._err.write("\n")  # leave the terminal on a fresh line
                self._err.flush()
                return None
            if not has_control(line):
                return line
            claw.warn(CONTROL_NOTICE, once=False)

    def interrupt(self) -> bool:
        if not self._interactive:
            return False
        if self._interrupt is not None and not self._interrupt.done():
            self._interrupt.set_result(None)  # the terminal already discarded the typed characters
        return True

    def remember(self, line: str) -> None:
        """Plain input has no history."""

    def wake(self) -> bool:
        """Never: piped lines are a script written ahead, so a turn started in between would answer
        nobody and shift what the next line meant; the notices go with the next line instead."""
        return False

    async def _next_line(self) -> str | None:
        loop = asyncio.get_running_loop()
        if self._line is None:
            self._line = loop.create_future()
            threading.Thread(
                target=_read_into, args=(self._stream, loop, self._line), name="claw-repl-input", daemon=True
            ).start()
        interrupt = self._interrupt = loop.create_future()
        try:
            await asyncio.wait((self._line, interrupt), return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._interrupt = None
        if not self._line.done():
            self._err.write("\n")
            raise Interrupted
        line, self._line = self._line, None
        return line.result()


def _read_into(stream: TextIO, loop: asyncio.AbstractEventLoop, future: asyncio.Future[str | None]) -> None:
    def deliver(value: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    try:
        raw = stream.readline()
        result: tuple[str | None, BaseException | None] = (None if raw == "" else raw.rstrip("\r\n"), None)
    except Exception as exc:
        result = (None, exc)
    with contextlib.suppress(RuntimeError):  # the session ended (its loop closed) while the line was awaited
        loop.call_soon_threadsafe(deliver, *result)
