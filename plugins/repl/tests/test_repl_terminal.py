"""The REPL as a person meets it: ``claw`` in a real terminal (tmux), keys typed one by one.

Arrow keys, Tab, Ctrl-C and Ctrl-D reach claw as a terminal sends them; the scripted model records what
each request carried, so a test sees exactly what would have been sent (and paid for).
Needs tmux: ``bash tests/setup.d/tmux.sh``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import claw
import pytest
from claw.testing import ClawRunner
from claw.testing.script import Fault, Reply, Text, ToolCall
from claw.testing.tmux import Terminal, at_prompt
from claw_repl.terminal_input import MAX_HISTORY


class LineRepl(Terminal):
    def start(
        self,
        *args: str,
        ready: Callable[[str], bool] = at_prompt,
        what: str = "the first prompt",
        size: tuple[int, int] = (160, 50),
    ) -> str:
        """Run ``claw ARGS`` and wait for the REPL's first prompt."""
        return super().start(*args, ready=ready, what=what, size=size)


@pytest.fixture
def terminal(tmp_path, claw_env, workspace, loop_env):  # type: ignore[no-untyped-def]
    # The line REPL: what remains without claw-tui (installed in this workspace, it would take the terminal).
    term = LineRepl(tmp_path, {**claw_env, "CLAW_DISABLE_PLUGINS": "tui"}, workspace)
    yield term
    term.close()


def sent_texts(requests: list[dict]) -> list[str]:
    """The text of the last user message of each request: what the person's line became."""
    return [r["messages"][-1]["content"][-1]["text"] for r in requests]


def test_up_then_enter_resends_the_previous_prompt_never_an_escape_code(terminal, loop_env):
    loop_env.script(Reply(Text("four")), Reply(Text("still four")))
    terminal.start()
    terminal.type("what is two plus two")
    terminal.keys("Enter")
    terminal.wait(lambda s: "four" in s and at_prompt(s), "the first answer")
    terminal.keys("Up")
    terminal.wait(lambda s: s.rstrip().endswith("> what is two plus two"), "the recalled prompt")
    terminal.keys("Enter")
    terminal.wait(lambda s: "still four" in s and at_prompt(s), "the second answer")
    assert sent_texts(loop_env.requests) == ["what is two plus two", "what is two plus two"]
    assert "\x1b" not in json.dumps(loop_env.requests) and "\\u001b" not in json.dumps(loop_env.requests)


def test_banner_names_model_workspace_and_mode_and_ctrl_d_exits_cleanly(
    terminal, workspace, loop_env, claw_env
):
    screen = terminal.start()
    first = "".join(screen.strip().splitlines()[:3]).split("session ")[0]  # the line may wrap on the pane
    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    assert first == (
        f"claw {claw.VERSION} | model: scripted/default (from settings model in {settings}) | "
        f"workspace: {workspace} | permission mode: prompt"
    )
    assert "warning" not in screen
    terminal.keys("C-d")
    screen = terminal.wait_exit()
    assert screen.rstrip().splitlines()[-1] == "[exit 0]"  # on a line of its own: the prompt line was ended
    assert "Traceback" not in screen and loop_env.requests == []


def test_history_is_recalled_in_the_next_run_and_kept_bounded(terminal, claw_env, workspace, loop_env):
    history = claw.history_file(workspace, claw_env)
    history.parent.mkdir(parents=True)
    older = [f"old prompt {i}" for i in range(MAX_HISTORY + 500)]
    history.write_text("".join(json.dumps(p) + "\n" for p in older))
    loop_env.script(Reply(Text("one")), Reply(Text("two")), Reply(Text("three")))
    terminal.start()
    terminal.type("from the first run")
    terminal.keys("Enter")
    terminal.wait(lambda s: "one" in s and at_prompt(s), "the first answer")
    terminal.keys("C-d")
    terminal.wait_exit()
    kept = [json.loads(line) for line in history.read_text().splitlines()]
    assert kept == [*older[-MAX_HISTORY:], "from the first run"]

    terminal.start()
    terminal.keys("Up")
    terminal.keys("Enter")
    terminal.wait(lambda s: "two" in s and at_prompt(s), "the answer in the second run")
    terminal.keys("Up", "Up", "Enter")  # the same prompt twice is kept once
    terminal.wait(lambda s: "three" in s and at_prompt(s), "the third answer")
    assert sent_texts(loop_env.requests) == ["from the first run", "from the first run", older[-1]]


