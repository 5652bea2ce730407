"""Sessions through the CLI: persistence, resume, fork, repair, timeline, listing."""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path

from claw import _paths as paths
from claw.testing.script import Reply, Text, ToolCall, Usage
from claw_sessions.jsonl import resume_state


def _texts(request: dict) -> list[str]:
    out = []
    for m in request["messages"]:
        for b in m["content"]:
            out.append(b.get("text") or b.get("content") or b.get("name"))
    return out


def test_session_file_records_the_run(claw, loop_env, session_events, workspace):
    loop_env.script(Reply(ToolCall("Echo", {"text": "x"})), Reply(Text("done")))
    sid = claw("-p", "go", "--output-format", "json").assert_success().json()["session_id"]
    events = session_events(sid)
    types = [e["type"] for e in events]
    assert types[0] == "session_start" and types[-1] == "session_end"
    assert events[0]["model"] == "scripted/default" and events[0]["cwd"] == str(workspace.resolve())
    assert "claw_version" in events[0]
    assert types.count("user") == 2 and types.count("assistant") == 2
    assert {"permission", "tool_result", "result"} <= set(types)
    assistant = next(e for e in events if e["type"] == "assistant")
    assert assistant["usage"]["input_tokens"] == 10 and assistant["model"] == "scripted/default"


