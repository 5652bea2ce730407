"""Compaction through the CLI, with claw-sessions keeping the session: automatic when the context passes
the threshold, after the API says it overflowed, before the first request of a resumed session near the
limit; the ``compaction`` event, ``compact_boundary`` message and the history a resume starts from."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text, ToolCall, Usage


def test_compaction_on_a_tiny_context_window(claw, loop_env, session_events, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"compaction": {"keepRecentTurns": 1}}))
    big = Usage(input_tokens=1900, output_tokens=50)
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "1"}), usage=big),
        Reply(ToolCall("Echo", {"text": "2"}), usage=big),
        Reply(Text("SUMMARY: echoed 1")),
        Reply(Text("final"), usage=Usage(input_tokens=300)),
        Reply(Text("after resume")),
    )
    lines = (
        claw("-p", "work", "--model", "scripted/tiny", "--output-format", "stream-json", "--verbose")
        .assert_success()
        .json_lines()
    )
    boundaries = [x for x in lines if x.get("subtype") == "compact_boundary"]
    assert len(boundaries) == 1 and boundaries[0]["compact_metadata"]["trigger"] == "auto"
    summary_req = loop_env.requests[2]
    assert "Summarise the conversation above" in summary_req["messages"][-1]["content"][-1]["text"]
    after = loop_env.requests[3]["messages"]
    assert "SUMMARY: echoed 1" in after[0]["content"][0]["text"]
    assert after[1]["role"] == "assistant" and after[1]["content"][0]["input"] == {"text": "2"}
    assert len(after) == 3
    sid = lines[0]["session_id"]
    comp = [e for e in session_events(sid) if e["type"] == "compaction"]
    assert comp and comp[0]["summarised_messages"] == 3 and comp[0]["kept_messages"] == 2
    claw("-p", "more", "--resume", sid, "--model", "scripted/tiny").assert_success()
    resumed = loop_env.requests[4]["messages"]
    assert (
        "SUMMARY: echoed 1" in resumed[0]["content"][0]["text"]
        and resumed[-1]["content"][-1]["text"] == "more"
    )
    assert len(resumed) == 5


def test_context_overflow_compacts_and_retries(claw, loop_env, workspace):
    from claw.testing.script import Fault

    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"compaction": {"keepRecentTurns": 1}}))
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "1"})),
        Reply(ToolCall("Echo", {"text": "2"})),
        Fault(status=400, message="prompt is too long: 210000 tokens > 200000 maximum"),
        Reply(Text("summary of the start")),
        Reply(Text("fits now")),
    )
    res = claw("-p", "go", "--output-format", "json").assert_success()
    assert res.json()["result"] == "fits now"
    assert "summary of the start" in loop_env.requests[4]["messages"][0]["content"][0]["text"]


def test_resume_near_the_limit_compacts_before_the_first_request(claw, loop_env, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"compaction": {"keepRecentTurns": 1}}))
    big = Usage(input_tokens=1950)
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "1"})),
        Reply(Text("first done"), usage=big),
        Reply(Text("summary")),
        Reply(Text("after")),
    )
    sid = (
        claw("-p", "go", "--model", "scripted/tiny", "--output-format", "json")
        .assert_success()
        .json()["session_id"]
    )
    claw("-p", "more", "--resume", sid, "--model", "scripted/tiny").assert_success()
    assert "Summarise the conversation above" in json.dumps(loop_env.requests[2]["messages"][-1])
    assert "summary" in loop_env.requests[3]["messages"][0]["content"][0]["text"]