def test_slash_commands_complete_suggest_and_ctrl_c_drops_the_line(terminal, loop_env):
    loop_env.script(Reply(Text("hello back")))
    terminal.start()
    terminal.type("/hepl")
    terminal.keys("Enter")
    screen = terminal.wait(lambda s: "did you mean" in s and at_prompt(s), "the suggestion")
    assert "claw: error: unknown slash command /hepl; did you mean /help?" in screen
    terminal.type("/hel")
    terminal.keys("Tab")
    terminal.wait(lambda s: s.rstrip().endswith("> /help"), "the completed name")
    terminal.keys("Enter")
    screen = terminal.wait(lambda s: "/compact" in s and at_prompt(s), "the command list")
    assert "/quit" in screen
    terminal.type("never send this")
    terminal.keys("C-c")
    terminal.wait(at_prompt, "a fresh prompt")
    terminal.type("hello")
    terminal.keys("Enter")
    terminal.wait(lambda s: "hello back" in s and at_prompt(s), "the answer")
    assert sent_texts(loop_env.requests) == ["hello"]


def test_ctrl_c_at_a_question_or_during_a_turn_stops_the_turn(terminal, workspace, loop_env):
    loop_env.script(
        Reply(ToolCall("Touch", {"name": "made.txt"}, id="toolu_touch")),
        Reply(ToolCall("Nap", {"seconds": 60}, id="toolu_nap")),
        Reply(Text("here")),
    )
    terminal.start()
    terminal.type("make a file")
    terminal.keys("Enter")
    terminal.wait(lambda s: s.rstrip().endswith("[n] deny:"), "the permission question")
    terminal.keys("C-c")  # a key while the question is edited, a signal while the turn runs
    terminal.wait(lambda s: "(interrupted)" in s and at_prompt(s), "the stopped turn")
    terminal.type("take a nap")
    terminal.keys("Enter")
    terminal.wait(lambda s: (workspace / "tools.log").exists(), "the nap")
    terminal.keys("C-c")
    terminal.wait(lambda s: s.count("(interrupted)") == 2 and at_prompt(s), "the stopped nap")
    terminal.type("are you there?")
    terminal.keys("Enter")
    terminal.wait(lambda s: "here" in s.split("are you there?")[-1] and at_prompt(s), "the answer")
    assert not (workspace / "made.txt").exists()
    second, third = (r["messages"] for r in loop_env.requests[1:])
    assert second[-1]["content"][0]["tool_use_id"] == "toolu_touch"
    assert "interrupted by the user" in second[-1]["content"][0]["content"]
    assert third[-1]["content"][0]["tool_use_id"] == "toolu_nap"
    assert third[-1]["content"][1]["text"] == "are you there?"


def background_bash(description: str, command: str) -> ToolCall:
    return ToolCall("Bash", {"command": command, "description": description, "run_in_background": True})


def test_background_command_ending_at_an_empty_prompt_wakes_the_model(
    terminal, claw_env, workspace, loop_env
):
    loop_env.script(
        Reply(background_bash("run tests", "sleep 1; exit 3")),
        Reply(Text("started them")),
        Reply(Text("the tests failed: let me look")),
    )
    terminal.start("--allowedTools", "Bash")
    terminal.type("run the tests in the background")
    terminal.keys("Enter")
    terminal.wait(lambda s: "started them" in s and at_prompt(s), "the first turn")
    screen = terminal.wait(
        lambda s: "the tests failed: let me look" in s and at_prompt(s), "the woken turn, nothing typed"
    )
    assert '⚑ Background command "run tests" failed with exit code 3' in screen
    assert "<task-notification>" not in screen
    assert len(loop_env.requests) == 3
    woken = loop_env.requests[2]["messages"][-1]
    assert woken["role"] == "user"
    told = "".join(block["text"] for block in woken["content"])
    assert told.startswith("<task-notification>")
    assert '<summary>Background command "run tests" failed with exit code 3</summary>' in told
    terminal.keys("Up")  # the notice was nobody's prompt: Up recalls the typed one
    terminal.wait(lambda s: s.rstrip().endswith("> run the tests in the background"), "the typed prompt")


