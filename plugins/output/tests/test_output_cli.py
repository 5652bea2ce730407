"""claw-output's renderers through ``claw -p``, against the scripted provider: ``text`` streams the answer
without repeating what a retried request streams again, and ``stream-json --include-partial-messages`` prints
Claude Code's ``stream_event`` lines. (The shapes of the other messages are tested in
kernel/tests/test_loop_cli.py.)"""

from __future__ import annotations

import json

from claw.testing.script import Fault, Reply, Text, ToolCall


def test_include_partial_messages(claw, loop_env):
    loop_env.script(Reply(Text("hello"), ToolCall("Echo", {"text": "z"})), Reply(Text("bye")))
    res = claw("-p", "hi", "--output-format", "stream-json", "--verbose", "--include-partial-messages")
    lines = res.assert_success().json_lines()
    events = [x["event"] for x in lines if x["type"] == "stream_event"]
    first = events[: events.index({"type": "message_stop"}) + 1]
    assert [e["type"] for e in first] == [
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "content_block_stop",
        "message_stop",
    ]
    text = "".join(e["delta"]["text"] for e in first if e.get("delta", {}).get("type") == "text_delta")
    assert text == "hello"
    assert first[3]["content_block"]["name"] == "Echo"
    assert json.loads(first[4]["delta"]["partial_json"]) == {"text": "z"}
    kinds = [x["type"] for x in lines]
    assert kinds.index("stream_event") < kinds.index("assistant")
    own = [x["session_id"] for x in lines if x["type"] in ("stream_event", "assistant", "user")]
    assert "user" in kinds and set(own) == {lines[0]["session_id"]}  # the session ``init`` announced


def test_the_flags_adding_stream_json_lines_need_stream_json_output(claw, loop_env):
    """As Claude Code: ``--include-partial-messages`` with ``text`` or ``json`` output would print
    nothing of what it asks for, so it is a usage error, as ``--include-hook-events`` is."""
    for flag in ("--include-partial-messages", "--include-hook-events"):
        for fmt in ("text", "json"):
            res = claw("-p", "hi", "--output-format", fmt, flag)
            res.assert_failure(2)
            assert f"{flag} requires --output-format=stream-json" in res.stderr
    assert loop_env.requests == []  # refused before any model request


def test_text_output_does_not_repeat_text_a_retry_streams_again(claw, loop_env):
    answer = "The answer is forty-two."
    loop_env.script(
        Fault(kind="cut", after_events=1, reply=Reply(Text(answer))),  # half the text, then cut
        Fault(kind="cut", after_events=1, reply=Reply(Text(answer))),  # the same half again
        Reply(Text(answer)),
    )
    res = claw("-p", "hi").assert_success()
    assert res.stdout == answer + "\n"
    notices = [line for line in res.stderr.splitlines() if "retrying after" in line]
    assert len(notices) == 2 and notices[0].startswith("claw: warning: retrying after scripted/default:")


def test_text_output_after_a_retry_that_answers_differently_starts_a_fresh_line(claw, loop_env):
    loop_env.script(Fault(kind="cut", after_events=1, reply=Reply(Text("First try"))), Reply(Text("Other")))
    assert claw("-p", "hi").assert_success().stdout == "Firs\nOther\n"


def test_include_hook_events_prints_each_hook_run_as_two_system_lines(claw, loop_env):
    """``--include-hook-events``: the stream-json renderer prints Claude Code's ``hook_started`` and
    ``hook_response`` for every hook run, a failed command hook's as ``outcome: error``."""
    hooks = {
        "PreToolUse": [{"matcher": "Echo", "hooks": [{"type": "command", "command": "true"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "echo broken >&2; exit 1"}]}],
    }
    loop_env.script(Reply(ToolCall("Echo", {"text": "z"})), Reply(Text("bye")))
    flags = ("--output-format", "stream-json", "--verbose", "--include-hook-events")
    lines = claw("-p", "hi", *flags, "--settings", json.dumps({"hooks": hooks})).assert_success().json_lines()
    runs = [x for x in lines if x.get("subtype", "").startswith("hook_")]
    assert [(x["subtype"], x["hook_event"]) for x in runs] == [
        ("hook_started", "PreToolUse"),
        ("hook_response", "PreToolUse"),
        ("hook_started", "Stop"),
        ("hook_response", "Stop"),
    ]
    assert {x["session_id"] for x in runs} == {lines[0]["session_id"]}
    assert runs[0]["hook_id"] == runs[1]["hook_id"] != runs[2]["hook_id"]
    assert runs[1]["outcome"] == "success" and runs[1]["exit_code"] == 0
    assert runs[3]["outcome"] == "error" and runs[3]["exit_code"] == 1, runs[3]
    assert [x["type"] for x in lines if x["type"] != "system"] == ["assistant", "user", "assistant", "result"]
