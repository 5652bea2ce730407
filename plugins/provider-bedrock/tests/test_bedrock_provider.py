"""BedrockProvider.stream through real boto3 against the loopback ConverseStream server."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any

import pytest
from claw._errors import ApiError, MissingCredentials
from claw._messages import (
    ImageBlock,
    ImageSource,
    Message,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
)
from claw._providers import (
    ResponseComplete,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseStart,
)
from claw._tools import ToolSpec
from claw.testing import stream_events
from claw.testing.samples import PNG_BASE64, READ_TOOL, request
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from claw_provider_bedrock.provider import BedrockProvider
from claw_testkit.mock_bedrock import MockBedrockServer

SONNET = "us.anthropic.claude-sonnet-4-6"


def provider(server: MockBedrockServer, **settings: Any) -> BedrockProvider:
    env = {"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-west-2"}
    return BedrockProvider({"endpoint_url": server.url, **settings}, env)


def test_streams_thinking_text_and_tool_call(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(
        Reply(
            Thinking("look first", signature="sig-1"),
            Text("Reading."),
            ToolCall("Read", {"file_path": "a.txt"}, id="tooluse_1"),
            usage=Usage(input_tokens=30, output_tokens=12),
        )
    )
    events = stream_events(
        provider(bedrock_server),
        request(SONNET, tools=[READ_TOOL], system=[TextBlock(text="be brief")], reasoning_effort="high"),
    )
    kinds = [type(e) for e in events]
    assert (
        kinds[0] is ThinkingDelta and TextDelta in kinds and ToolUseStart in kinds and ToolInputDelta in kinds
    )
    done = events[-1]
    assert isinstance(done, ResponseComplete)
    resp = done.response
    assert resp.stop_reason == "tool_use"
    assert resp.usage.input_tokens == 30 and resp.usage.output_tokens == 12
    assert [b.type for b in resp.content] == ["thinking", "text", "tool_use"]
    assert resp.content[0].signature == "sig-1"
    assert resp.content[2] == ToolUseBlock(id="tooluse_1", name="Read", input={"file_path": "a.txt"})
    assert resp.id == "00000000-0000-4000-8000-000000000000"

    sent = bedrock_server.requests[0]
    assert sent.path == "/model/us.anthropic.claude-sonnet-4-6/converse-stream"
    assert sent.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
    assert "/us-west-2/bedrock/" in sent.headers["authorization"]
    body = sent.json
    assert body["toolConfig"]["tools"][0]["toolSpec"]["name"] == "Read"
    assert body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]["required"] == ["file_path"]
    assert body["additionalModelRequestFields"] == {
        "thinking": {"type": "adaptive"},
        "output_config": {"effort": "high"},
    }
    # cache points after system, tools and the last message (Sonnet 4.6 supports prompt caching)
    assert body["system"] == [{"text": "be brief"}, {"cachePoint": {"type": "default"}}]
    assert body["toolConfig"]["tools"][-1] == {"cachePoint": {"type": "default"}}
    assert body["messages"][-1]["content"][-1] == {"cachePoint": {"type": "default"}}


def test_multi_turn_tool_use_sends_history_back(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(Reply(Text("The file says hello."), usage=Usage(cache_read_input_tokens=900)))
    history = [
        Message.user("what is in a.txt?"),
        Message(
            role="assistant",
            content=[
                ThinkingBlock(thinking="read it", signature="sig-1"),
                ToolUseBlock(id="tooluse_1", name="Read", input={"file_path": "a.txt"}),
            ],
        ),
        Message(
            role="user",
            content=[
                ToolResultBlock(tool_use_id="tooluse_1", content="hello"),
                ToolResultBlock(
                    tool_use_id="tooluse_2",
                    content=[ImageBlock(source=ImageSource(media_type="image/png", data=PNG_BASE64))],
                    is_error=True,
                ),
            ],
        ),
    ]
    events = stream_events(
        provider(bedrock_server), request(SONNET, *history, tools=[READ_TOOL], cache=False)
    )
    resp = events[-1].response
    assert resp.content == [TextBlock(text="The file says hello.")]
    assert resp.usage.cache_read_input_tokens == 900
    msgs = bedrock_server.requests[0].json["messages"]
    assert msgs[1]["content"][0] == {
        "reasoningContent": {"reasoningText": {"text": "read it", "signature": "sig-1"}}
    }
    assert msgs[1]["content"][1] == {
        "toolUse": {"toolUseId": "tooluse_1", "name": "Read", "input": {"file_path": "a.txt"}}
    }
    assert msgs[2]["content"][0] == {
        "toolResult": {"toolUseId": "tooluse_1", "content": [{"text": "hello"}], "status": "success"}
    }
    image_result = msgs[2]["content"][1]["toolResult"]
    assert image_result["status"] == "error"
    assert image_result["content"][0]["image"]["format"] == "png"
    assert base64.b64decode(image_result["content"][0]["image"]["source"]["bytes"]) == base64.b64decode(
        PNG_BASE64
    )
    assert "cachePoint" not in str(bedrock_server.requests[0].json)  # cache=False


def test_user_images_and_cache_write_usage(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(Reply(Text("a cat"), usage=Usage(input_tokens=5, cache_creation_input_tokens=2048)))
    msg = Message(
        role="user",
        content=[
            ImageBlock(source=ImageSource(media_type="image/jpeg", data=PNG_BASE64)),
            TextBlock(text="what?"),
        ],
    )
    resp = stream_events(provider(bedrock_server), request(SONNET, msg)).pop().response
    assert resp.usage.cache_creation_input_tokens == 2048 and resp.usage.input_tokens == 5
    content = bedrock_server.requests[0].json["messages"][0]["content"]
    assert content[0]["image"]["format"] == "jpeg"


def test_budget_thinking_for_older_claude_and_no_cache_for_unknown_model(
    bedrock_server: MockBedrockServer,
) -> None:
    bedrock_server.script(Reply(Text("ok")), Reply(Text("ok")))
    p = provider(bedrock_server)
    stream_events(
        p, request("anthropic.claude-haiku-4-5-20251001-v1:0", reasoning_effort="low", max_tokens=8000)
    )
    assert bedrock_server.requests[0].json["additionalModelRequestFields"] == {
        "thinking": {"type": "enabled", "budget_tokens": 4000}
    }
    stream_events(p, request("acme.unknown-model-v1", reasoning_effort="low", temperature=0.2))
    body = bedrock_server.requests[1].json
    assert "additionalModelRequestFields" not in body and "cachePoint" not in str(body)
    assert body["inferenceConfig"] == {"maxTokens": 16000, "temperature": 0.2}


def test_throttling_is_retryable_then_next_call_succeeds(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(Fault(status=429, message="Too many requests", retry_after=3), Reply(Text("ok")))
    p = provider(bedrock_server)
    with pytest.raises(ApiError) as caught:
        stream_events(p, request(SONNET))
    err = caught.value
    assert err.retryable and err.kind == "rate_limit" and err.status_code == 429 and err.retry_after == 3
    assert str(err) == "bedrock: ThrottlingException: Too many requests"
    assert stream_events(p, request(SONNET))[-1].response.content == [TextBlock(text="ok")]
    assert len(bedrock_server.requests) == 2  # botocore did not retry by itself


@pytest.mark.parametrize(
    ("status", "retryable", "kind", "exception"),
    [
        (424, True, "server_error", "ModelStreamErrorException"),
        (429, True, "rate_limit", "ThrottlingException"),
        (503, True, "server_error", "ServiceUnavailableException"),
        (500, True, "server_error", "InternalServerException"),
        (400, False, "invalid_request", "ValidationException"),
    ],
)
def test_in_stream_exceptions(
    bedrock_server: MockBedrockServer, status: int, retryable: bool, kind: str, exception: str
) -> None:
    bedrock_server.script(Fault(kind="stream_error", status=status, message="went wrong", after_events=2))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(bedrock_server), request(SONNET))
    assert (caught.value.retryable, caught.value.kind) == (retryable, kind)
    assert str(caught.value) == f"bedrock: {exception}: went wrong"


@pytest.mark.parametrize(
    ("status", "kind"),
    [(503, "server_error"), (500, "server_error"), (404, "model_not_found"), (400, "invalid_request")],
)
def test_http_errors(bedrock_server: MockBedrockServer, status: int, kind: str) -> None:
    bedrock_server.script(Fault(status=status, message="nope"))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(bedrock_server), request(SONNET))
    assert caught.value.kind == kind and caught.value.retryable == (status >= 500)


def test_bad_credentials_fail_fast_with_one_line() -> None:
    with MockBedrockServer(access_key="AKIDGOOD") as server:
        with pytest.raises(ApiError) as caught:
            stream_events(provider(server), request(SONNET))
        assert len(server.requests) == 1
    err = caught.value
    assert not err.retryable and err.kind == "authentication_failed"
    assert (
        str(err)
        == "bedrock: UnrecognizedClientException: The security token included in the request is invalid."
    )


def test_access_denied_fails_fast(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(
        Fault(status=403, message="You don't have access to the model with the specified model ID.")
    )
    with pytest.raises(ApiError) as caught:
        stream_events(provider(bedrock_server), request(SONNET))
    assert not caught.value.retryable and "AccessDeniedException" in str(caught.value)


def test_cut_stream_is_retryable(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(Fault(kind="cut", after_events=3))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(bedrock_server), request(SONNET))
    assert caught.value.retryable and caught.value.status_code is None


def test_cancelling_a_stalled_stream_returns_promptly(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(Fault(kind="stall", after_events=2, seconds=30))
    p = provider(bedrock_server)

    async def go() -> None:
        async def consume() -> None:
            async for _ in p.stream(request(SONNET)):
                pass

        await asyncio.wait_for(consume(), timeout=0.5)

    start = time.monotonic()
    with pytest.raises(TimeoutError):
        asyncio.run(go())
    assert time.monotonic() - start < 5


def test_no_credentials_is_an_auth_error(
    bedrock_server: MockBedrockServer, claw_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # botocore's chain would ask IMDS last
    p = BedrockProvider({"endpoint_url": bedrock_server.url, "region": "us-east-1"}, claw_env)
    with pytest.raises(ApiError) as caught:
        stream_events(p, request(SONNET))
    assert caught.value.kind == "authentication_failed" and "AWS_PROFILE" in str(caught.value)
    assert bedrock_server.requests == []


def test_region_is_required() -> None:
    p = BedrockProvider({}, {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "HOME": "/nonexistent"})
    with pytest.raises(MissingCredentials, match="AWS_REGION"):
        p.region()


def test_endpoint_override_from_environment(bedrock_server: MockBedrockServer) -> None:
    env = {
        "AWS_ACCESS_KEY_ID": "AKIDTEST",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": bedrock_server.url,
    }
    bedrock_server.script(Reply(Text("ok")))
    stream_events(BedrockProvider({}, env), request(SONNET))
    assert "/eu-west-1/bedrock/" in bedrock_server.requests[0].headers["authorization"]


def test_botocore_itself_honours_the_endpoint_variable(
    bedrock_server: MockBedrockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock_server.url)
    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    assert client.meta.endpoint_url == bedrock_server.url


def test_short_alias_and_inference_profile_setting(bedrock_server: MockBedrockServer) -> None:
    bedrock_server.script(Reply(Text("ok")), Reply(Text("ok")))
    stream_events(provider(bedrock_server), request("claude-opus-4-6"))
    stream_events(provider(bedrock_server, inference_profile="global"), request("claude-opus-4-6"))
    assert bedrock_server.model_ids == ["anthropic.claude-opus-4-6-v1", "global.anthropic.claude-opus-4-6-v1"]


def test_history_with_tool_calls_but_no_tools_still_gets_a_tool_config(
    bedrock_server: MockBedrockServer,
) -> None:
    bedrock_server.script(Reply(Text("ok")))
    history = [
        Message.user("read a"),
        Message(role="assistant", content=[ToolUseBlock(id="t1", name="Read", input={})]),
        Message(role="user", content=[ToolResultBlock(tool_use_id="t1", content="x")]),
    ]
    stream_events(provider(bedrock_server), request(SONNET, *history))
    tools = bedrock_server.requests[0].json["toolConfig"]["tools"]
    assert [t["toolSpec"]["name"] for t in tools] == ["Read"]


def test_profile_from_shared_files_signs_the_request(
    bedrock_server: MockBedrockServer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = tmp_path / "credentials"
    creds.write_text("[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n")
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = ap-southeast-2\n")
    files = {"AWS_SHARED_CREDENTIALS_FILE": str(creds), "AWS_CONFIG_FILE": str(config)}
    for key, value in files.items():
        monkeypatch.setenv(key, value)  # botocore reads the file locations from the process environment
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    p = BedrockProvider({"endpoint_url": bedrock_server.url}, {"AWS_PROFILE": "dev", **files})
    assert p.credentials().source == f"profile dev (static keys) in {creds}"
    bedrock_server.script(Reply(Text("ok")))
    stream_events(p, request(SONNET))
    auth = bedrock_server.requests[0].headers["authorization"]
    assert "Credential=AKIDPROFILE/" in auth and "/ap-southeast-2/bedrock/" in auth


def test_invalid_parameters_are_one_line(bedrock_server: MockBedrockServer) -> None:
    # a tool schema botocore rejects before sending (inputSchema.json must be a document, not a set)
    bad = ToolSpec(name="Bad", description="d", input_schema={"type": "object", "enum": {1, 2}})  # type: ignore[dict-item]
    with pytest.raises(ApiError) as caught:
        stream_events(provider(bedrock_server), request(SONNET, tools=[bad]))
    assert "\n" not in str(caught.value) and not caught.value.retryable
    assert bedrock_server.requests == []
