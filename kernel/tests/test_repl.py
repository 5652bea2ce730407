"""The line REPL on a real terminal (a pty), with the terminal permission asker and slash commands."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from claw.testing.script import Reply, Text, ToolCall


def _run_on_pty(
    env: dict[str, str], cwd: Path, args: list[str], lines: list[str], wait_for
) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    master, slave = pty.openpty()
    exe = str(Path(sys.executable).with_name("claw"))
    proc = subprocess.Popen(
        [exe, *args], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True
    )
    os.close(slave)
    try:
        for line in lines:
            if callable(wait_for):
                deadline = time.monotonic() + 20
                while not wait_for(line) and time.monotonic() < deadline:
                    time.sleep(0.05)
            os.write(master, (line + "\n").encode())
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
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
    claw_env["CLAW_PLUGIN_MODULES"] += ",claw.testing.scripted_provider,loop_test_tools"
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
    assert "claw wants to use Touch" in err and "/compact" in err
    assert "touched it" in out and "reviewed" in out
    assert loop_env.requests[2]["messages"][-1]["content"][-1]["text"] == "please review main.py"
    session = next((Path(claw_env["CLAW_STATE_DIR"]) / "projects").rglob("*.jsonl"))
    perms = [json.loads(x) for x in session.read_text().splitlines() if '"permission"' in x]
    assert perms[0]["decision"] == "allow"
