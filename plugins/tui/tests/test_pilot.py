"""The UI driven by Textual's Pilot against the scripted model: real agent loop, real session files."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import claw
import pytest
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall
from claw_tui.screens import AskDialog, PermissionDialog, Picker, TrustDialog
from claw_tui.widgets import Prompt, StreamingMarkdown
from claw_tui.widgets import Thinking as ThinkingView
from claw_tui.widgets import ToolCall as ToolCallView
from rich.console import Console
from textual.widgets import OptionList

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


async def type_prompt(pilot: Any, app: Any, text: str) -> None:
    app.query_one(Prompt).reset(text)
    await pilot.press("enter")
    await pilot.pause()


async def finish(pilot: Any, app: Any) -> None:
    if app.turn is not None:
        await app.turn
    await pilot.pause(0.1)


async def turn(pilot: Any, app: Any, text: str) -> None:
    """Type ``text`` at the prompt and wait until its turn has ended."""
    await type_prompt(pilot, app, text)
    await finish(pilot, app)


async def prompt_until(pilot: Any, app: Any, text: str, screen: type) -> None:
    """Type ``text`` at the prompt and wait until its turn puts a ``screen`` (a dialog) on top."""
    await type_prompt(pilot, app, text)
    await until(pilot, lambda: isinstance(app.screen, screen))


@contextlib.asynccontextmanager
async def running(
    make_tui: Any, size: tuple[int, int] = SIZE, **options: Any
) -> AsyncIterator[tuple[Any, Any]]:
    """``make_tui(**options)`` running on a test screen of ``size``, ready for input: ``(app, pilot)``."""
    app = make_tui(**options)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        yield app, pilot


async def until(pilot: Any, check: Callable[[], Any], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the UI never got there")


def shown(app: Any) -> str:
    """The conversation's text as drawn (each widget's content rendered by Rich, plain)."""
    console = Console(width=SIZE[0], record=True, file=io.StringIO(), color_system=None)
    for widget in app.query("#conversation Static"):
        console.print(widget.render() if isinstance(widget, ToolCallView) else widget.content)
    return console.export_text()


def session_events(app: Any) -> list[dict[str, Any]]:
    path = Path(app.loop.session.path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@drive
async def test_prompt_streams_markdown_with_thinking_collapsed(make_tui: Any, scripted: Any) -> None:
    scripted.script(
        Reply(Thinking("let me see"), Text("# Result\n\nSome **bold** text.\n\n```python\nx = 1\n```\n"))
    )
    async with running(make_tui) as (app, pilot):
        await turn(pilot, app, "hello there")
        assert app.query_one(StreamingMarkdown).text.startswith("# Result")
        text = shown(app)
        assert "> hello there" in text
        assert "Result" in text and "# Result" not in text  # drawn as a heading, not raw markdown
        assert "x = 1" in text and "```" not in text
        thought = app.query_one(ThinkingView)
        assert thought.collapsed and thought.text == "let me see"
        status = str(app.query_one("#status").content)
        assert "scripted/default" in status and "mode: default" in status and "sandbox off" in status
    assert scripted.requests[0]["messages"][0]["content"][0]["text"] == "hello there"


@drive
async def test_tool_call_line_expands_to_input_and_output(make_tui: Any, scripted: Any) -> None:
    scripted.script(Reply(ToolCall("Echo", {"text": "ping"})), Reply(Text("done")))
    async with running(make_tui) as (app, pilot):
        await turn(pilot, app, "echo something")
        call = app.query_one(ToolCallView)
        assert call.status == "ok" and call.seconds is not None
        assert "Echo(ping)" in shown(app) and "echo: ping" not in shown(app)
        await pilot.click(ToolCallView)
        await pilot.pause()
        assert call.expanded and "echo: ping" in shown(app)


@drive
async def test_permission_dialog_allow_always_saves_rule_to_chosen_file(
    make_tui: Any, scripted: Any, workspace: Path
) -> None:
    scripted.script(Reply(ToolCall("Touch", {"name": "b.txt"})), Reply(Text("ok")))
    async with running(make_tui) as (app, pilot):
        await prompt_until(pilot, app, "touch b", PermissionDialog)
        app.screen.query_one("#destination").value = "projectSettings"
        await pilot.press("a")
        await finish(pilot, app)
    assert (workspace / "b.txt").exists()
    saved = json.loads((workspace / ".claw" / "settings.json").read_text())
    assert saved["permissions"]["allow"] == ["Touch"]
    assert not (workspace / ".claw" / "settings.local.json").exists()


@drive
async def test_permission_dialog_deny_with_reason_tells_the_model(
    make_tui: Any, scripted: Any, workspace: Path
) -> None:
    scripted.script(Reply(ToolCall("Touch", {"name": "c.txt"})), Reply(Text("understood")))
    async with running(make_tui) as (app, pilot):
        await prompt_until(pilot, app, "touch c", PermissionDialog)
        await pilot.click("#reason")
        await pilot.press(*"not now")
        await pilot.press("enter")
        await finish(pilot, app)
        assert app.query_one(ToolCallView).status == "error"
    assert not (workspace / "c.txt").exists()
    result = scripted.requests[1]["messages"][-1]["content"][0]
    assert result["is_error"] and "not now" in json.dumps(result)


@drive
async def test_ask_user_dialog_answers_the_tool(make_tui: Any, scripted: Any) -> None:
    scripted.script(Reply(ToolCall("Quiz", {"q": "which colour?"})), Reply(Text("thanks")))
    async with running(make_tui) as (app, pilot):
        await prompt_until(pilot, app, "ask me", AskDialog)
        await pilot.press("down", "enter")  # the option list has focus: the second option
        await finish(pilot, app)
    assert "the user said blue" in json.dumps(scripted.requests[1]["messages"][-1])


@drive
async def test_esc_mid_stream_interrupts_and_the_session_resumes(make_tui: Any, scripted: Any) -> None:
    scripted.script(
        Fault(kind="stall", after_events=1, seconds=30, reply=Reply(Text("a long answer that stalls"))),
        Reply(Text("fresh answer")),
    )
    async with running(make_tui) as (app, pilot):
        await type_prompt(pilot, app, "tell me a story")
        await until(pilot, lambda: app.query(StreamingMarkdown))
        await pilot.press("escape")
        await finish(pilot, app)
        events = session_events(app)
        assert "interrupted" in [e["type"] for e in events]
        await turn(pilot, app, "again")
        assert "fresh answer" in shown(app)
        path = app.loop.session.path
    # the file a later run resumes from: the conversation continues where the interruption left it
    scripted.script(Reply(Text("resumed fine")))
    async with running(make_tui, resume=str(path)) as (again, pilot):
        assert "fresh answer" in shown(again)
        await turn(pilot, again, "still there?")
        assert "resumed fine" in shown(again)


@drive
async def test_resume_picker_continues_a_chosen_session(make_tui: Any, scripted: Any) -> None:
    import claw

    scripted.script(Reply(Text("first session answer")), Reply(Text("second answer")))
    async with running(make_tui) as (first, pilot):
        await turn(pilot, first, "remember the word pelican")
        session_id = first.loop.session.id
    app = make_tui(resume=claw.RESUME_PICK)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.press(*"pelican")
        await pilot.press("enter")
        await ready(app, pilot)
        assert app.loop.session.id != "" and "first session answer" in shown(app)
        await turn(pilot, app, "what word?")
    sent = scripted.requests[-1]["messages"]
    assert "pelican" in json.dumps(sent[0])
    assert session_id


@drive
async def test_history_recalled_across_two_runs_with_up_and_ctrl_r(make_tui: Any, scripted: Any) -> None:
    scripted.script(Reply(Text("one")), Reply(Text("two")))
    async with running(make_tui) as (app, pilot):
        for text in ("first prompt", "second prompt"):
            await turn(pilot, app, text)
    async with running(make_tui) as (again, pilot):
        prompt = again.query_one(Prompt)
        await pilot.press("up")
        assert prompt.text == "second prompt"
        await pilot.press("up")
        assert prompt.text == "first prompt"
        await pilot.press("down", "down")
        assert prompt.text == ""
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(again.screen, Picker))
        await pilot.press(*"fir", "enter")
        await pilot.pause()
        assert prompt.text == "first prompt"


@drive
async def test_shift_tab_cycles_modes_and_slash_commands_report(make_tui: Any, scripted: Any) -> None:
    async with running(make_tui) as (app, pilot):
        modes = []
        for _ in range(3):
            await pilot.press("shift+tab")
            modes.append(app.loop.permissions.mode)
        assert modes == ["workspace-write", "read-only", "prompt"]
        await turn(pilot, app, "/cost")
        await turn(pilot, app, "/status")
        await turn(pilot, app, "/help")
        await turn(pilot, app, "/theme light")
        text = shown(app)
        assert "Total cost" in text and "Permissions: prompt" in text and app.theme == "textual-light"
        assert "/compact" in text and "/resume" in text  # /help: the kernel's built-ins and the UI's
        await turn(pilot, app, "/nosuch")
        assert "unknown slash command /nosuch" in shown(app)


@drive
async def test_completion_of_commands_and_paths(make_tui: Any, scripted: Any, workspace: Path) -> None:
    (workspace / "src").mkdir()
    (workspace / "src" / "main.py").write_text("")
    async with running(make_tui) as (app, pilot):
        prompt = app.query_one(Prompt)
        prompt.reset("/sta")
        await pilot.press("tab")
        assert prompt.text == "/status "
        prompt.reset("look at @sr")
        await pilot.press("tab")
        assert prompt.text == "look at @src/"
        await pilot.press("tab")
        assert prompt.text == "look at @src/main.py "


@drive
async def test_shell_prefix_runs_a_command_in_the_workspace(
    make_tui: Any, scripted: Any, workspace: Path
) -> None:
    async with running(make_tui) as (app, pilot):
        await turn(pilot, app, "!echo hi > made-by-shell.txt; printf '\\033]0;title\\007done'")
        assert "done" in shown(app) and "\x1b" not in shown(app)
    assert (workspace / "made-by-shell.txt").read_text() == "hi\n"
    assert scripted.requests == []  # nothing went to the model


@drive
async def test_ctrl_c_twice_exits_and_closes_the_session(make_tui: Any, scripted: Any) -> None:
    async with running(make_tui) as (app, pilot):
        app.query_one(Prompt).reset("half typed")
        await pilot.press("ctrl+c")
        assert app.query_one(Prompt).text == ""
        await pilot.press("ctrl+c")
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_value == 0


@drive
async def test_megabyte_paste_is_collapsed_and_sent_whole(make_tui: Any, scripted: Any) -> None:
    from textual import events

    scripted.script(Reply(Text("got it")))
    pasted = ("0123456789" * 100 + "\n") * 1000  # 1,001,000 characters, 1000 lines
    async with running(make_tui) as (app, pilot):
        prompt = app.query_one(Prompt)
        prompt.insert("summarise ")
        prompt.post_message(events.Paste(pasted))
        await pilot.pause()
        assert len(prompt.text) < 100 and "[pasted text #1: 1001 lines" in prompt.text
        await pilot.press("enter")
        await finish(pilot, app)
    sent = scripted.requests[0]["messages"][0]["content"][0]["text"]
    assert sent == "summarise " + pasted.strip()


@drive
async def test_model_escape_sequences_and_broken_markdown_are_drawn_inert(
    make_tui: Any, scripted: Any
) -> None:
    nasty = "ok \x1b]2;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b2J [bold]literal[/bold]\n\n```python\nunclosed = 1\n| a |\n|--"
    scripted.script(Reply(Text(nasty)))
    async with running(make_tui) as (app, pilot):
        await turn(pilot, app, "be nasty")
        text = shown(app)
        screenshot = app.export_screenshot()
    assert "ok red" in text and "[bold]literal[/bold]" in text and "unclosed = 1" in text
    assert not any(c in text for c in "\x1b\x07\x9b") and "pwned" not in screenshot


@drive
async def test_tiny_terminal_says_so_and_recovers(make_tui: Any, scripted: Any) -> None:
    async with running(make_tui, size=(30, 6)) as (app, pilot):
        assert app.screen.has_class("-too-narrow", "-too-short")
        assert app.query_one("#too-small").styles.display == "block"
        assert app.query_one(Prompt).styles.display == "none"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("-too-narrow") and not app.screen.has_class("-too-short")
        assert app.query_one(Prompt).styles.display == "block"


@drive
async def test_warnings_on_stderr_become_notes_not_screen_garbage(make_tui: Any, scripted: Any) -> None:
    import claw

    async with running(make_tui) as (app, pilot):
        claw.warn("cannot open a browser here; open this URL yourself: http://127.0.0.1/auth", once=False)
        await pilot.pause(0.1)
        assert "open this URL yourself: http://127.0.0.1/auth" in shown(app)


def folder_with_hook(workspace: Path, marker: Path) -> None:
    """The workspace brings a SessionStart hook that touches ``marker``: it runs only once trusted."""
    touch = f'{sys.executable} -c "import pathlib,sys; pathlib.Path(sys.argv[1]).touch()"'
    hooks = {"SessionStart": [{"hooks": [{"type": "command", "command": f"{touch} {marker}"}]}]}
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"hooks": hooks}))


@pytest.mark.parametrize(
    ("key", "hook_ran", "remembered"), [("a", True, True), ("o", True, False), ("n", False, False)]
)
@drive
async def test_trust_dialog_for_a_folder_that_brings_a_hook(
    make_tui: Any, workspace: Path, tmp_path: Path, key: str, hook_ran: bool, remembered: bool
) -> None:
    marker = tmp_path / "hook-ran"
    folder_with_hook(workspace, marker)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrustDialog))
        dialog = app.screen
        assert isinstance(dialog, TrustDialog) and dialog.folder == workspace.resolve()
        assert [i for i in dialog.items if i.startswith("hook SessionStart: ")], dialog.items
        assert app.loop is None  # the session waits for the answer
        await pilot.press(key)
        await ready(app, pilot)
        assert marker.exists() is hook_ran
        assert ("untrusted folder" in shown(app)) is (key == "n")
        await app.action_leave()
    # "always" is remembered for the next start; "once" and "untrusted" ask again.
    assert claw.CommandContext.create(workspace=workspace).settings.trust.trusted is remembered


#: ``Spawn`` starts work in the background as claw-agents does: a tracked future (a background sub-agent)
#: and a detached command on the session's task backend; ``Halt`` ends both.
BACKGROUND_TOOLS = """
import asyncio
import claw
from claw import Tool, ToolResult, ToolSpec

