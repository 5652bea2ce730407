"""The line REPL on a real terminal (a pty), with the terminal permission asker and slash commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from claw.testing import claw_on_terminal
from claw.testing.script import Reply, Text, ToolCall


def _run_on_pty(
    env: dict[str, str], cwd: Path, args: list[str], lines: list[str], wait_for
) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    with claw_on_terminal(args, env=env, cwd=cwd) as (proc, master):
        for line in lines:
            if callable(wait_for):
                deadline = time.monotonic() + 20
                while not wait_for(line) and time.monotonic() < deadline:
                    time.sleep(0.05)
            os.write(master, (line + "\n").encode())
        out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


def test_repl_prompts_asks_permission_and_runs_commands(claw_env, workspace, loop_env, plugin_module):
    plugin_module(
        "repl_test_commands",
        """
        import claw
        from claw import SlashCommand

        @claw.hookimpl
        def claw_session_start(session):
            async def expand(args):
                return "please review " + args
            session.add_command(SlashCommand(name="review", description="review", expand=expand))
        """,
    )
    loop_env.script(
        Reply(ToolCall("Touch", {"name": "made.txt"})),
        Reply(Text("touched it")),
        Reply(Text("reviewed")),
    )

    def ready(line: str) -> bool:
        # answer the permission question only once the first request arrived
        if line == "y":
            return len(loop_env.requests) >= 1
        if line.startswith("/review"):
            return len(loop_env.requests) >= 2
        return True

    code, out, err = _run_on_pty(
        claw_env, workspace, ["make a file"], ["y", "/review main.py", "/help", "/exit"], ready
    )
    assert code == 0, err
    assert (workspace / "made.txt").read_text() == "touched"
    assert "claw wants to use Touch" in err and "/compact" in err and "/review            review" in err
    assert '-> Touch({"name": "made.txt"})' in err
    assert "touched it" in out and "reviewed" in out
    assert loop_env.requests[2]["messages"][-1]["content"][-1]["text"] == "please review main.py"
    session = next((Path(claw_env["CLAW_STATE_DIR"]) / "projects").rglob("*.jsonl"))
    perms = [json.loads(x) for x in session.read_text().splitlines() if '"permission"' in x]
    assert perms[0]["decision"] == "allow"


def _wait(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_ctrl_c_stops_the_turn_and_at_the_prompt_keeps_the_session(claw_env, workspace, loop_env):
    loop_env.script(
        Reply(ToolCall("Nap", {"seconds": 60}, id="toolu_nap")),
        Reply(Text("next answer")),
        Reply(Text("still")),
    )
    with claw_on_terminal(["take a nap"], env=claw_env, cwd=workspace) as (proc, master):
        _wait(lambda: (workspace / "tools.log").exists())
        proc.send_signal(signal.SIGINT)  # stops the nap, back to the prompt
        time.sleep(0.3)
        os.write(master, b"are you there?\n")
        _wait(lambda: len(loop_env.requests) >= 2)
        sessions = Path(claw_env["CLAW_STATE_DIR"]) / "projects"
        _wait(lambda: any('"type":"result"' in p.read_text() for p in sessions.rglob("*.jsonl")))
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)  # at the prompt: a fresh prompt, the session goes on
        time.sleep(0.3)
        assert proc.poll() is None
        os.write(master, b"still there?\n")
        _wait(lambda: len(loop_env.requests) >= 3)
        os.write(master, b"\x04")  # Ctrl-D: end of input
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "(interrupted)" in err and "next answer" in out and "Traceback" not in err
    second = loop_env.requests[1]["messages"][-1]["content"]
    assert second[0]["tool_use_id"] == "toolu_nap" and "interrupted by the user" in second[0]["content"]
    assert second[1]["text"] == "are you there?"
    assert loop_env.requests[2]["messages"][-1]["content"][-1]["text"] == "still there?"
    session = next((Path(claw_env["CLAW_STATE_DIR"]) / "projects").rglob("*.jsonl"))
    events = [json.loads(x) for x in session.read_text().splitlines()]
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "prompt_input_exit"


def test_repl_command_grants_its_tools_and_model_for_its_turn_only(
    claw_env, workspace, loop_env, plugin_module
):
    plugin_module(
        "repl_grant_commands",
        """
        import claw
        from claw import SlashCommand

        @claw.hookimpl
        def claw_session_start(session):
            async def expand(args):
                return "touch " + args
            session.add_command(SlashCommand(name="touch-it", description="touch", expand=expand,
                                             allowed_tools=("Touch",), model="scripted/backup"))
        """,
    )
    loop_env.script(
        Reply(ToolCall("Touch", {"name": "granted.txt"})),
        Reply(Text("touched")),
        Reply(ToolCall("Touch", {"name": "asked.txt"})),
        Reply(Text("not touched")),
    )

    def ready(line: str) -> bool:
        if line == "again":
            return len(loop_env.requests) >= 2
        if line == "n":
            return len(loop_env.requests) >= 3
        return True

    code, _, err = _run_on_pty(
        claw_env, workspace, [], ["/touch-ti", "/touch-it granted.txt", "again", "n", "/exit"], ready
    )
    assert code == 0, err
    assert "claw: error: unknown slash command /touch-ti; did you mean /touch-it?" in err
    assert (workspace / "granted.txt").exists() and not (workspace / "asked.txt").exists()
    assert err.count("claw wants to use Touch") == 1  # only after the command's turn ended
    assert [r["model"] for r in loop_env.requests] == ["backup", "backup", "default", "default"]
    assert loop_env.requests[0]["messages"][-1]["content"][0]["text"] == "touch granted.txt"


def test_without_line_editing_an_escape_code_is_refused_not_sent(claw_env, workspace, loop_env):
    # stdin is a terminal but stdout and stderr are pipes: nothing to draw a line editor on, so the
    # terminal delivers an arrow key as ESC [ A.
    loop_env.script(Reply(Text("hi")))
    code, _, err = _run_on_pty(claw_env, workspace, [], ["\x1b[A", "hello", "/exit"], lambda _: True)
    assert code == 0, err
    assert "claw: warning: the line holds terminal control codes" in err
    assert [r["messages"][-1]["content"][-1]["text"] for r in loop_env.requests] == ["hello"]


PIPED_REPL = """
import sys
from claw import CommandContext, LoopOptions
from claw_repl.repl import run_repl

