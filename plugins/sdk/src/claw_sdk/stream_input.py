"""``--input-format stream-json``: NDJSON on stdin in Claude Code's shapes (claw-sdk's reader, answered
for every stream-json run through ``claw_stream_input``; the kernel keeps only the contract it calls,
:class:`claw.StreamJsonInput`).

Each user line is ``{"type": "user", "message": {"role": "user", "content": "text" | [blocks]}}``; each
message is one prompt turn of the same session, run in order as lines arrive, so a driver can write the
next message after reading the previous turn's ``result``. Blank lines are skipped. A line that is not
a message claw understands ends the run with one error naming its line number; turns already run stay
recorded. With ``--replay-user-messages`` each message is echoed on stdout before its turn. Control
messages are :class:`claw_sdk.control.ControlChannel`'s, which extends :class:`StreamReader`.

Idle between messages, the session is woken by notices (a background job or sub-agent ended), as Claude
Code wakes a headless stream-json session with stdin held open: the reader yields ``None`` and the frame
runs the woken turn (its assistant messages and ``result`` on stdout, no ``user`` message replayed: the
client sent none). Messages that come meanwhile wait for it; at the end of stdin the run ends without
waiting for more notices (``-p`` does not wait for background jobs either).
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any, TextIO

from claw import ClawError, ContentBlock, ImageBlock, LoopOptions, TextBlock
from pydantic import ValidationError

#: A queued prompt: the user message as received, and the prompt it carries.
_Prompt = tuple[dict[str, Any], str | list[ContentBlock]]


class _Woken:
    """:meth:`StreamReader._next`'s answer when notices wake the idle session."""


#: Block types a prompt may carry (tool results and thinking belong to the model's side of a turn).
_PROMPT_BLOCKS = {"text": TextBlock, "image": ImageBlock}


def line_error(number: int, why: str) -> ClawError:
    return ClawError(f"stdin line {number}: {why}")


