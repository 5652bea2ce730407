"""VertexProvider.stream through the official SDKs (AsyncAnthropicVertex, google-genai) against the
loopback Vertex server."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from claw._errors import ApiError
from claw._messages import (
    ImageBlock,
    ImageSource,
    Message,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
)
from claw._providers import ResponseComplete, TextDelta, ThinkingDelta, ToolUseStart
from claw.testing import stream_events
from claw.testing.samples import PNG_BASE64, READ_TOOL, request
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from claw_provider_vertex.provider import VertexProvider
from claw_testkit.mock_vertex import MockVertexServer


@pytest.fixture
def server() -> Any:
    with MockVertexServer(access_token="ya29.test") as srv:
        yield srv


def provider(server: MockVertexServer, **settings: Any) -> VertexProvider:
    base = {"base_url": server.url, "access_token": "ya29.test", "project": "my-proj", "region": "us-east5"}
    return VertexProvider({**base, **settings}, {})


# -- Claude ------------------------------------------------------------------------------------


def test_claude_tool_call_with_thinking(server: MockVertexServer) -> None:
    server.script(
        Reply(Thinking("check", signature="sig-v"), ToolCall("Read", {"file_path": "a"}, id="toolu_1"))
    )
    events = stream_events(
        provider(server), request("claude-opus-4-6", tools=[READ_TOOL], reasoning_effort="xhigh")
    )
    assert isinstance(events[0], ThinkingDelta) and any(isinstance(e, ToolUseStart) for e in events)
    resp = events[-1].response
    assert resp.content == [
        ThinkingBlock(thinking="check", signature="sig-v"),
        ToolUseBlock(id="toolu_1", name="Read", input={"file_path": "a"}),
    ]
    assert resp.stop_reason == "tool_use"
    assert server.calls == [("anthropic", "claude-opus-4-6", "streamRawPredict", "my-proj", "us-east5")]
    sent = server.requests[0]
    assert sent.headers["authorization"] == "Bearer ya29.test"
    body = sent.json
    assert "model" not in body and body["anthropic_version"]
    # xhigh is not an Opus 4.6 level: the highest level below it is sent
    assert body["thinking"] == {"type": "adaptive"} and body["output_config"] == {"effort": "high"}
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}


def test_claude_multi_turn_and_canonical_id_mapping(server: MockVertexServer) -> None:
    server.script(Reply(Text("done"), usage=Usage(input_tokens=3, cache_read_input_tokens=1500)))
    history = [
        Message.user("read a"),
        Message(
            role="assistant", content=[ToolUseBlock(id="toolu_1", name="Read", input={"file_path": "a"})]
        ),
        Message(role="user", content=[ToolResultBlock(tool_use_id="toolu_1", content="hello")]),
    ]
    resp = (
        stream_events(provider(server), request("claude-sonnet-4-5-20250929", *history, tools=[READ_TOOL]))
        .pop()
        .response
    )
    assert resp.content == [TextBlock(text="done")]
    assert resp.usage.cache_read_input_tokens == 1500
    assert server.calls[0][1] == "claude-sonnet-4-5@20250929"
    sent = server.requests[0].json["messages"]
    assert (
        sent[2]["content"][0]["type"] == "tool_result" and sent[2]["content"][0]["tool_use_id"] == "toolu_1"
    )


def test_claude_throttling_then_success(server: MockVertexServer) -> None:
    server.script(
        Fault(status=429, message="Quota exceeded for aiplatform", retry_after=2), Reply(Text("ok"))
    )
    p = provider(server)
    with pytest.raises(ApiError) as caught:
        stream_events(p, request("claude-sonnet-4-6"))
    err = caught.value
    assert err.retryable and err.kind == "rate_limit" and err.retry_after == 2
    assert str(err) == "vertex: 429 Quota exceeded for aiplatform"
    assert stream_events(provider(server), request("claude-sonnet-4-6"))[-1].response.content == [
        TextBlock(text="ok")
    ]
    assert len(server.requests) == 2  # the SDK did not retry


def test_claude_overloaded_mid_stream_is_retryable(server: MockVertexServer) -> None:
    server.script(Fault(kind="stream_error", status=529, message="Overloaded", after_events=3))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("claude-sonnet-4-6"))
    assert caught.value.retryable and caught.value.kind == "overloaded"


def test_claude_bad_token_fails_fast(server: MockVertexServer) -> None:
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server, access_token="ya29.expired"), request("claude-sonnet-4-6"))
    err = caught.value
    assert not err.retryable and err.kind == "authentication_failed"
    assert "\n" not in str(err) and str(err).startswith("vertex: 401 Request had invalid authentication")


# -- Gemini ------------------------------------------------------------------------------------


def test_gemini_thinking_and_function_call(server: MockVertexServer) -> None:
    server.script(
        Reply(
            Thinking("plan", signature="opaque"),
            ToolCall("Read", {"file_path": "a"}),
            usage=Usage(input_tokens=20, cache_read_input_tokens=80, output_tokens=9),
        )
    )
    events = stream_events(
        provider(server),
        request(
            "gemini-2.5-pro", tools=[READ_TOOL], reasoning_effort="high", system=[TextBlock(text="be terse")]
        ),
    )
    resp = events[-1].response
    assert isinstance(events[-1], ResponseComplete) and resp.stop_reason == "tool_use"
    sig = base64.b64encode(b"opaque").decode()
    assert resp.content[0] == ThinkingBlock(thinking="plan", thought_signature=sig)
    assert resp.content[0].signature == ""  # unsigned for Claude after a fallback
    assert isinstance(resp.content[1], ToolUseBlock) and resp.content[1].input == {"file_path": "a"}
    assert resp.usage.input_tokens == 20 and resp.usage.cache_read_input_tokens == 80
    assert server.calls == [("google", "gemini-2.5-pro", "streamGenerateContent", "my-proj", "us-east5")]
    body = server.requests[0].json
    assert server.requests[0].path.endswith(":streamGenerateContent?alt=sse")
    assert body["systemInstruction"]["parts"] == [{"text": "be terse"}]
    decl = body["tools"][0]["functionDeclarations"][0]
    assert decl["name"] == "Read" and decl["parameters_json_schema"]["required"] == ["file_path"]
    assert body["generationConfig"]["thinkingConfig"] == {"include_thoughts": True, "thinking_budget": 24576}
    assert body["generationConfig"]["maxOutputTokens"] == 16000 + 24576


def test_gemini_multi_turn_sends_signature_function_response_and_image(server: MockVertexServer) -> None:
    server.script(Reply(Text("It is a PNG.")))
    sig = base64.b64encode(b"opaque").decode()
    history = [
        Message.user("look"),
        Message(
            role="assistant",
            content=[
                ThinkingBlock(thinking="plan", thought_signature=sig),
                ToolUseBlock(id="toolu_vertex_1", name="Read", input={"file_path": "a.png"}),
            ],
        ),
        Message(
            role="user",
            content=[
                ToolResultBlock(
                    tool_use_id="toolu_vertex_1",
                    content=[
                        TextBlock(text="binary"),
                        ImageBlock(source=ImageSource(media_type="image/png", data=PNG_BASE64)),
                    ],
                )
            ],
        ),
    ]
    events = stream_events(
        provider(server),
        request("gemini-3-pro-preview", *history, tools=[READ_TOOL], reasoning_effort="medium"),
    )
    assert [type(e) for e in events[:-1]] == [TextDelta]
    contents = server.requests[0].json["contents"]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    call = contents[1]["parts"][0]
    assert call["functionCall"] == {"name": "Read", "args": {"file_path": "a.png"}}
    assert base64.b64decode(call["thoughtSignature"]) == b"opaque"
    response, image = contents[2]["parts"]
    assert response["functionResponse"] == {"name": "Read", "response": {"output": "binary"}}
    # genai keeps snake_case inside, and sends the bytes URL-safe base64-encoded
    assert image["inlineData"] == {
        "mime_type": "image/png",
        "data": base64.urlsafe_b64encode(base64.b64decode(PNG_BASE64)).decode(),
    }
    # medium is not a Gemini 3 Pro level: the level below it is sent
    assert server.requests[0].json["generationConfig"]["thinkingConfig"]["thinking_level"] == "LOW"


def test_gemini_throttling_then_success(server: MockVertexServer) -> None:
    server.script(Fault(status=429, message="Resource exhausted"), Reply(Text("ok")))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("gemini-2.5-flash"))
    assert caught.value.retryable and caught.value.kind == "rate_limit"
    assert str(caught.value) == "vertex: 429 RESOURCE_EXHAUSTED: Resource exhausted"
    assert stream_events(provider(server), request("gemini-2.5-flash"))[-1].response.content == [
        TextBlock(text="ok")
    ]
    assert len(server.requests) == 2


def test_gemini_bad_token_fails_fast(server: MockVertexServer) -> None:
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server, access_token="wrong"), request("gemini-2.5-flash"))
    assert not caught.value.retryable and caught.value.kind == "authentication_failed"
    assert "UNAUTHENTICATED" in str(caught.value)


def test_gemini_cut_stream_is_retryable(server: MockVertexServer) -> None:
    server.script(Fault(kind="cut", after_events=1, reply=Reply(Text("a"), Text("b"), Text("c"))))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("gemini-2.5-flash"))
    assert caught.value.retryable


def test_unsupported_model_family(server: MockVertexServer) -> None:
    with pytest.raises(ApiError, match="unsupported model 'llama-4'"):
        stream_events(provider(server), request("llama-4"))
    assert server.requests == []


def test_gemini_error_inside_the_stream_is_retryable(server: MockVertexServer) -> None:
    server.script(Fault(kind="stream_error", status=503, message="backend unavailable", after_events=1))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("gemini-2.5-flash"))
    assert caught.value.retryable and str(caught.value) == "vertex: 503 UNAVAILABLE: backend unavailable"


@pytest.mark.parametrize("model", ["claude-sonnet-4-6", "gemini-2.5-flash"])
def test_unusable_service_account_file_is_an_auth_error(
    server: MockVertexServer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, model: str
) -> None:
    # Application Default Credentials (no access_token) from a file google-auth cannot use
    bad = tmp_path / "sa.json"
    bad.write_text('{"type": "service_account", "project_id": "p"}')
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(bad))
    p = VertexProvider(
        {"base_url": server.url, "project": "p", "region": "us-east5"},
        {"GOOGLE_APPLICATION_CREDENTIALS": str(bad)},
    )
    with pytest.raises(ApiError) as caught:
        stream_events(p, request(model))
    err = caught.value
    assert err.kind == "authentication_failed" and not err.retryable
    assert str(err).startswith("vertex: Google credentials failed") and "\n" not in str(err)
    assert server.requests == []


def test_claude_signatures_never_reach_gemini_and_gemini_ones_never_reach_claude(
    server: MockVertexServer,
) -> None:
    server.script(Reply(Text("g")), Reply(Text("c")))
    history = [
        Message.user("q"),
        Message(
            role="assistant",
            content=[
                ThinkingBlock(thinking="claude's", signature="EqQBCkYIARgCKkB+claude/sig"),
                ThinkingBlock(thinking="gemini's", thought_signature=base64.b64encode(b"gem").decode()),
                TextBlock(text="answer"),
            ],
        ),
        Message.user("more"),
    ]
    stream_events(provider(server), request("gemini-2.5-flash", *history))
    parts = server.requests[0].json["contents"][1]["parts"]
    assert parts == [{"text": "answer", "thoughtSignature": base64.b64encode(b"gem").decode()}]
    stream_events(provider(server), request("claude-sonnet-4-6", *history))
    blocks = server.requests[1].json["messages"][1]["content"]
    assert [b.get("signature") for b in blocks if b["type"] == "thinking"] == ["EqQBCkYIARgCKkB+claude/sig"]
