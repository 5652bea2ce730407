"""``claw -p`` sessions on Vertex AI: Claude through AsyncAnthropicVertex and Gemini through google-genai,
against the loopback Vertex server."""

from __future__ import annotations

import json

import pytest
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall
from claw_testkit.mock_bedrock import MockBedrockServer
from claw_testkit.mock_vertex import MockVertexServer
from cloud_e2e import LOOKUP_TOOL, error_lines, tool_results


@pytest.fixture
def vertex(e2e_env, workspace):  # type: ignore[no-untyped-def]
    with MockVertexServer(access_token="ya29.e2e") as server:
        e2e_env(LOOKUP_TOOL, GOOGLE_CLOUD_PROJECT="e2e-project", CLOUD_ML_REGION="us-east5")
        settings = {"providers": {"vertex": {"base_url": server.url, "access_token": "ya29.e2e"}}}
        (workspace / ".claw").mkdir(exist_ok=True)
        (workspace / ".claw" / "settings.local.json").write_text(json.dumps(settings))
        yield server


@pytest.fixture
def bedrock(claw_env):  # type: ignore[no-untyped-def]
    """Bedrock beside Vertex, for fallbacks either way (one retry before falling back)."""
    with MockBedrockServer() as server:
        claw_env.update(
            AWS_ACCESS_KEY_ID="AKID",
            AWS_SECRET_ACCESS_KEY="s",
            AWS_REGION="us-east-1",
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
            CLAW_MAX_RETRIES="1",
        )
        yield server


@pytest.mark.parametrize("model", ["vertex/claude-sonnet-4-5", "vertex/gemini-2.5-pro"])
def test_multi_turn_tool_session(claw, vertex, model):
    vertex.script(
        Reply(Thinking("need the fact", signature="sig-e2e"), ToolCall("Lookup", {"key": "answer"})),
        Reply(Text("It is 42.")),
    )
    res = claw(
        "-p", "answer?", "--model", model, "--effort", "high", "--output-format", "json"
    ).assert_success()
    result = res.json()
    assert result["result"] == "It is 42." and result["num_turns"] == 2
    publisher = "anthropic" if "claude" in model else "google"
    vertex_id = "claude-sonnet-4-5@20250929" if "claude" in model else "gemini-2.5-pro"
    assert [c[:2] for c in vertex.calls] == [(publisher, vertex_id)] * 2
    assert {c[3:] for c in vertex.calls} == {("e2e-project", "us-east5")}
    second = vertex.requests[1].json
    if publisher == "anthropic":
        assert tool_results(second["messages"]) == ["fact: 42"]
        assert second["messages"][1]["content"][0]["signature"] == "sig-e2e"
    else:
        call, response = second["contents"][1]["parts"][0], second["contents"][2]["parts"][0]
        assert call["functionCall"]["name"] == "Lookup" and call["thoughtSignature"]
        assert response["functionResponse"] == {"name": "Lookup", "response": {"output": "fact: 42"}}


@pytest.mark.parametrize("model", ["vertex/claude-sonnet-4-6", "vertex/gemini-2.5-flash"])
def test_throttling_then_success(claw, vertex, model):
    vertex.script(Fault(status=429, message="Quota exceeded"), Reply(Text("ok")))
    res = claw("-p", "hi", "--model", model, "--output-format", "stream-json", "--verbose").assert_success()
    lines = res.json_lines()
    retry = [x for x in lines if x.get("subtype") == "api_retry"]
    assert len(retry) == 1 and retry[0]["error_status"] == 429 and retry[0]["error"] == "rate_limit"
    assert lines[-1]["result"] == "ok"


@pytest.mark.parametrize("model", ["vertex/claude-sonnet-4-6", "vertex/gemini-2.5-flash"])
def test_bad_token_fails_fast_with_one_line(claw, vertex, model, workspace):
    settings = {"providers": {"vertex": {"base_url": vertex.url, "access_token": "ya29.expired"}}}
    (workspace / ".claw" / "settings.local.json").write_text(json.dumps(settings))
    res = claw("-p", "hi", "--model", model)
    res.assert_failure(1, "401")
    lines = error_lines(res.stderr)
    assert len(lines) == 1 and "invalid authentication credentials" in lines[0]
    assert len(vertex.requests) == 1


def test_no_project_is_one_clear_line(claw, vertex, claw_env):
    del claw_env["GOOGLE_CLOUD_PROJECT"]
    res = claw("-p", "hi", "--model", "vertex/gemini-2.5-flash")
    res.assert_failure(1, "GOOGLE_CLOUD_PROJECT")
    assert len(error_lines(res.stderr)) == 1 and vertex.requests == []


def test_fallback_from_bedrock_to_vertex(claw, vertex, bedrock):
    bedrock.script(Fault(status=503, message="Service unavailable"), Fault(status=503, message="still"))
    vertex.script(Reply(Text("from vertex")))
    res = claw(
        "-p",
        "hi",
        "--model",
        "bedrock/claude-opus-4-6",
        "--fallback-model",
        "vertex/claude-opus-4-6",
        "--output-format",
        "json",
    ).assert_success()
    assert len(bedrock.requests) == 2
    assert res.json()["result"] == "from vertex" and res.json()["model"] == "vertex/claude-opus-4-6"
    assert vertex.calls[0][:2] == ("anthropic", "claude-opus-4-6")


def test_mid_session_fallback_from_gemini_to_bedrock_claude(claw, vertex, bedrock):
    # Gemini reasons and calls a tool; its next request fails over to Claude on Bedrock, which gets
    # the conversation without Gemini's (to Claude meaningless) thought signature.
    vertex.script(
        Reply(Thinking("look it up", signature="gemini-sig"), ToolCall("Lookup", {"key": "answer"})),
        Fault(status=503, message="unavailable"),
        Fault(status=503, message="unavailable"),
    )
    bedrock.script(Reply(Text("It is 42.")))
    res = claw(
        "-p",
        "answer?",
        "--model",
        "vertex/gemini-2.5-pro",
        "--fallback-model",
        "bedrock/claude-sonnet-4-6",
        "--effort",
        "high",
        "--output-format",
        "json",
    ).assert_success()
    messages = bedrock.requests[0].json["messages"]
    assert res.json()["result"] == "It is 42."
    assistant = messages[1]["content"]
    assert "reasoningContent" not in str(assistant) and assistant[0]["toolUse"]["name"] == "Lookup"
    assert messages[2]["content"][0]["toolResult"]["content"] == [{"text": "fact: 42"}]
