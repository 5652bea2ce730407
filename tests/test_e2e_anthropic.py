"""End to end: ``claw -p`` with the Anthropic provider plugin, through the official SDK, against the
loopback Messages API server."""

from __future__ import annotations

import pytest
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage


@pytest.fixture
def env(e2e_env, anthropic_server):  # type: ignore[no-untyped-def]
    return e2e_env(ANTHROPIC_API_KEY="sk-ant-e2e", ANTHROPIC_BASE_URL=anthropic_server.url)


def test_multi_turn_tool_session(claw, env, anthropic_server, workspace) -> None:
    anthropic_server.script(
        Reply(
            Thinking("Look it up first.", signature="sig-turn-1"),
            ToolCall("Lookup", {"word": "claw"}, id="toolu_1"),
            usage=Usage(input_tokens=1000, output_tokens=50, cache_creation_input_tokens=4000),
        ),
        Reply(
            ToolCall("Note", {"text": "a claw grips"}, id="toolu_2"),
            usage=Usage(cache_read_input_tokens=4000),
        ),
        Reply(
            Text("Noted the definition."),
            usage=Usage(input_tokens=20, output_tokens=8, cache_read_input_tokens=4100),
        ),
    )
    res = claw(
        "-p",
        "define claw and note it",
        "--model",
        "anthropic/claude-sonnet-4-6",
        "--reasoning-effort",
        "high",
        "--output-format",
        "json",
        "--dangerously-skip-permissions",
    ).assert_success()
    result = res.json()
    assert result["subtype"] == "success" and result["num_turns"] == 3
    assert result["result"] == "Noted the definition."
    assert (workspace / "note.txt").read_text() == "a claw grips"
    assert result["usage"]["cache_read_input_tokens"] == 8100
    assert result["cache_stats"] == {"hits": 2, "misses": 1, "writes": 1, "unexpected_breaks": 0}
    assert result["total_cost_usd"] > 0

    first, second, third = (r.json for r in anthropic_server.requests)
    assert first["model"] == "claude-sonnet-4-6"
    assert first["thinking"] == {"type": "adaptive"} and first["output_config"] == {"effort": "high"}
    assert {t["name"] for t in first["tools"]} >= {"Lookup", "Note"}
    assert "You are claw" in first["system"][0]["text"]
    # the thinking block and its signature go back unchanged, followed by the tool result
    assistant, results = second["messages"][1], second["messages"][2]
    assert assistant["content"][0] == {
        "type": "thinking",
        "thinking": "Look it up first.",
        "signature": "sig-turn-1",
    }
    assert results["content"][0]["tool_use_id"] == "toolu_1"
    assert "definition of claw" in str(results["content"][0]["content"])
    for body in (first, second, third):
        marks = str(body).count("cache_control")
        assert 1 <= marks <= 4


def test_overloaded_then_success(claw, env, anthropic_server) -> None:
    anthropic_server.script(Fault(status=529, message="Overloaded"), Reply(Text("fine now")))
    res = claw(
        "-p", "hi", "--model", "claude-sonnet-4-6", "--output-format", "stream-json", "--verbose"
    ).assert_success()
    lines = res.json_lines()
    retries = [x for x in lines if x.get("subtype") == "api_retry"]
    assert len(retries) == 1 and retries[0]["error_status"] == 529 and retries[0]["error"] == "overloaded"
    assert lines[-1]["result"] == "fine now"
    assert len(anthropic_server.requests) == 2


def test_rate_limit_honours_retry_after_then_succeeds(claw, env, anthropic_server) -> None:
    anthropic_server.script(Fault(status=429, message="slow down", retry_after=0.05), Reply(Text("ok")))
    res = claw(
        "-p", "hi", "--model", "sonnet", "--output-format", "stream-json", "--verbose"
    ).assert_success()
    retry = next(x for x in res.json_lines() if x.get("subtype") == "api_retry")
    assert retry["error_status"] == 429 and retry["retry_delay_ms"] >= 50
    assert anthropic_server.requests[0].json["model"] == "claude-sonnet-5-5"  # the alias


