"""``claw -p`` sessions on Azure AI Foundry: OpenAI v1 deployments through ``openai`` and Claude
deployments through ``AsyncAnthropicFoundry``, against the loopback Foundry resource."""

from __future__ import annotations

import json

import pytest
from claw.testing.script import Fault, Reply, Text, ToolCall
from claw_testkit.mock_foundry import MockFoundryServer
from claw_testkit.mock_vertex import MockVertexServer
from cloud_e2e import LOOKUP_TOOL, error_lines, tool_results


@pytest.fixture
def foundry(e2e_env):  # type: ignore[no-untyped-def]
    with MockFoundryServer(api_key="e2e-key") as server:
        e2e_env(
            LOOKUP_TOOL,
            AZURE_OPENAI_ENDPOINT=server.url,
            ANTHROPIC_FOUNDRY_BASE_URL=server.anthropic_base_url,
            AZURE_OPENAI_API_KEY="e2e-key",
            ANTHROPIC_FOUNDRY_API_KEY="e2e-key",
        )
        yield server


@pytest.mark.parametrize("model", ["foundry/gpt-5.4", "foundry/claude-sonnet-4-6"])
def test_multi_turn_tool_session(claw, foundry, model):
    foundry.script(Reply(ToolCall("Lookup", {"key": "colour"}, id="call_e2e")), Reply(Text("Blue.")))
    res = claw("-p", "colour?", "--model", model, "--output-format", "json").assert_success()
    result = res.json()
    assert result["result"] == "Blue." and result["num_turns"] == 2
    wire = "anthropic" if "claude" in model else "openai"
    assert foundry.calls == [(wire, model.split("/", 1)[1])] * 2
    second = foundry.requests[1].json["messages"]
    if wire == "openai":
        assert second[-1] == {"role": "tool", "tool_call_id": "call_e2e", "content": "fact: blue"}
        assert foundry.requests[0].path == "/openai/v1/chat/completions"
    else:
        assert tool_results(second) == ["fact: blue"]
        assert foundry.requests[0].path == "/anthropic/v1/messages"


@pytest.mark.parametrize("model", ["foundry/gpt-5", "foundry/claude-haiku-4-5"])
def test_throttling_then_success(claw, foundry, model):
    foundry.script(Fault(status=429, message="Rate limit is exceeded."), Reply(Text("ok")))
    res = claw("-p", "hi", "--model", model, "--output-format", "stream-json", "--verbose").assert_success()
    lines = res.json_lines()
    retry = [x for x in lines if x.get("subtype") == "api_retry"]
    assert len(retry) == 1 and retry[0]["error_status"] == 429
    assert lines[-1]["result"] == "ok"


@pytest.mark.parametrize("model", ["foundry/gpt-5", "foundry/claude-haiku-4-5"])
def test_wrong_key_fails_fast_with_one_line(claw, foundry, claw_env, model):
    claw_env.update(AZURE_OPENAI_API_KEY="rotated", ANTHROPIC_FOUNDRY_API_KEY="rotated")
    res = claw("-p", "hi", "--model", model)
    res.assert_failure(1, "Access denied due to invalid subscription key")
    assert len(error_lines(res.stderr)) == 1 and len(foundry.requests) == 1


def test_deployment_routing_from_settings(claw, foundry, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(
        '{"providers": {"foundry": {"deployments": {"team-claude": "claude-opus-4-6"}}}}'
    )
    foundry.script(Reply(Text("hello from a named deployment")))
    res = claw("-p", "hi", "--model", "foundry/team-claude", "--output-format", "json").assert_success()
    assert res.json()["result"] == "hello from a named deployment"
    assert foundry.calls == [("anthropic", "team-claude")]


def test_fallback_from_vertex_to_foundry(claw, foundry, claw_env, workspace):
    with MockVertexServer() as vertex:
        (workspace / ".claw").mkdir()
        settings = {"providers": {"vertex": {"base_url": vertex.url, "access_token": "t", "project": "p"}}}
        (workspace / ".claw" / "settings.json").write_text(json.dumps(settings))
        claw_env["CLAW_MAX_RETRIES"] = "1"
        vertex.script(Fault(status=503, message="unavailable"), Fault(status=503, message="unavailable"))
        foundry.script(Reply(Text("from foundry")))
        res = claw(
            "-p",
            "hi",
            "--model",
            "vertex/gemini-2.5-pro",
            "--fallback-model",
            "foundry/gpt-5.4",
            "--output-format",
            "json",
        ).assert_success()
        assert len(vertex.requests) == 2
    assert res.json()["result"] == "from foundry" and res.json()["model"] == "foundry/gpt-5.4"


def test_mapped_deployment_gets_its_model_effort_levels(claw, foundry):
    # "prod-writer" reveals nothing; providers.foundry.deployments says it is Claude Opus 4.6, so
    # --reasoning-effort reaches it (mapped onto that model's levels: xhigh -> high).
    foundry.script(Reply(Text("a")), Reply(Text("b")))
    mapped = json.dumps({"providers": {"foundry": {"deployments": {"prod-writer": "claude-opus-4-6"}}}})
    res = claw(
        "-p", "hi", "--model", "foundry/prod-writer", "--reasoning-effort", "xhigh", "--settings", mapped
    ).assert_success()
    assert foundry.calls[0] == ("anthropic", "prod-writer")
    assert foundry.requests[0].json["output_config"] == {"effort": "high"}
    assert "using 'high'" in res.stderr
    res = claw("-p", "hi", "--model", "foundry/prod-writer", "--reasoning-effort", "xhigh").assert_success()
    assert "does not support --reasoning-effort" in res.stderr
    assert "reasoning_effort" not in foundry.requests[1].json
