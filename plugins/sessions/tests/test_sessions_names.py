"""Session names, as Claude Code's: ``-n``/``--name``, ``/rename``, ``--resume NAME``, the listing."""

from __future__ import annotations

import json

from claw import _paths as paths
from claw.testing.script import Reply, Text


def _events(path):  # type: ignore[no-untyped-def]
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_name_is_recorded_as_claude_codes_custom_title_listed_and_resumed(
    claw, loop_env, claw_env, workspace
):
    loop_env.script(*(Reply(Text(str(i))) for i in range(3)))
    sid = claw("-p", "first", "-n", "auth-refactor", "--output-format", "json").assert_success().json()
    sid = sid["session_id"]
    other = claw("-p", "second", "--output-format", "json").assert_success().json()["session_id"]
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    titles = [{k: e[k] for k in e if k != "ts"} for e in _events(path) if e["type"] == "custom-title"]
    assert titles == [{"type": "custom-title", "customTitle": "auth-refactor", "sessionId": sid}]
    listed = {s["session_id"]: s["name"] for s in claw("sessions", "list", "--json").assert_success().json()}
    assert listed == {sid: "auth-refactor", other: ""}
    assert "auth-refactor" in claw("sessions", "list").assert_success().stdout
    claw("-p", "third", "--resume", "auth-refactor").assert_success()
    # the third request continues the named session's history, not the newer unnamed one's
    texts = [b.get("text") for m in loop_env.requests[2]["messages"] for b in m["content"]]
    assert "first" in texts and "second" not in texts


def test_rename_names_the_running_session_and_the_last_name_wins(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")))
    sid = claw("-p", "hello", "-n", "old", "--output-format", "json").assert_success().json()["session_id"]
    res = claw("-p", "/rename  new   name ", "--resume", "old").assert_success()
    assert "Session renamed to: new name" in res.stdout
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    assert [e["customTitle"] for e in _events(path) if e["type"] == "custom-title"] == ["old", "new name"]
    claw("-p", "/rename", "--resume", "new name").assert_failure(message="usage: /rename NAME")
    claw("-p", "x", "--resume", "old").assert_failure(message="no session 'old'")


def test_two_sessions_with_one_name_are_refused_by_name(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    a = claw("-p", "a", "-n", "twin", "--output-format", "json").assert_success().json()["session_id"]
    b = claw("-p", "b", "--name", "twin", "--output-format", "json").assert_success().json()["session_id"]
    res = claw("-p", "c", "--resume", "twin").assert_failure()
    assert "2 sessions are named 'twin'" in res.stderr and a in res.stderr and b in res.stderr
    assert len(loop_env.requests) == 2


def test_an_empty_name_is_refused_before_anything_runs(claw, loop_env):
    res = claw("-p", "x", "--name", "  ")
    assert res.exit_code == 2 and "--name: a session name cannot be empty" in res.stderr
    assert loop_env.requests == []
