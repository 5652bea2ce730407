"""claw-tui in a real terminal: ``claw`` (no prompt) inside tmux against the loopback Anthropic mock,
keys typed with ``send-keys``, the screen read with ``capture-pane``. Needs tmux (tests/setup.d/tmux.sh).

Also the inputs a terminal can throw at it: a window too small, a C locale, escape sequences in the
model's answer (which must never reach the terminal: the window title stays claw's).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall
from claw.testing.tmux import Terminal


@pytest.fixture
def terminal(tmp_path, claw_env, workspace, anthropic_model):  # type: ignore[no-untyped-def]
    term = Terminal(tmp_path, claw_env, workspace)
    yield term
    term.close()


def ui_ready(screen: str) -> bool:
    """The status line is drawn: the UI is up and the session started."""
    return "claude-sonnet-4-6" in screen and "mode: default" in screen


def sent(server: Any) -> list[str]:
    return [r.json["messages"][-1]["content"][-1].get("text", "") for r in server.requests]


def test_prompt_answer_tool_call_and_exit_in_a_real_terminal(terminal, anthropic_model, workspace):
    (workspace / "notes.txt").write_text("hello")
    anthropic_model.script(
        Reply(ToolCall("Read", {"file_path": "notes.txt"})),
        Reply(Text("# Findings\n\nThe file says **hello**.\n\n```python\nprint('hello')\n```\n")),
    )
    terminal.start(ready=ui_ready, what="the UI")
    terminal.type("what does notes.txt say?")
    terminal.keys("Enter")
    screen = terminal.wait(lambda s: "The file says hello." in s, "the rendered answer")
    assert "# Findings" not in screen and "**hello**" not in screen  # markdown drawn, not shown raw
    assert "Read(notes.txt)" in screen and "print('hello')" in screen
    terminal.keys("C-d")
    screen = terminal.wait_exit()
    assert screen.rstrip().splitlines()[-1] == "[exit 0]" and "Traceback" not in screen
    assert sent(anthropic_model)[0] == "what does notes.txt say?"


def test_escape_sequences_from_the_model_never_reach_the_terminal(terminal, anthropic_model):
    anthropic_model.script(Reply(Text("before \x1b]2;pwned\x07\x1b[2J\x1b[31mRED\x1b[0m after\x9b2J")))
    terminal.start(ready=ui_ready, what="the UI")
    terminal.type("say something odd")
    terminal.keys("Enter")
    terminal.wait(lambda s: "before RED after" in s, "the cleaned answer")
    assert terminal.tmux("display-message", "-p", "-t", terminal.target, "#{pane_title}").strip() != "pwned"
    terminal.keys("C-c")
    terminal.keys("C-c")
    assert terminal.wait_exit().rstrip().endswith("[exit 0]")


def test_too_small_terminal_says_so_then_recovers(terminal, anthropic_model):
    terminal.start(ready=lambda s: "too small" in s, what="the too-small notice", size=(30, 6))
    terminal.resize(120, 30)
    terminal.wait(ui_ready, "the UI after growing the window")
    terminal.keys("C-d")
    assert terminal.wait_exit().rstrip().endswith("[exit 0]")


def test_c_locale_and_non_ascii_answer(terminal, anthropic_model):
    terminal.env.update(LC_ALL="C", LANG="C")
    anthropic_model.script(Reply(Text("caf\u00e9 \u2713 done")))
    terminal.start(ready=ui_ready, what="the UI under LC_ALL=C")
    terminal.type("accents please")
    terminal.keys("Enter")
    screen = terminal.wait(lambda s: "done" in s, "the answer")
    assert "Traceback" not in screen
    terminal.keys("C-d")
    assert terminal.wait_exit().rstrip().endswith("[exit 0]")
    assert json.dumps(sent(anthropic_model)) == json.dumps(["accents please"])


def test_dumb_terminal_keeps_the_line_repl(terminal, anthropic_model):
    screen = terminal.start(
        ready=lambda s: s.rstrip().endswith(">"), what="the line REPL's prompt", term="dumb"
    )
    assert "mode: default" not in screen and "Ctrl-D exits" in screen
    terminal.keys("C-d")
    assert terminal.wait_exit().rstrip().endswith("[exit 0]")


def test_dumb_terminal_without_the_line_repl_says_what_to_install(terminal, anthropic_model):
    terminal.env["CLAW_DISABLE_PLUGINS"] = "repl"
    screen = terminal.start(ready=lambda s: "[exit " in s, what="claw to exit", term="dumb")
    assert (
        "claw: error: no interactive front end serves this terminal (claw-tui declined): pip install "
        "claw-repl (the line REPL) or claw-tui (full screen); claw -p PROMPT needs neither"
    ) in " ".join(screen.split())  # the pane wraps the line
    assert screen.rstrip().endswith("[exit 1]") and "Traceback" not in screen
    assert anthropic_model.requests == []
