"""Small CLI gaps, end to end through ``claw``: no empty session file for an unknown slash command, and
``--resume`` without an id."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text


def test_unknown_slash_command_leaves_no_session_file(claw, loop_env, workspace, claw_env):
    from claw import _paths as paths

    sessions = paths.sessions_dir(workspace, claw_env)
    res = claw("-p", "/nosuch").assert_failure(1)
    assert res.stderr.strip().startswith("claw: error: unknown slash command /nosuch")
    assert loop_env.requests == []
    assert not sessions.exists() or list(sessions.glob("*.jsonl")) == []
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    (kept,) = sessions.glob("*.jsonl")  # a session with a turn is written, session_start first
    events = [json.loads(line) for line in kept.read_text().splitlines()]
    assert [e["type"] for e in events][:2] == ["session_start", "user"]
    assert events[-1]["type"] == "session_end"


def test_resume_without_an_id_needs_a_picker(claw, loop_env):
    # Claude Code's bare --resume opens a picker: only a full-screen front end has one.
    claw("--repl", "--resume").assert_failure(2, "--resume without an id needs the full-screen UI")
    claw("-p", "hi", "--resume").assert_failure(2, "--resume needs a session id (or latest) with -p")
    claw("-p", "hi", "--continue", "--resume").assert_failure(
        2, "--continue and --resume cannot be used together"
    )
    assert loop_env.requests == []