def test_a_woken_turn_is_no_user_prompt_but_a_notice_turn(terminal, claw_env, workspace, loop_env, tmp_path):
    """UserPromptSubmit fires for the typed prompt only (as Claude Code: a task notification is no
    prompt); Stop fires for both turns; the session records the woken turn as a notice, which --resume
    sends on as it was."""
    logs = {name: tmp_path / f"{name}.log" for name in ("UserPromptSubmit", "Stop")}
    hooks = {
        name: [{"hooks": [{"type": "command", "command": f"cat >> {log}; echo >> {log}"}]}]
        for name, log in logs.items()
    }
    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.write_text(json.dumps({**json.loads(settings.read_text()), "hooks": hooks}))
    loop_env.script(
        Reply(background_bash("run tests", "sleep 1; exit 3")),
        Reply(Text("started them")),
        Reply(Text("the tests failed: let me look")),
        Reply(Text("resumed")),
    )
    terminal.start("--allowedTools", "Bash")
    terminal.type("run the tests in the background")
    terminal.keys("Enter")
    terminal.wait(lambda s: "the tests failed: let me look" in s and at_prompt(s), "the woken turn")
    terminal.wait(lambda s: len(logs["Stop"].read_text().splitlines()) == 2, "Stop after the woken turn")
    submitted = [json.loads(line)["prompt"] for line in logs["UserPromptSubmit"].read_text().splitlines()]
    assert submitted == ["run the tests in the background"]
    terminal.keys("C-d")
    terminal.wait_exit()

    (path,) = claw.sessions_dir(workspace, claw_env).glob("*.jsonl")
    users = [e for e in map(json.loads, path.read_text().splitlines()) if e["type"] == "user"]
    assert users[0]["prompt"] == "run the tests in the background" and not users[0].get("notice")
    (woken,) = [e for e in users if e.get("notice")]
    assert "prompt" not in woken
    assert woken["message"]["content"][0]["text"].startswith("<task-notification>")

    runner = ClawRunner(claw_env, workspace)
    timeline = runner("timeline", "--session", path.stem, "--format", "md").assert_success().stdout
    assert "(notice) <task-notification>" in timeline and "(notice) run the tests" not in timeline
    runner("--resume", path.stem, "-p", "go on").assert_success()
    history = loop_env.requests[3]["messages"]
    assert history[4] == {"role": "user", "content": woken["message"]["content"]}
    assert history[-1]["content"][-1]["text"] == "go on"
    assert len(logs["UserPromptSubmit"].read_text().splitlines()) == 2


def test_no_notice_no_wake_and_a_half_typed_prompt_keeps_the_notice(terminal, workspace, loop_env):
    loop_env.script(
        Reply(Text("hello")),
        Reply(background_bash("build", "sleep 1; exit 0")),
        Reply(Text("building")),
        Reply(Text("noted both")),
    )
    terminal.start("--allowedTools", "Bash")
    terminal.type("hi")
    terminal.keys("Enter")
    terminal.wait(lambda s: "hello" in s and at_prompt(s), "the answer")
    time.sleep(2.5)  # idle at an empty prompt with nothing queued
    assert len(loop_env.requests) == 1
    terminal.type("build in the background")
    terminal.keys("Enter")
    terminal.wait(lambda s: "building" in s and at_prompt(s), "the second turn")
    terminal.type("and then")
    time.sleep(2.5)  # the build ended meanwhile: the half-typed prompt is not taken away
    assert len(loop_env.requests) == 3
    terminal.keys("Enter")
    screen = terminal.wait(lambda s: "noted both" in s and at_prompt(s), "the prompt with the notice")
    assert "⚑" not in screen
    last = loop_env.requests[3]["messages"][-1]["content"]
    texts = [block["text"] for block in last]
    assert texts[0] == "and then" and texts[1].startswith("<task-notification>")


def test_ctrl_c_stops_a_woken_turn_and_the_repl_goes_on(terminal, workspace, loop_env):
    loop_env.script(
        Reply(background_bash("build", "sleep 1; exit 0")),
        Reply(Text("building")),
        Fault(kind="stall", after_events=1, seconds=30, reply=Reply(Text("a reaction that stalls"))),
        Reply(Text("fine")),
    )
    terminal.start("--allowedTools", "Bash")
    terminal.type("build in the background")
    terminal.keys("Enter")
    terminal.wait(lambda s: "building" in s and at_prompt(s), "the first turn")
    terminal.wait(lambda s: '⚑ Background command "build" completed' in s, "the woken turn")
    terminal.wait(lambda s: len(loop_env.requests) == 3, "the woken request")
    terminal.keys("C-c")
    terminal.wait(lambda s: "(interrupted)" in s and at_prompt(s), "the stopped woken turn")
    terminal.type("are you there?")
    terminal.keys("Enter")
    terminal.wait(lambda s: "fine" in s.split("are you there?")[-1] and at_prompt(s), "the answer")
    assert loop_env.requests[3]["messages"][-1]["content"][-1]["text"] == "are you there?"