GATE = []


class Spawn(Tool):
    spec = ToolSpec(name="Spawn", description="Start background work.", read_only=True,
                    input_schema={"type": "object", "properties": {}})

    async def run(self, input, ctx):
        GATE.append(asyncio.Event())
        ctx.session.track(GATE[-1].wait())
        spec = claw.TaskSpec(kind="command", text="sleep 60", parent_session_id=ctx.session_id)
        record = await ctx.session.task_backend().submit(spec)
        GATE.append(record.id)
        return ToolResult(content="started")


class Halt(Tool):
    spec = ToolSpec(name="Halt", description="End background work.", read_only=True,
                    input_schema={"type": "object", "properties": {}})

    async def run(self, input, ctx):
        GATE[0].set()
        await ctx.session.task_backend().stop(GATE[1])
        return ToolResult(content="halted")


@claw.hookimpl
def claw_register_tools(register):
    register(Spawn())
    register(Halt())
"""


def status_line(app: Any) -> str:
    return str(app.query_one("#status").content)


@drive
async def test_status_line_counts_background_work(make_tui: Any, scripted: Any, plugin_module: Any) -> None:
    plugin_module("tui_background_tools", BACKGROUND_TOOLS)
    scripted.script(
        Reply(ToolCall("Spawn", {})), Reply(Text("running")), Reply(ToolCall("Halt", {})), Reply(Text("ok"))
    )
    async with running(make_tui, size=(160, 40)) as (app, pilot):
        assert "background" not in status_line(app)
        await turn(pilot, app, "start something")
        # one background sub-agent (a tracked future) and one detached task
        await until(pilot, lambda: "│ 2 in background" in status_line(app))
        await turn(pilot, app, "stop it")
        await until(pilot, lambda: "background" not in status_line(app))


@drive
async def test_status_line_counts_a_subagent_kept_alive_for_its_job(
    make_tui: Any, scripted: Any, workspace: Path
) -> None:
    # A foreground sub-agent whose turn ends while its Bash job runs (claw-agents keeps it alive) counts
    # as background work after its answer, until the job's end wakes it and it ends.
    job = background_bash("wait", "while [ ! -f go ]; do sleep 0.05; done")
    scripted.script(
        Reply(ToolCall("Agent", {"description": "job runner", "prompt": "start the job"})),
        Reply(job),
        Reply(Text("the job runs")),  # the sub-agent's first answer: it is kept alive
        Reply(Text("delegated")),
        Reply(Text("the job ended")),  # woken by its job's end: its last answer
        Reply(Text("the helper is done")),  # the parent, woken by that answer
    )
    async with running(make_tui, size=(160, 40), allowed_tools=["Agent", "Bash"]) as (app, pilot):
        await turn(pilot, app, "delegate a job")
        await until(pilot, lambda: "│ 1 in background" in status_line(app))
        await pilot.pause(1.5)  # counted again while it lives on
        assert "│ 1 in background" in status_line(app) and len(scripted.requests) == 4
        (workspace / "go").touch()
        await until(pilot, lambda: len(scripted.requests) == 6)
        await finish(pilot, app)
        await until(pilot, lambda: "background" not in status_line(app))
        assert "the helper is done" in shown(app)


def background_bash(description: str, command: str) -> ToolCall:
    return ToolCall("Bash", {"command": command, "description": description, "run_in_background": True})


@drive
async def test_background_command_ending_while_idle_wakes_the_model(
    make_tui: Any, scripted: Any, workspace: Path
) -> None:
    # The command waits for the test's word, so the turn has surely ended first however loaded the machine.
    scripted.script(
        Reply(background_bash("run tests", "while [ ! -e go ]; do sleep 0.05; done; exit 3")),
        Reply(Text("started them")),
        Reply(Text("the tests failed: let me look")),
    )
    async with running(make_tui, allowed_tools=["Bash"]) as (app, pilot):
        await turn(pilot, app, "run the tests in the background")
        assert len(scripted.requests) == 2  # the turn ended before the command did
        (workspace / "go").touch()
        await until(pilot, lambda: len(scripted.requests) == 3)
        await finish(pilot, app)
        woken = scripted.requests[2]["messages"][-1]
        assert woken["role"] == "user"
        told = "".join(block["text"] for block in woken["content"])
        assert told.startswith("<task-notification>")
        assert '<summary>Background command "run tests" failed with exit code 3</summary>' in told
        drawn = shown(app)
        assert '⚑ Background command "run tests" failed with exit code 3' in drawn
        assert "the tests failed: let me look" in drawn and "<task-notification>" not in drawn
        assert app.history.entries == ["run the tests in the background"]  # nobody typed the notice
        path = app.loop.session.path
    # a resumed session shows what woke the model the same way, not the markup
    async with running(make_tui, resume=str(path)) as (again, pilot):
        drawn = shown(again)
        assert '⚑ Background command "run tests" failed with exit code 3' in drawn
        assert "the tests failed: let me look" in drawn and "<task-notification>" not in drawn


@drive
async def test_a_woken_turn_fires_stop_but_not_user_prompt_submit(
    make_tui: Any, scripted: Any, claw_env: dict[str, str], tmp_path: Path, plugin_module: Any
) -> None:
    starts = tmp_path / "turn_start.log"
    plugin_module(
        "tui_turn_starts",
        f"""
