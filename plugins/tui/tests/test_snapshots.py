"""Snapshots (pytest-textual-snapshot) of the main screens in each theme, 80x24: the welcome screen, an
answered prompt (heading, list, code block, thinking), the permission dialog, and NO_COLOR.

After a deliberate change of look, review the new pictures and accept them with
``uv run pytest plugins/tui/tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from claw.testing.script import Reply, Text, Thinking, ToolCall
from claw_tui.widgets import Prompt

BLINK_SECONDS = 0.5  # Textual's cursor blink interval
ANSWER = "## Plan\n\n- read the **tests**\n- fix `parse()`\n\n```python\ndef parse(s):\n    return s.split()\n```\n"


async def steady_cursor(pilot: Any) -> None:
    """Show the prompt's cursor and stop it blinking, so the picture does not depend on how long
    start-up or the turn took on a loaded machine.

    Focusing the prompt afresh starts its blink in the visible phase; the blink timer is then paused
    (the widget's ``cursor_blink = False`` would not do: Textual's line cache then keeps whichever phase
    it drew last). Tried again if the machine was so slow that half a second passed in between."""
    prompt = pilot.app.query_one(Prompt)
    for _ in range(10):
        prompt.blur()
        await pilot.pause()
        started = time.monotonic()
        prompt.focus()
        await pilot.pause()
        prompt.blink_timer.pause()
        if time.monotonic() - started < BLINK_SECONDS:
            return


async def answered(pilot: Any) -> None:
    app = pilot.app
    await app.ready.wait()
    app.query_one(Prompt).reset("what next?")
    await pilot.press("enter")
    await pilot.pause()
    await app.turn
    await pilot.pause(0.2)
    await steady_cursor(pilot)


async def asking(pilot: Any) -> None:
    app = pilot.app
    await app.ready.wait()
    app.query_one(Prompt).reset("touch it")
    await pilot.press("enter")
    for _ in range(200):
        if app.screen.__class__.__name__ == "PermissionDialog":
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)


async def started(pilot: Any) -> None:
    await pilot.app.ready.wait()
    await steady_cursor(pilot)


def test_welcome(snap_compare: Any, make_tui: Any) -> None:
    assert snap_compare(make_tui(), run_before=started)


@pytest.mark.parametrize("theme", ["dark", "light", "high-contrast"])
def test_answer_in_each_theme(
    snap_compare: Any, make_tui: Any, scripted: Any, monkeypatch: Any, theme: str
) -> None:
    monkeypatch.setenv("CLAW_THEME", theme)
    scripted.script(Reply(Thinking("considering"), Text(ANSWER)))
    assert snap_compare(make_tui(), run_before=answered)


def test_permission_dialog(snap_compare: Any, make_tui: Any, scripted: Any) -> None:
    scripted.script(Reply(ToolCall("Touch", {"name": "notes.txt"})), Reply(Text("done")))
    assert snap_compare(make_tui(), run_before=asking)


def test_no_color(snap_compare: Any, make_tui: Any, scripted: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    scripted.script(Reply(Text(ANSWER)))
    assert snap_compare(make_tui(), run_before=answered)