def test_resume_by_id_latest_and_path_continue_history(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")), Reply(Text("two")), Reply(Text("three")), Reply(Text("four")))
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    r2 = claw("-p", "second", "--resume", sid, "--output-format", "json").assert_success().json()
    assert r2["session_id"] == sid
    assert _texts(loop_env.requests[1]) == ["first", "one", "second"]
    claw("-p", "third", "--continue").assert_success()
    assert _texts(loop_env.requests[2]) == ["first", "one", "second", "two", "third"]
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    claw("-p", "fourth", "--resume", str(path)).assert_success()
    assert _texts(loop_env.requests[3])[-2:] == ["three", "fourth"]


def test_resume_unknown_session_is_one_line_error(claw, loop_env):
    claw("-p", "x", "--resume", "nope").assert_failure(1, "no session 'nope'")
    claw("-p", "x", "--fork-session").assert_failure(2, "--fork-session needs --resume")


def test_resume_by_an_ambiguous_prefix_names_the_sessions_and_an_id_in_any_case(claw, loop_env):
    loop_env.script(Reply(Text("one")), Reply(Text("two")), Reply(Text("three")))
    ids = ["abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"]
    for sid in ids:
        claw("-p", "x", "--session-id", sid).assert_success()
    claw("-p", "y", "--resume", "abcd").assert_failure(
        1, f"2 sessions start with 'abcd' ({ids[0]}, {ids[1]}); give more of the id"
    )
    res = claw("-p", "y", "--resume", ids[0].upper(), "--output-format", "json").assert_success()
    assert res.json()["session_id"] == ids[0]


def test_session_id_with_resume_needs_fork_session_as_in_claude_code(claw, loop_env, workspace, claw_env):
    """Without --fork-session, ``--resume A --session-id B`` silently started a fork B: Claude Code refuses it."""
    loop_env.script(Reply(Text("one")), Reply(Text("forked")))
    sid = claw("-p", "p", "--output-format", "json").assert_success().json()["session_id"]
    other = str(uuid.uuid4())
    why = "--session-id can only be used with --continue or --resume if --fork-session is also specified"
    claw("-p", "x", "--resume", sid, "--session-id", other).assert_failure(2, why)
    claw("-p", "x", "--continue", "--session-id", other).assert_failure(2, why)
    assert not (paths.sessions_dir(workspace, claw_env) / f"{other}.jsonl").exists()
    forked = claw("-p", "x", "--continue", "--fork-session", "--session-id", other, "--output-format", "json")
    assert forked.assert_success().json()["session_id"] == other


def test_fork_copies_history_into_a_linked_session(claw, loop_env, session_events, workspace, claw_env):
    loop_env.script(Reply(Text("parent answer")), Reply(Text("fork answer")), Reply(Text("parent again")))
    parent = claw("-p", "start", "--output-format", "json").assert_success().json()["session_id"]
    child = (
        claw("-p", "branch", "--resume", parent, "--fork-session", "--output-format", "json")
        .assert_success()
        .json()
    )
    assert child["session_id"] != parent
    assert _texts(loop_env.requests[1]) == ["start", "parent answer", "branch"]
    fork = next(e for e in session_events(child["session_id"]) if e["type"] == "fork")
    assert fork["parent_session_id"] == parent and len(fork["messages"]) == 2
    # read back, the fork names its parent's file (what claw-sdk copies the file checkpoints from)
    directory = paths.sessions_dir(workspace, claw_env)
    state = resume_state(child["session_id"], directory)
    assert (state.parent_id, state.parent_path) == (parent, directory / f"{parent}.jsonl")
    # the parent is untouched by the fork and continues on its own
    claw("-p", "again", "--resume", parent).assert_success()
    assert _texts(loop_env.requests[2]) == ["start", "parent answer", "again"]


def test_fork_onto_an_existing_session_id_is_refused(claw, loop_env, workspace, claw_env):
    """``--fork-session --session-id`` naming a session that exists (the parent, or another) would append
    a ``fork`` event to that session's file and so replace its history on the next load."""
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    parent = claw("-p", "p", "--output-format", "json").assert_success().json()["session_id"]
    other = claw("-p", "o", "--output-format", "json").assert_success().json()["session_id"]
    directory = paths.sessions_dir(workspace, claw_env)
    before = {sid: (directory / f"{sid}.jsonl").read_bytes() for sid in (parent, other)}
    for target in (parent, other):
        claw("-p", "x", "--resume", parent, "--fork-session", "--session-id", target).assert_failure(
            1, f"session {target} already exists; use --resume {target}"
        )
    assert {sid: (directory / f"{sid}.jsonl").read_bytes() for sid in (parent, other)} == before
    assert len(loop_env.requests) == 2


def test_session_id_and_no_persistence(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    sid = str(uuid.uuid4())
    assert (
        claw("-p", "x", "--session-id", sid, "--output-format", "json").assert_success().json()["session_id"]
        == sid
    )
    assert (paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl").exists()
    claw("-p", "x", "--session-id", "not-a-uuid").assert_failure(1, "must be a UUID")
    before = set(paths.sessions_dir(workspace, claw_env).iterdir())
    claw("-p", "x", "--no-session-persistence").assert_success()
    assert set(paths.sessions_dir(workspace, claw_env).iterdir()) == before


def test_session_dir_flag(claw, loop_env, tmp_path):
    loop_env.script(Reply(Text("a")))
    sid = (
        claw("-p", "x", "--session-dir", tmp_path / "s", "--output-format", "json")
        .assert_success()
        .json()["session_id"]
    )
    assert (tmp_path / "s" / f"{sid}.jsonl").exists()


def _first_run(claw, claw_env, workspace) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """``claw -p first`` (its model scripted beforehand): the new session's id and file."""
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    return sid, paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"


def test_torn_last_line_is_skipped_with_a_warning(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    sid, path = _first_run(claw, claw_env, workspace)
    with path.open("ab") as fh:
        fh.write(b'{"type":"user","message":{"role":"us')
    res = claw("-p", "second", "--resume", sid).assert_success()
    assert "torn last line skipped" in res.stderr
    assert _texts(loop_env.requests[1]) == ["first", "one", "second"]
    lines = path.read_bytes().split(b"\n")
    assert lines.count(b'{"type":"user","message":{"role":"us') == 1  # kept as is, never rewritten


def test_dangling_tool_call_is_repaired_on_resume(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")), Reply(Text("resumed")))
    sid, path = _first_run(claw, claw_env, workspace)
    dangling = {
        "type": "assistant",
        "message": {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_dead", "name": "Echo", "input": {}}],
        },
    }
    with path.open("a") as fh:
        fh.write(json.dumps(dangling) + "\n")
    claw("-p", "go on", "--resume", sid).assert_success()
    last = loop_env.requests[1]["messages"][-1]["content"]
    assert last[0]["type"] == "tool_result" and last[0]["tool_use_id"] == "toolu_dead" and last[0]["is_error"]
    assert "interrupted" in last[0]["content"] and last[1]["text"] == "go on"
    loop_env.script(Reply(Text("third")))
    claw("-p", "and again", "--resume", sid).assert_success()
    messages = loop_env.requests[2]["messages"]
    # the repair and the prompt merged into it are one message on the next load, not two; the two
    # assistant lines in a row are one turn, as the APIs read them
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant", "user"]
    assert [b["type"] for b in messages[1]["content"]] == ["text", "tool_use"]
    assert [b["type"] for b in messages[2]["content"]] == ["tool_result", "text"]


def _damage(path, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Overwrite the first message line holding a ``kind`` block with bytes that are not JSON."""
    lines = path.read_bytes().split(b"\n")

    def holds(line: bytes) -> bool:
        event = json.loads(line) if line.strip() else {}
        blocks = (
            (event.get("message") or {}).get("content")
            if event.get("type") in ("user", "assistant")
            else None
        )
        return isinstance(blocks, list) and any(b.get("type") == kind for b in blocks)

    lines[next(i for i, line in enumerate(lines) if holds(line))] = b'{"type":"user","message":{"ro\x00\xff'
    path.write_bytes(b"\n".join(lines))


def _valid_for_the_api(messages: list[dict]) -> None:
    """What the Messages API checks: alternating roles from the user, every tool_use answered by the
    next message, every tool_result answering a tool_use of the message before it."""
    assert messages[0]["role"] == "user"
    for before, after in itertools.pairwise(messages):
        assert before["role"] != after["role"]
    for i, m in enumerate(messages):
        if m["role"] != "user":
            continue
        calls = {b["id"] for b in messages[i - 1]["content"] if b["type"] == "tool_use"} if i else set()
        results = {b["tool_use_id"] for b in m["content"] if b["type"] == "tool_result"}
        assert results == calls, (i, results, calls)


def _resume_damaged(claw, loop_env, claw_env, workspace, kind: str):  # type: ignore[no-untyped-def]
    """A session with one ``Echo`` call (``toolu_e``), its first ``kind`` line damaged, resumed: the
    resumed run, whose request to the model the Messages API would accept."""
    loop_env.script(Reply(ToolCall("Echo", {"text": "x"}, id="toolu_e")), Reply(Text("one")))
    sid, path = _first_run(claw, claw_env, workspace)
    _damage(path, kind)
    loop_env.script(Reply(Text("two")))
    res = claw("-p", "second", "--resume", sid).assert_success()
    _valid_for_the_api(loop_env.requests[-1]["messages"])
    return res


def test_a_damaged_tool_call_line_mid_session_still_resumes_validly(claw, loop_env, claw_env, workspace):
    res = _resume_damaged(claw, loop_env, claw_env, workspace, "tool_use")
    assert "unreadable line" in res.stderr
    assert "dropped tool results whose call was lost (1)" in res.stderr


def test_a_damaged_tool_result_line_mid_session_still_resumes_validly(claw, loop_env, claw_env, workspace):
    res = _resume_damaged(claw, loop_env, claw_env, workspace, "tool_result")
    assert "answered tool calls whose results were lost (1)" in res.stderr
    messages = loop_env.requests[-1]["messages"]
    lost = [b for m in messages for b in m["content"] if b.get("tool_use_id") == "toolu_e"]
    assert lost and lost[0]["is_error"] and "could not be read back" in lost[0]["content"]


def test_a_damaged_first_prompt_and_a_line_that_is_not_an_object(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")))
    sid, path = _first_run(claw, claw_env, workspace)
    lines = path.read_bytes().split(b"\n")
    first_user = next(
        i for i, line in enumerate(lines) if b'"type": "user"' in line or b'"type":"user"' in line
    )
    lines[first_user] = b"[1, 2, 3]"
    path.write_bytes(b"\n".join(lines))
    loop_env.script(Reply(Text("two")))
    res = claw("-p", "second", "--resume", sid).assert_success()
    assert "1 line(s) that are not JSON objects skipped" in res.stderr
    assert "stood in for a first prompt that was lost (1)" in res.stderr
    _valid_for_the_api(loop_env.requests[-1]["messages"])


def test_a_message_of_the_wrong_shape_is_dropped_and_the_rest_resumes(claw, loop_env, claw_env, workspace):
    """A line that is JSON but no message (``content: null``, found by the session-file fuzz test)."""
    loop_env.script(Reply(Text("one")))
    sid, path = _first_run(claw, claw_env, workspace)
    with path.open("a") as fh:
        fh.write(json.dumps({"type": "user", "message": {"role": "user", "content": None}}) + "\n")
    loop_env.script(Reply(Text("two")))
    res = claw("-p", "go on", "--resume", sid).assert_success()
    assert "dropped messages that could not be read (1)" in res.stderr
    assert _texts(loop_env.requests[-1])[-2:] == ["one", "go on"]
    _valid_for_the_api(loop_env.requests[-1]["messages"])


def test_an_interrupted_tool_call_repaired_on_resume_is_said(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")))
    sid, path = _first_run(claw, claw_env, workspace)
    dangling = {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": "t1", "name": "Echo", "input": {}}],
    }
    with path.open("a") as fh:
        fh.write(json.dumps({"type": "user", "message": {"role": "user", "content": "more"}}) + "\n")
        fh.write(json.dumps({"type": "assistant", "message": dangling}) + "\n")
    loop_env.script(Reply(Text("two")))
    res = claw("-p", "go on", "--resume", sid).assert_success()
    assert "answered tool calls the last run left unfinished as interrupted (1)" in res.stderr
    assert "dropped" not in res.stderr


def test_sessions_list_and_resume_session(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    sid = claw("-p", "list me", "--output-format", "json").assert_success().json()["session_id"]
    listed = claw("sessions", "list", "--json").assert_success().json()
    assert listed[0]["session_id"] == sid and listed[0]["title"] == "list me" and listed[0]["num_turns"] == 1
    assert sid in claw("sessions", "list").assert_success().stdout
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    res = claw("--output-format", "json", "resume-session", str(path), "next").assert_success()
    assert res.json()["session_id"] == sid
    assert _texts(loop_env.requests[1]) == ["list me", "one", "next"]


def test_timeline_in_three_formats(claw, loop_env, claw_env):
    claw_env["CLAW_MAX_RETRIES"] = "3"
    from claw.testing.script import Fault

    loop_env.script(
        Fault(status=529),
        Reply(ToolCall("Echo", {"text": "t"}), usage=Usage(cache_creation_input_tokens=100)),
        Reply(Text("finished"), usage=Usage(cache_read_input_tokens=100)),
    )
    sid = claw("-p", "timeline me", "--output-format", "json").assert_success().json()["session_id"]
    data = claw("timeline", "--session", sid, "--format", "json").assert_success().json()
    assert data["session_id"] == sid
    assert data["cache_stats"] == {"hits": 1, "misses": 1, "writes": 1, "unexpected_breaks": 0}
    types = [e["type"] for e in data["events"]]
    assert types[0] == "session_start" and "api_retry" in types and "permission" in types
    assert any("Echo" in e["summary"] for e in data["events"])
    md = claw("timeline", "--session", sid, "--format", "md").assert_success().stdout
    assert md.startswith(f"# Session {sid}") and "| api_retry |" in md and "hits 1" in md
    pretty = claw("timeline", "--session", sid).assert_success().stdout
    assert "timeline me" in pretty and "api_retry" in pretty
    limited = (
        claw("timeline", "--session", "latest", "--format", "json", "--limit", "2").assert_success().json()
    )
    assert [e["type"] for e in limited["events"]] == types[-2:]


def test_a_session_in_use_cannot_be_resumed_twice(claw, loop_env, claw_env, workspace):
    from claw_sessions.store import SessionWriter

    loop_env.script(Reply(Text("one")), Reply(Text("forked")))
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    holder = SessionWriter(paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl")
    try:
        claw("-p", "second", "--resume", sid).assert_failure(1, "in use by another claw process")
        claw("-p", "second", "--resume", sid, "--fork-session").assert_success()
    finally:
        holder.close()


def test_resuming_a_session_running_a_tool_says_only_that_it_is_in_use(claw, loop_env, workspace):
    """A session whose run is in a tool call right now: resuming it is refused, and nothing else is said.
    The refusal came after a warning that its unanswered call had been answered as interrupted, which
    was not so (the call was running, and the file was left alone)."""
    from claw.testing import wait_for

    sid = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
    loop_env.script(Reply(ToolCall("Nap", {"seconds": 30})))
    running = claw.popen("-p", "nap", "--session-id", sid)
    try:
        wait_for(lambda: (workspace / "tools.log").exists(), what="the Nap tool to start")
        res = claw("-p", "second", "--resume", sid).assert_failure(1)
        assert res.stderr.splitlines() == [
            f"claw: error: session {sid} is in use by another claw process; use --fork-session"
        ]
    finally:
        running.kill()
        running.wait(timeout=30)


def test_unwritable_session_dir_is_one_line_error(claw, loop_env, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the sessions directory should be")
    res = claw("-p", "x", "--session-dir", blocker / "sessions")
    res.assert_failure(1, "cannot write the session file")
    assert len(res.stderr.strip().splitlines()) == 1