import json
import claw

@claw.hookimpl
def claw_runtime_event(event):
    if event.type == "turn_start":
        with open({str(starts)!r}, "a") as fh:
            fh.write(json.dumps(event.data) + "\\n")
""",
    )
    logs = {name: tmp_path / f"{name}.log" for name in ("UserPromptSubmit", "Stop")}
    hooks = {
        name: [{"hooks": [{"type": "command", "command": f"cat >> {log}; echo >> {log}"}]}]
        for name, log in logs.items()
    }
    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"hooks": hooks}))
    scripted.script(
        Reply(background_bash("build", "sleep 1; exit 0")),
        Reply(Text("building")),
        Reply(Text("it built")),
    )
    async with running(make_tui, allowed_tools=["Bash"]) as (app, pilot):
        await turn(pilot, app, "build in the background")
        await until(pilot, lambda: len(scripted.requests) == 3)
        await finish(pilot, app)
        assert "it built" in shown(app)
        (woken,) = [e for e in session_events(app) if e["type"] == "user" and e.get("notice")]
        assert "prompt" not in woken
    submitted = [json.loads(line)["prompt"] for line in logs["UserPromptSubmit"].read_text().splitlines()]
    assert submitted == ["build in the background"]
    assert len(logs["Stop"].read_text().splitlines()) == 2
    assert [json.loads(line)["notice"] for line in starts.read_text().splitlines()] == [False, True]


@drive
async def test_woken_turn_stops_on_esc_and_waits_for_a_half_typed_prompt(
    make_tui: Any, scripted: Any
) -> None:
    scripted.script(
        Reply(background_bash("build", "sleep 1; exit 0")),
        Reply(Text("building")),
        Fault(kind="stall", after_events=1, seconds=30, reply=Reply(Text("a reaction that stalls"))),
        Reply(Text("fine")),
    )
    async with running(make_tui, allowed_tools=["Bash"]) as (app, pilot):
        await turn(pilot, app, "build in the background")
        app.query_one(Prompt).reset("half a thought")
        await pilot.pause(2.5)  # the command ended, the poll ran: no turn under the person's typing
        assert len(scripted.requests) == 2 and app.loop.ctx.has_notices
        app.query_one(Prompt).reset("")
        await until(pilot, lambda: len(scripted.requests) == 3 and app.query(StreamingMarkdown))
        await pilot.press("escape")
        await finish(pilot, app)
        assert "interrupted" in [e["type"] for e in session_events(app)]
        await turn(pilot, app, "and now?")
        assert "fine" in shown(app)
        assert '⚑ Background command "build" completed' in shown(app)


@drive
async def test_no_notice_no_turn_after_idling_past_the_poll(make_tui: Any, scripted: Any) -> None:
    from claw_tui.app import BACKGROUND_POLL_SECONDS

    scripted.script(Reply(Text("hello back")))
    async with running(make_tui) as (app, pilot):
        await turn(pilot, app, "hello")
        first = app.turn
        await pilot.pause(BACKGROUND_POLL_SECONDS * 2.5)
        assert len(scripted.requests) == 1 and app.turn is first


@drive
async def test_the_sessions_name_is_on_the_prompt_box_and_in_the_resume_picker(
    make_tui: Any, scripted: Any
) -> None:
    import claw

    scripted.script(Reply(Text("ok")))
    async with running(make_tui, extra={"name": "auth-refactor"}) as (app, pilot):
        assert app.query_one(Prompt).border_title == "auth-refactor"
        await turn(pilot, app, "/rename pelican work")
        assert app.query_one(Prompt).border_title == "pelican work"
        assert "Session renamed to: pelican work" in shown(app)
        await turn(pilot, app, "hello")  # the file is written from the first prompt on
        titles = [e["customTitle"] for e in session_events(app) if e["type"] == "custom-title"]
        assert titles == ["auth-refactor", "pelican work"]
    app = make_tui(resume=claw.RESUME_PICK)
    async with app.run_test(size=SIZE) as pilot:
        # pushed is not yet composed: wait for its list (a loaded machine showed the gap)
        await until(pilot, lambda: isinstance(app.screen, Picker) and bool(app.screen.query("#choices")))
        choices = app.screen.query_one("#choices", OptionList)
        await until(pilot, lambda: choices.option_count > 0)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert any("pelican work" in label and "1 turns" in label for label in labels), labels
        await pilot.press("escape")