def test_bad_request_fails_fast_with_the_message(claw, env, anthropic_server) -> None:
    anthropic_server.script(Fault(status=400, message="max_tokens: 999999 > 64000"), Reply(Text("never")))
    res = claw("-p", "hi", "--model", "anthropic/claude-sonnet-4-6")
    res.assert_failure(1, "max_tokens: 999999 > 64000")
    assert len(anthropic_server.requests) == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    assert len(errors) == 1
    # the provider and the status once: not "anthropic API error 400: anthropic: 400 ..."
    assert errors[0].startswith("claw: error: anthropic API error 400: invalid_request_error: max_tokens")


def test_spend_limit_is_not_retried(claw, env, anthropic_server) -> None:
    anthropic_server.script(
        Fault(status=429, message="spend limit reached", error_code="enforced_spend_limit_reached"),
        Reply(Text("x")),
    )
    claw("-p", "hi", "--model", "claude-sonnet-4-6").assert_failure(1, "spend limit reached")
    assert len(anthropic_server.requests) == 1


def test_cut_stream_is_retried(claw, env, anthropic_server) -> None:
    anthropic_server.script(
        Fault(kind="cut", after_events=4, reply=Reply(Text("partial"))), Reply(Text("whole"))
    )
    res = claw("-p", "hi", "--model", "claude-sonnet-4-6", "--output-format", "json").assert_success()
    assert res.json()["result"] == "whole"


def test_fallback_to_a_second_claude_model(claw, env, anthropic_server) -> None:
    env["CLAW_MAX_RETRIES"] = "1"
    anthropic_server.script(Fault(status=529), Fault(status=529), Reply(Text("from haiku")))
    res = claw(
        "-p",
        "hi",
        "--model",
        "anthropic/claude-opus-5-5",
        "--fallback-model",
        "anthropic/claude-haiku-4-5",
        "--output-format",
        "json",
    ).assert_success()
    assert res.json()["result"] == "from haiku"
    assert res.json()["model"] == "anthropic/claude-haiku-4-5"
    assert [r.json["model"] for r in anthropic_server.requests] == [
        "claude-opus-5-5",
        "claude-opus-5-5",
        "claude-haiku-4-5",
    ]


def test_missing_key_is_one_line_naming_the_variable(claw, env, anthropic_server) -> None:
    del env["ANTHROPIC_API_KEY"]
    res = claw("-p", "hi", "--model", "anthropic/claude-sonnet-4-6")
    res.assert_failure(1, "ANTHROPIC_API_KEY")
    assert len(res.stderr.strip().splitlines()) == 1
    assert anthropic_server.requests == []


def test_cache_break_is_detected(claw, env, anthropic_server) -> None:
    anthropic_server.script(
        Reply(ToolCall("Lookup", {"word": "a"}), usage=Usage(cache_creation_input_tokens=5000)),
        Reply(ToolCall("Lookup", {"word": "b"}), usage=Usage(cache_read_input_tokens=5000)),
        Reply(Text("done"), usage=Usage(input_tokens=5200)),  # same prefix, nothing read back
    )
    res = claw(
        "-p", "look up a and b", "--model", "claude-sonnet-4-6", "--output-format", "json"
    ).assert_success()
    assert res.json()["cache_stats"]["unexpected_breaks"] == 1


def test_stalled_stream_is_aborted_and_retried(claw, env, anthropic_server) -> None:
    env["CLAW_STREAM_IDLE_TIMEOUT"] = "0.3"
    anthropic_server.script(Fault(kind="stall", after_events=3, seconds=5), Reply(Text("after the stall")))
    res = claw("-p", "hi", "--model", "claude-sonnet-4-6", "--output-format", "json").assert_success()
    assert res.json()["result"] == "after the stall"
    assert "stalled" in res.stderr
    assert len(anthropic_server.requests) == 2