sys.exit(run_repl(CommandContext.create(), LoopOptions(), None))
"""


def test_repl_reads_piped_lines(claw_env, workspace, loop_env):
    # Piped input reaches the REPL's plain reader: line by line, control codes refused, end of input
    # ends the session cleanly.
    loop_env.script(Reply(Text("first")), Reply(Text("second")))
    proc = subprocess.run(
        [sys.executable, "-c", PIPED_REPL],
        input="hello\n\x1b[A\n/hepl\n\nand again\r\n",
        capture_output=True,
        text=True,
        env=claw_env,
        cwd=workspace,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "first" in proc.stdout and "second" in proc.stdout
    assert "terminal control codes" in proc.stderr
    assert "claw: error: unknown slash command /hepl; did you mean /help?" in proc.stderr
    assert proc.stderr.endswith("\n> \n") and "Traceback" not in proc.stderr
    texts = [r["messages"][-1]["content"][-1]["text"] for r in loop_env.requests]
    assert texts == ["hello", "and again"]


def test_ctrl_c_ends_a_repl_on_piped_input(claw_env, workspace, loop_env):
    # Nobody types at a pipe, so there is no line to clear: SIGINT at the prompt ends the session.
    loop_env.script(Reply(Text("first")))
    proc = subprocess.Popen(
        [sys.executable, "-c", PIPED_REPL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=claw_env,
        cwd=workspace,
        text=True,
    )
    try:
        assert proc.stdin is not None
        proc.stdin.write("hello\n")
        proc.stdin.flush()
        sessions = Path(claw_env["CLAW_STATE_DIR"]) / "projects"
        _wait(lambda: any('"type":"result"' in p.read_text() for p in sessions.rglob("*.jsonl")))
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGINT, err  # run_repl raised KeyboardInterrupt (the CLI's exit 130)
    events = [json.loads(x) for x in next(sessions.rglob("*.jsonl")).read_text().splitlines()]
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "interrupted"


def test_without_claw_output_the_repl_prints_each_answer_whole(claw_env, workspace, loop_env):
    # The REPL wraps the text renderer CommandContext.renderer() gives; without claw-output that is the
    # kernel's, which prints a message once complete. The tool-call lines are the REPL's own.
    loop_env.script(Reply(Text("Looking."), ToolCall("Echo", {"text": "q"})), Reply(Text("Done.")))
    proc = subprocess.run(
        [sys.executable, "-c", PIPED_REPL],
        input="hello\n",
        capture_output=True,
        text=True,
        env={**claw_env, "CLAW_DISABLE_PLUGINS": "renderers"},
        cwd=workspace,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Looking.\nDone.\n"
    assert '  -> Echo({"text": "q"})' in proc.stderr


def test_a_named_session_shows_its_name_in_the_banner_and_prompt(claw_env, workspace, loop_env):
    # -n names the session (claw-sessions), /rename renames it: the prompt follows, as Claude Code's
    loop_env.script(Reply(Text("hi")))
    code, _, err = _run_on_pty(
        claw_env, workspace, ["-n", "auth-refactor"], ["hello", "/rename next", "/exit"], lambda _: True
    )
    assert code == 0, err
    assert "session auth-refactor (" in err and "\n[auth-refactor] > " in err
    assert "Session renamed to: next" in err and "\n[next] > " in err


def test_on_a_terminal_the_name_titles_the_window() -> None:
    import io

    from claw_repl.repl import prompt

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, pipe = Tty(), io.StringIO()
    assert prompt("auth-refactor", screen) == "\n[auth-refactor] > "
    assert screen.getvalue() == "\x1b]0;auth-refactor\x07"
    assert prompt("auth-refactor", pipe) == "\n[auth-refactor] > " and pipe.getvalue() == ""
    assert prompt("", screen) == "\n> " and screen.getvalue() == "\x1b]0;auth-refactor\x07"