def parse_json(line: str, number: int) -> dict[str, Any]:
    """The JSON object one stdin line holds.

    :raises ClawError: ``stdin line N: ...`` when it is not JSON or not an object.
    """
    try:
        data: Any = json.loads(line)
    except ValueError as exc:
        raise line_error(number, f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise line_error(number, f"expected a JSON object, got {type(data).__name__}")
    return data


def parse_user(data: dict[str, Any], number: int) -> str | list[ContentBlock]:
    """The prompt a ``{"type": "user", ...}`` line carries: the text, or its content blocks.

    :raises ClawError: ``stdin line N: ...`` when it is not a valid user message.
    """

    def bad(why: str) -> ClawError:
        return line_error(number, why)

    message = data.get("message")
    if not isinstance(message, dict) or message.get("role", "user") != "user":
        raise bad('"message" must be an object with "role": "user" and "content"')
    content = message.get("content")
    if isinstance(content, str):
        return content
    if not isinstance(content, list) or not content:
        raise bad('"message.content" must be a string or a non-empty list of content blocks')
    blocks: list[ContentBlock] = []
    for i, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        model = _PROMPT_BLOCKS.get(kind) if isinstance(kind, str) else None
        if model is None:
            raise bad(f"content block {i}: type {json.dumps(kind)} is not allowed (text or image)")
        try:
            blocks.append(model.model_validate(block))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise bad(f"content block {i}: {where + ': ' if where else ''}{first['msg']}") from None
    return blocks


async def lines(stream: TextIO) -> AsyncIterator[tuple[int, str]]:
    """The non-blank lines of ``stream`` with their line numbers, as they arrive.

    Lines are read by a daemon thread, so a Ctrl-C or SIGTERM while waiting for input ends the run
    without waiting for stdin.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            try:
                for line in stream:
                    loop.call_soon_threadsafe(queue.put_nowait, line)
            except (OSError, ValueError):
                pass  # stdin closed under us: its end
            loop.call_soon_threadsafe(queue.put_nowait, None)
        except RuntimeError:  # the run ended first and its event loop is closed
            return

    threading.Thread(target=read, name="claw-stdin", daemon=True).start()
    number = 0
    while (line := await queue.get()) is not None:
        number += 1
        if line.strip():
            yield number, line


class StreamReader:
    """One ``--input-format stream-json`` run's stdin (and the lines it writes to stdout): user messages
    become the session's prompts, in order, as they arrive; it meets :class:`claw.StreamJsonInput`.

    :class:`claw_sdk.control.ControlChannel` extends it with the control protocol: it overrides
    :meth:`control` (and :meth:`open`, :meth:`started`, :meth:`turn`, :meth:`ended` for what it does
    around the session).

    :param stdin: where the client's lines come from.
    :param out: stdout (shared with the stream-json renderer: every write is one whole line).
    :param replay: ``--replay-user-messages``: echo each user message before its turn runs.
    """

    def __init__(self, stdin: TextIO, out: TextIO, *, replay: bool = False) -> None:
        self.stdin = stdin
        self.out = out
        self.replay = replay
        #: The session (a started ``AgentLoop``), set once :meth:`prompts` is iterated.
        self.loop: Any = None
        #: The first message on stdin, once it has come (see :meth:`open`).
        self.opening: dict[str, Any] | None = None
        self._first = asyncio.Event()
        self._inbox: asyncio.Queue[_Prompt | ClawError | None] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None

    async def open(self, options: LoopOptions) -> None:
        """Start reading stdin and wait for the first message (:attr:`opening`), before the session
        starts; a subclass may configure ``options`` from it."""
        self._reader = asyncio.create_task(self._read())
        await self._first.wait()

    async def prompts(self, loop: Any) -> AsyncIterator[str | list[ContentBlock] | None]:
        """The prompts for ``loop`` (a started agent loop), in order; ``None`` when, idle, notices wake
        the session (the frame runs them: ``AgentLoop.run_notices``).

        :raises ClawError: ``stdin line N: ...`` for a line that is not a message claw understands,
            after the prompts before it have run.
        """
        self.loop = loop
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())
        self.started()
        try:
            while (item := await self._next()) is not None:
                if isinstance(item, _Woken):
                    yield None
                    continue
                if isinstance(item, ClawError):
                    raise item
                data, prompt = item
                self.turn(data)
                yield prompt
        finally:
            self._reader.cancel()

    async def _next(self) -> _Prompt | ClawError | _Woken | None:
        """The next item of the inbox, or a :class:`_Woken` when notices come first (a message that has
        come already goes first: the notices are told with it)."""
        if not self._inbox.empty():
            return self._inbox.get_nowait()
        item = asyncio.ensure_future(self._inbox.get())
        woken = asyncio.ensure_future(self.loop.ctx.wait_notices())
        try:
            await asyncio.wait((item, woken), return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            if not item.done():
                item.cancel()  # a cancelled Queue.get takes nothing: a message stays in the inbox
        return item.result() if item.done() else _Woken()

    def started(self) -> None:
        """Called once the session has started (:attr:`loop` is set), before the first prompt."""

    def ended(self) -> None:
        """Called once stdin has ended (no more messages will come)."""

    def turn(self, data: dict[str, Any]) -> None:
        """Called as the turn of user message ``data`` starts: echoes it with ``--replay-user-messages``."""
        if self.replay:
            self._echo(data)

    def control(self, data: dict[str, Any], number: int) -> None:
        """A line (``data``, line ``number``) that is not a user message: here an error ending the run
        (the subclass takes the control protocol's messages and leaves the rest to this).

        :raises ClawError: ``stdin line N: ...``.
        """
        raise line_error(
            number,
            f'expected a {{"type": "user", "message": ...}} object or a control message, '
            f"got {json.dumps(data.get('type'))}",
        )

    async def _read(self) -> None:
        try:
            async for number, line in lines(self.stdin):
                try:
                    data = parse_json(line, number)
                    if not self._first.is_set():
                        self.opening = data
                    self._dispatch(data, number)
                except ClawError as exc:
                    self._inbox.put_nowait(exc)
                self._first.set()
        finally:
            self._first.set()
            self._inbox.put_nowait(None)
            self.ended()

    def _dispatch(self, data: dict[str, Any], number: int) -> None:
        if data.get("type") == "user":
            self._inbox.put_nowait((data, parse_user(data, number)))
        else:
            self.control(data, number)

    def _echo(self, data: dict[str, Any]) -> None:
        """Claude Code's replay of a user message: as received, with the session's ids."""
        session = self.loop.session
        self.write(
            {
                "type": "user",
                "message": data.get("message"),
                "session_id": session.id if session is not None else "",
                "parent_tool_use_id": data.get("parent_tool_use_id"),
                "uuid": data.get("uuid") or str(uuid.uuid4()),
                "isReplay": True,
            }
        )

    def write(self, data: dict[str, Any]) -> None:
        """One line of JSON on stdout."""
        self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.out.flush()
