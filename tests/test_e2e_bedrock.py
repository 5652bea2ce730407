"""``claw -p`` sessions on AWS Bedrock: boto3 ConverseStream against the loopback event-stream server."""

from __future__ import annotations

import pytest
from claw.testing.script import Fault, Reply, Text, ToolCall, Usage
from claw_testkit.mock_anthropic import MockAnthropicServer
from claw_testkit.mock_bedrock import MockBedrockServer
from cloud_e2e import LOOKUP_TOOL, error_lines

MODEL = "bedrock/us.anthropic.claude-sonnet-4-6"


@pytest.fixture
def bedrock(e2e_env):  # type: ignore[no-untyped-def]
    with MockBedrockServer(access_key="AKIDE2E") as server:
        e2e_env(
            LOOKUP_TOOL,
            AWS_ACCESS_KEY_ID="AKIDE2E",
            AWS_SECRET_ACCESS_KEY="secret",
            AWS_REGION="us-west-2",
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        )
        yield server


def test_multi_turn_tool_session(claw, bedrock):
    bedrock.script(
        Reply(Text("Looking it up."), ToolCall("Lookup", {"key": "answer"}, id="tooluse_a")),
        Reply(
            Text("The answer is 42."),
            usage=Usage(input_tokens=50, output_tokens=8, cache_read_input_tokens=1000),
        ),
    )
    res = claw("-p", "what is the answer?", "--model", MODEL, "--output-format", "json").assert_success()
    result = res.json()
    assert result["result"] == "The answer is 42." and result["num_turns"] == 2
    assert bedrock.model_ids == ["us.anthropic.claude-sonnet-4-6"] * 2
    second = bedrock.requests[1].json["messages"]
    assert second[1]["content"][1]["toolUse"] == {
        "toolUseId": "tooluse_a",
        "name": "Lookup",
        "input": {"key": "answer"},
    }
    assert second[2]["content"][0]["toolResult"]["content"] == [{"text": "fact: 42"}]
    assert second[2]["content"][0]["toolResult"]["toolUseId"] == "tooluse_a"
    assert "Lookup" in {
        t["toolSpec"]["name"] for t in bedrock.requests[0].json["toolConfig"]["tools"] if "toolSpec" in t
    }


def test_throttling_then_success(claw, bedrock):
    bedrock.script(
        Fault(status=429, message="Too many requests, please wait before trying again."), Reply(Text("ok"))
    )
    res = claw("-p", "hi", "--model", MODEL, "--output-format", "stream-json", "--verbose").assert_success()
    lines = res.json_lines()
    retry = [x for x in lines if x.get("subtype") == "api_retry"]
    assert len(retry) == 1 and retry[0]["error_status"] == 429 and retry[0]["error"] == "rate_limit"
    assert lines[-1]["subtype"] == "success" and lines[-1]["result"] == "ok"


def test_in_stream_model_error_then_success(claw, bedrock):
    bedrock.script(
        Fault(kind="stream_error", status=424, message="model stream error"), Reply(Text("recovered"))
    )
    res = claw("-p", "hi", "--model", MODEL, "--output-format", "json").assert_success()
    assert res.json()["result"] == "recovered" and len(bedrock.requests) == 2


def test_bad_credentials_fail_fast_with_one_line(claw, bedrock, claw_env):
    claw_env["AWS_ACCESS_KEY_ID"] = "AKIDREVOKED"
    res = claw("-p", "hi", "--model", MODEL)
    res.assert_failure(
        1, "UnrecognizedClientException: The security token included in the request is invalid."
    )
    assert len(error_lines(res.stderr)) == 1 and len(bedrock.requests) == 1
    assert res.stdout == ""


def test_missing_region_is_one_clear_line(claw, bedrock, claw_env):
    del claw_env["AWS_REGION"]
    res = claw("-p", "hi", "--model", MODEL)
    res.assert_failure(1, "bedrock needs an AWS region")
    assert len(error_lines(res.stderr)) == 1 and bedrock.requests == []


def test_fallback_from_anthropic_to_bedrock(claw, bedrock, claw_env):
    with MockAnthropicServer() as anthropic_api:
        claw_env.update(
            ANTHROPIC_BASE_URL=anthropic_api.url, ANTHROPIC_API_KEY="sk-test", CLAW_MAX_RETRIES="1"
        )
        anthropic_api.script(Fault(status=529, message="Overloaded"), Fault(status=529, message="Overloaded"))
        bedrock.script(Reply(ToolCall("Lookup", {"key": "colour"})), Reply(Text("It is blue.")))
        res = claw(
            "-p",
            "colour?",
            "--model",
            "anthropic/claude-sonnet-4-6",
            "--fallback-model",
            "bedrock/claude-sonnet-4-6",
            "--output-format",
            "json",
        ).assert_success()
        assert len(anthropic_api.requests) == 2
    result = res.json()
    assert result["result"] == "It is blue." and result["model"] == "bedrock/claude-sonnet-4-6"
    assert bedrock.model_ids == ["anthropic.claude-sonnet-4-6"] * 2
    assert "falling back to bedrock/claude-sonnet-4-6" in res.stderr


def test_stalled_and_cut_streams_are_retried(claw, bedrock, claw_env):
    claw_env["CLAW_STREAM_IDLE_TIMEOUT"] = "0.3"
    bedrock.script(
        Fault(kind="stall", after_events=2, seconds=30),
        Fault(kind="cut", after_events=2),
        Reply(Text("third time lucky")),
    )
    res = claw("-p", "hi", "--model", MODEL, "--output-format", "json").assert_success()
    assert res.json()["result"] == "third time lucky" and len(bedrock.requests) == 3
    assert "stalled" in res.stderr
