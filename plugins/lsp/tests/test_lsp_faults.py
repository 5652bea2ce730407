"""Faults through ``claw -p``: a missing server command, a server that crashes mid-request (restarted,
the call retried once), one that keeps crashing (given up), one that never answers (bounded), and the
server process gone once the session ends."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from claw.testing.script import Reply, Text
from lsp_support import fake, lsp, results, run, text


def configure(project: Path, servers: dict[str, Any], **options: Any) -> None:
    (project / ".lsp.json").write_text(json.dumps(servers))
    if options:
        (project / ".claude").mkdir(exist_ok=True)
        (project / ".claude" / "settings.json").write_text(json.dumps({"lsp": options}))
    (project / "a.fk").write_text("fake source\n")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_missing_server_command_is_a_clear_error(claw, scripted, workspace: Path):
    configure(
        workspace, {"ghost": {"command": "no-such-lsp-server-xyz", "extensionToLanguage": {".fk": "fake"}}}
    )
    scripted.script(lsp("hover", "a.fk"), lsp("hover", "a.fk"), Reply(Text("done")))
    run(claw)
    first, second = results(scripted)
    assert (
        first["is_error"] and text(first) == "LSP server 'ghost': command not found: no-such-lsp-server-xyz"
    )
    assert second["is_error"] and "command not found" in text(second)


def test_a_crash_mid_request_restarts_the_server_and_retries_once(claw, scripted, workspace: Path, tmp_path):
    configure(workspace, {"fake": fake("crash", tmp_path / "crashed-once")})
    scripted.script(lsp("hover", "a.fk"), lsp("hover", "a.fk"), Reply(Text("done")))
    stderr = claw.subprocess("-p", "look", "--model", "scripted/default").assert_success().stderr
    assert "LSP server 'fake' crashed (exited with code 3" in stderr  # reported to the user too
    retried, again = results(scripted)
    assert not retried.get("is_error"), retried
    lines = text(retried).splitlines()
    assert lines[0] == "[LSP server 'fake' crashed (exited with code 3: fake server: boom)]"
    assert lines[1].startswith("[LSP server 'fake' restarted (restart 1) after: exited with code 3")
    assert lines[2].startswith("fake hover (pid ")
    assert text(again).startswith("fake hover") and text(again) == lines[2]  # the same restarted process
    pid = int(re.search(r"pid (\d+)", lines[2]).group(1))
    assert not alive(pid), "the server outlived the session"


def test_a_server_that_keeps_crashing_is_given_up(claw, scripted, workspace: Path, tmp_path):
    configure(workspace, {"fake": fake("always-crash", tmp_path / "m", maxRestarts=1)})
    scripted.script(lsp("hover", "a.fk"), lsp("hover", "a.fk"), Reply(Text("done")))
    run(claw)
    first, second = results(scripted)
    assert first["is_error"] and "LSP server 'fake' crashed during textDocument/hover" in text(first)
    assert second["is_error"] and text(second).startswith(
        "LSP server 'fake' crashed 2 times and was given up"
    )


def test_a_server_that_never_answers_times_out(claw, scripted, workspace: Path, tmp_path):
    configure(workspace, {"fake": fake("silent", tmp_path / "m")}, requestTimeout=1.0)
    scripted.script(lsp("hover", "a.fk"), Reply(Text("done")))
    started = time.monotonic()
    run(claw)
    assert time.monotonic() - started < 15
    [result] = results(scripted)
    assert (
        result["is_error"] and text(result) == "LSP server 'fake' did not answer textDocument/hover within 1s"
    )
