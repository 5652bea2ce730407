"""The UI driven by Textual's Pilot against the scripted model: real agent loop, real session files."""

from __future__ import annotations

import asyncio
import functools
import io
from collections.abc import Awaitable, Callable
from typing import Any

from claw.testing.script import Reply, Text, Thinking
from claw_tui.widgets import Prompt, StreamingMarkdown
from claw_tui.widgets import ToolCall as ToolCallView
from rich.console import Console

SIZE = (100, 40)


def drive(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an ``async def`` test on a fresh event loop (the suite has no async plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(asyncio.wait_for(test(*args, **kwargs), 60))

    return run


async def ready(app: Any, pilot: Any) -> None:
    await app.ready.wait()
    await pilot.pause()


async def send(pilot: Any, app: Any, text: str) -> None:
    prompt = app.query_one(Prompt)
    prompt.reset(text)
    await pilot.press("enter")
    await pilot.pause()
    if app.turn is not None:
        await app.turn
    await pilot.pause(0.1)


def shown(app: Any) -> str:
    """The conversation's text as drawn (each widget's content rendered by Rich, plain)."""
    console = Console(width=SIZE[0], record=True, file=io.StringIO(), color_system=None)
    for widget in app.query("#conversation Static"):
        content = widget.render() if isinstance(widget, ToolCallView) else widget.content
        console.print(content)
    return console.export_text()


@drive
async def test_prompt_streams_markdown_answer(make_tui: Any, scripted: Any) -> None:
    scripted.script(
        Reply(Thinking("let me see"), Text("# Result\n\nSome **bold** text.\n\n```python\nx = 1\n```\n"))
    )
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await send(pilot, app, "hello there")
        answer = app.query_one(StreamingMarkdown)
        assert answer.text.startswith("# Result")
        text = shown(app)
        assert "hello there" in text
        assert "x = 1" in text
    assert scripted.requests[0]["messages"][0]["content"][0]["text"] == "hello there"
