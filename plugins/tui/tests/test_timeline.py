"""``claw timeline`` (pretty) drawn by claw-tui's renderer, the one the transcript view uses; and the
hooks' fallbacks when the UI cannot run."""

from __future__ import annotations

from typing import Any

from claw.testing.script import Reply, Text, Thinking, ToolCall
from claw_tui import plugin, render


def test_timeline_pretty_uses_the_transcript_renderer(claw: Any, make_tui: Any, scripted: Any) -> None:
    scripted.script(
        Reply(Thinking("hmm"), ToolCall("Echo", {"text": "ping"})),
        Reply(Text("# Title\n\nSome **bold** words \x1b[31mno escapes\x1b[0m.")),
    )
    claw("-p", "--model", "scripted/default", "go").assert_success()
    out = claw("timeline").assert_success().stdout
    assert "> go" in out
    assert "● Echo(ping)  ok" in out
    assert "Title" in out and "# Title" not in out and "**bold**" not in out
    assert "hmm" in out and "\x1b" not in out
    json_out = claw("timeline", "--format", "json").assert_success().stdout
    assert json_out.lstrip().startswith("{")  # programs' formats are the kernel's, untouched


def text(value: str) -> dict[str, str]:
    return {"type": "text", "text": value}


def test_task_notifications_are_drawn_as_what_ended_not_as_typed_markup() -> None:
    notice = (
        "<task-notification>\n<task-id>bash_1</task-id>\n<status>failed</status>\n"
        "<summary>Background command &quot;x&quot; &lt;3 failed with exit code 3</summary>\n"
        '</task-notification>\nRead its output with BashOutput (bash_id "bash_1").'
    )
    events = [  # a prompt the notice joined between turns, then a turn the idle UI started for one
        {"type": "user", "message": {"role": "user", "content": [text("go on"), text(notice)]}},
        {"type": "user", "message": {"role": "user", "content": [text(notice)]}},
    ]
    ended = '⚑ Background command "x" <3 failed with exit code 3'
    assert [line.plain for line in render.transcript(events)] == ["> go on", ended, ended]


def test_ui_declines_off_a_terminal(monkeypatch: Any) -> None:
    """Piped stdin (the tests' own) or TERM=dumb: the line REPL keeps interactive mode."""
    assert plugin.usable_terminal({"TERM": "xterm-256color"}) is False  # stdin is not a terminal here
    assert plugin.usable_terminal({"TERM": "dumb"}) is False
    assert plugin.claw_interactive(context=None, options=None, initial=None) is None
