"""Model-server faults on every provider plugin and wire path, against the loopback vendor servers:
429 with and without retry-after, 500, 529, a stream cut mid-event, a stall past the idle timeout, an
event that is not JSON, and a web page instead of a stream. Each run ends in a retry that succeeds or in
one clear error: never a hang, a traceback or a lost turn (the session holds the prompt either way)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from claw import _paths as paths
from claw.testing.script import Fault, Reply, Text
from claw_testkit.mock_anthropic import MockAnthropicServer
from claw_testkit.mock_bedrock import MockBedrockServer
from claw_testkit.mock_foundry import MockFoundryServer
from claw_testkit.mock_openai import MockOpenAIServer
from claw_testkit.mock_vertex import MockVertexServer

PATHS = [
    "anthropic",
    "openai-chat",
    "openai-responses",
    "bedrock",
    "vertex-claude",
    "vertex-gemini",
    "foundry-gpt",
    "foundry-claude",
]

#: Faults a retry gets past: the next attempt is answered.
RETRIED = {
    "429-retry-after": Fault(status=429, retry_after=0.01, message="slow down"),
    "429": Fault(status=429, message="slow down"),
    "500": Fault(status=500, message="boom"),
    "529": Fault(status=529, message="Overloaded"),
    # after the first event: Gemini's short answers come in two chunks, and a fault after the last
    # event would damage nothing
    "cut": Fault(kind="cut", after_events=1),
    "stall": Fault(kind="stall", after_events=1, seconds=5),
    "not-json": Fault(kind="garbage", after_events=1),
}


@pytest.fixture(params=PATHS)
def wire(request: pytest.FixtureRequest, e2e_env: Any, workspace: Path) -> Iterator[tuple[Any, list[str]]]:
    """``(server, claw arguments)`` for one provider path, its loopback server running."""
    kind = request.param
    if kind == "anthropic" or kind.startswith("openai"):
        server_cls = MockAnthropicServer if kind == "anthropic" else MockOpenAIServer
        with server_cls() as server:
            e2e_env(
                ANTHROPIC_API_KEY="sk-ant",
                ANTHROPIC_BASE_URL=server.url,
                OPENAI_API_KEY="sk",
                OPENAI_BASE_URL=getattr(server, "base_url", server.url),
            )
            if kind == "anthropic":
                yield server, ["--model", "anthropic/claude-sonnet-4-6"]
            else:
                api = kind.split("-")[1]
                settings = json.dumps({"providers": {"openai": {"api": api}}})
                yield server, ["--model", "openai/gpt-5.4", "--settings", settings]
    elif kind == "bedrock":
        with MockBedrockServer(access_key="AKID") as server:
            e2e_env(
                AWS_ACCESS_KEY_ID="AKID",
                AWS_SECRET_ACCESS_KEY="s",
                AWS_REGION="us-west-2",
                AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
            )
            yield server, ["--model", "bedrock/us.anthropic.claude-sonnet-4-6"]
    elif kind.startswith("vertex"):
        with MockVertexServer(access_token="ya29") as server:
            e2e_env(GOOGLE_CLOUD_PROJECT="p", CLOUD_ML_REGION="us-east5")
            settings = {"providers": {"vertex": {"base_url": server.url, "access_token": "ya29"}}}
            (workspace / ".claw").mkdir(exist_ok=True)
            (workspace / ".claw" / "settings.local.json").write_text(json.dumps(settings))
            model = "vertex/claude-sonnet-4-5" if kind.endswith("claude") else "vertex/gemini-2.5-pro"
            yield server, ["--model", model]
    else:
        with MockFoundryServer(api_key="k") as server:
            e2e_env(
                AZURE_OPENAI_ENDPOINT=server.url,
                ANTHROPIC_FOUNDRY_BASE_URL=server.anthropic_base_url,
                AZURE_OPENAI_API_KEY="k",
                ANTHROPIC_FOUNDRY_API_KEY="k",
            )
            yield (
                server,
                ["--model", "foundry/gpt-5.4" if kind.endswith("gpt") else "foundry/claude-sonnet-4-6"],
            )


def _prompts(claw_env: dict[str, str], workspace: Path, session_id: str) -> list[str]:
    path = paths.sessions_dir(workspace, claw_env) / f"{session_id}.jsonl"
    events = [json.loads(line) for line in path.read_text().splitlines()]
    return [e["prompt"] for e in events if e.get("type") == "user" and e.get("prompt")]


@pytest.mark.parametrize("fault", list(RETRIED))
def test_a_retryable_fault_is_retried_and_the_turn_completes(claw, wire, claw_env, workspace, fault) -> None:  # type: ignore[no-untyped-def]
    server, args = wire
    claw_env["CLAW_STREAM_IDLE_TIMEOUT"] = "1"
    step = RETRIED[fault]
    if step.kind != "status":
        step = Fault(**{**step.__dict__, "reply": Reply(Text("the first attempt, "), Text("damaged"))})
    server.script(step, Reply(Text("the answer after the fault")))
    res = claw("-p", "hi", *args, "--output-format", "json")
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    assert res.exit_code == 0, res.stderr
    result = res.json()
    assert result["result"] == "the answer after the fault"
    assert "damaged" not in result["result"]  # no text of the failed attempt in the turn
    assert len(server.requests) == 2
    assert _prompts(claw_env, workspace, result["session_id"]) == ["hi"]


def test_a_web_page_instead_of_a_stream_is_one_clear_error(claw, wire, claw_env, workspace) -> None:  # type: ignore[no-untyped-def]
    server, args = wire
    server.script(*[Fault(kind="html")] * 12)
    res = claw("-p", "hi", *args, "--output-format", "json")
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    assert len(errors) == 1, res.stderr
    result = res.json()
    assert result["is_error"] is True
    assert _prompts(claw_env, workspace, result["session_id"]) == ["hi"]  # the turn is not lost
