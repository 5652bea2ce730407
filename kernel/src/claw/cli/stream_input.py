"""``--input-format stream-json``: NDJSON on stdin in Claude Code's shapes.

Each user line is ``{"type": "user", "message": {"role": "user", "content": "text" | [blocks]}}``; each
message is one prompt turn of the same session, run in order as lines arrive, so a driver can write the
next message after reading the previous turn's ``result``. Blank lines are skipped. A line that is not
a message claw understands ends the run with one error naming its line number; turns already run stay
recorded. Control messages (``control_request``, ``control_response``) are handled by
:mod:`claw.cli.control` as they arrive, also while a turn runs.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from typing import Any, TextIO

from pydantic import ValidationError

from claw.errors import ClawError
from claw.messages import ContentBlock, ImageBlock, TextBlock

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
