"""End to end: ``claw -p`` with the real Anthropic and OpenAI provider plugins, through their official SDKs,
against loopback servers speaking the real wire protocols (``claw.testing`` mock servers)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from claw import _paths as paths
from claw.testing.script import Fault, Reply, Text, ToolCall, Usage


@pytest.fixture
def e2e(e2e_env, anthropic_server, openai_server):  # type: ignore[no-untyped-def]
    """Both providers pointed at their mock servers, fast retries, the Lookup test tool."""
    e2e_env(
        ANTHROPIC_API_KEY="sk-ant-test",
        ANTHROPIC_BASE_URL=anthropic_server.url,
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=openai_server.base_url,
    )
    return anthropic_server, openai_server


def _settings(workspace: Path, data: dict) -> None:  # type: ignore[type-arg]
    (workspace / ".claw").mkdir(exist_ok=True)
    (workspace / ".claw" / "settings.json").write_text(json.dumps(data))


def test_anthropic_multi_turn_with_tools(claw, e2e):
    server, _ = e2e
    server.script(
        Reply(
            Text("Looking it up."),
            ToolCall("Lookup", {"word": "claw"}, id="toolu_a1"),
            usage=Usage(input_tokens=100, output_tokens=20, cache_creation_input_tokens=1000),
        ),
        Reply(
            Text("A claw is a curved nail."),
            usage=Usage(input_tokens=30, output_tokens=10, cache_read_input_tokens=1000),
        ),
    )
    res = claw("-p", "what is a claw?", "--model", "sonnet", "--output-format", "json").assert_success()
    result = res.json()
    assert result["result"] == "A claw is a curved nail." and result["num_turns"] == 2
    assert result["modelUsage"]["claude-sonnet-5-5"]["cacheReadInputTokens"] == 1000
    assert result["total_cost_usd"] > 0
    assert result["cache_stats"] == {"hits": 1, "misses": 1, "writes": 1, "unexpected_breaks": 0}
    first, second = (r.json for r in server.requests)
    assert first["model"] == "claude-sonnet-5-5" and first["stream"] is True
    assert "Lookup" in [t["name"] for t in first["tools"]]
    assert first["messages"][0]["content"][0]["text"] == "what is a claw?"
    tool_result = second["messages"][-1]["content"][0]
    assert tool_result["type"] == "tool_result" and tool_result["tool_use_id"] == "toolu_a1"
    assert "definition of claw" in json.dumps(tool_result["content"])


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_openai_multi_turn_with_tools(claw, e2e, workspace, api):
    _, server = e2e
    _settings(workspace, {"providers": {"openai": {"api": api}}})
    server.script(
        Reply(ToolCall("Lookup", {"word": "pincer"}, id="call_1")),
        Reply(Text("A pincer grips.")),
    )
    res = claw(
        "-p", "define pincer", "--model", "openai/gpt-5.4-mini", "--output-format", "stream-json", "--verbose"
    ).assert_success()
    lines = res.json_lines()
    assert [x["type"] for x in lines] == ["system", "assistant", "user", "assistant", "result"]
    assert lines[1]["message"]["content"][0]["name"] == "Lookup"
    assert lines[-1]["result"] == "A pincer grips."
    paths_hit = {r.path.split("?")[0] for r in server.requests}
    assert paths_hit == {"/v1/chat/completions" if api == "chat" else "/v1/responses"}
    second = json.dumps(server.requests[1].json)
    assert "definition of pincer" in second and "call_1" in second


def test_overloaded_then_success(claw, e2e):
    server, _ = e2e
    server.script(Fault(status=529, message="Overloaded"), Reply(Text("ok after retry")))
    res = claw(
        "-p", "hi", "--model", "sonnet", "--output-format", "stream-json", "--verbose"
    ).assert_success()
    lines = res.json_lines()
    retry = next(x for x in lines if x.get("subtype") == "api_retry")
    assert retry["error_status"] == 529 and retry["error"] == "overloaded"
    assert lines[-1]["result"] == "ok after retry" and len(server.requests) == 2


def test_bad_request_fails_fast_with_the_servers_message(claw, e2e):
    server, _ = e2e
    server.script(Fault(status=400, message="max_tokens: must be at most 64000"))
    res = claw("-p", "hi", "--model", "sonnet")
    res.assert_failure(1, "max_tokens: must be at most 64000")
    assert len(server.requests) == 1


def test_fallback_from_anthropic_to_openai(claw, e2e, claw_env, workspace):
    anthropic, openai = e2e
    claw_env["CLAW_MAX_RETRIES"] = "1"
    _settings(workspace, {"model": "sonnet", "fallbackModels": ["openai/gpt-4.1-mini"]})
    anthropic.script(Fault(status=529), Fault(status=529))
    openai.script(Reply(Text("answered by openai")))
    res = claw("-p", "hi", "--output-format", "json").assert_success()
    result = res.json()
    assert result["result"] == "answered by openai" and result["model"] == "openai/gpt-4.1-mini"
    assert len(anthropic.requests) == 2 and len(openai.requests) == 1
    events = paths.sessions_dir(workspace, claw_env) / f"{result['session_id']}.jsonl"
    switch = [json.loads(x) for x in events.read_text().splitlines() if '"model_switch"' in x]
    assert switch[0]["from"] == "anthropic/claude-sonnet-5-5" and switch[0]["to"] == "openai/gpt-4.1-mini"


def test_cut_stream_and_in_stream_error_are_retried(claw, e2e):
    server, _ = e2e
    server.script(
        Fault(kind="cut", after_events=3, reply=Reply(Text("this will be cut off halfway"))),
        Fault(kind="stream_error", status=529, message="Overloaded", after_events=2),
        Reply(Text("complete")),
    )
    res = claw("-p", "hi", "--model", "sonnet", "--output-format", "json").assert_success()
    assert res.json()["result"] == "complete" and len(server.requests) == 3


def test_stalled_stream_is_aborted_and_retried(claw, e2e, claw_env):
    server, _ = e2e
    claw_env["CLAW_STREAM_IDLE_TIMEOUT"] = "0.5"
    server.script(Fault(kind="stall", after_events=2, seconds=20), Reply(Text("after the stall")))
    res = claw("-p", "hi", "--model", "sonnet", "--output-format", "json").assert_success()
    assert res.json()["result"] == "after the stall" and "stalled" in res.stderr


def test_max_turns(claw, e2e):
    server, _ = e2e
    server.script(Reply(ToolCall("Lookup", {"word": "a"})), Reply(ToolCall("Lookup", {"word": "b"})))
    res = claw("-p", "loop", "--model", "sonnet", "--max-turns", "1", "--output-format", "json")
    res.assert_failure(1)
    assert res.json()["subtype"] == "error_max_turns" and len(server.requests) == 1


def test_fork_and_timeline(claw, e2e):
    server, _ = e2e
    server.script(Reply(Text("first")), Reply(Text("forked")))
    sid = (
        claw("-p", "one", "--model", "sonnet", "--output-format", "json")
        .assert_success()
        .json()["session_id"]
    )
    fork = claw(
        "-p", "two", "--model", "sonnet", "--resume", sid, "--fork-session", "--output-format", "json"
    )
    child = fork.assert_success().json()["session_id"]
    assert child != sid
    sent = server.requests[1].json["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"] and sent[1]["content"][0][
        "text"
    ] == "first"
    data = claw("timeline", "--session", child, "--format", "json").assert_success().json()
    assert [e["type"] for e in data["events"]][:2] == ["session_start", "fork"]
    assert (
        claw("timeline", "--session", child, "--format", "md").assert_success().stdout.startswith("# Session")
    )
    assert "forked" in claw("timeline", "--session", child).assert_success().stdout


def test_compaction_with_a_real_provider(claw, e2e, workspace):
    server, _ = e2e
    _settings(workspace, {"compaction": {"threshold": 0.0001, "keepRecentTurns": 1}})
    server.script(
        Reply(ToolCall("Lookup", {"word": "x"}), usage=Usage(input_tokens=500)),
        Reply(ToolCall("Lookup", {"word": "y"}), usage=Usage(input_tokens=500)),
        Reply(Text("Summary: looked up x.")),
        Reply(Text("done"), usage=Usage(input_tokens=10)),
    )
    # sonnet has a 1M-token window: 500 tokens pass 0.0001 of it
    res = claw("-p", "go", "--model", "sonnet", "--output-format", "json").assert_success()
    assert res.json()["result"] == "done"
    final = server.requests[3].json["messages"]
    assert "Summary: looked up x." in json.dumps(final[0]) and len(final) == 3


def _wait(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_kill_9_mid_turn_then_resume_against_anthropic(claw, e2e, claw_env, workspace):
    server, _ = e2e
    server.script(
        Reply(Text("checking"), ToolCall("Lookup", {"word": "kill"}, id="toolu_k")),
        Fault(kind="stall", after_events=2, seconds=60),
        Reply(Text("resumed fine")),
    )
    proc = claw.popen("-p", "survive this", "--model", "sonnet", stdin=subprocess.DEVNULL)
    try:
        _wait(lambda: len(server.requests) >= 2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    (session,) = paths.sessions_dir(workspace, claw_env).glob("*.jsonl")
    res = claw.subprocess(
        "-p", "go on", "--resume", session.stem, "--model", "sonnet", "--output-format", "json"
    )
    assert res.assert_success().json()["result"] == "resumed fine"
    messages = server.requests[2].json["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"][1]["id"] == "toolu_k"
    kinds = [b["type"] for b in messages[2]["content"]]
    assert kinds == ["tool_result", "text"] and "definition of kill" in json.dumps(messages[2]["content"][0])
