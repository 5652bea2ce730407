"""MockAnthropicServer speaks the Messages API as the official SDK parses it."""

from __future__ import annotations

import anthropic
import httpx2
import pytest
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from claw_testkit.mock_anthropic import encode_sse, message_events

MSG = [{"role": "user", "content": "hi"}]


def client(server, **kw):  # type: ignore[no-untyped-def]
    return anthropic.Anthropic(base_url=server.url, api_key="test", max_retries=0, **kw)


def test_sdk_stream_helper_assembles_every_block_type(anthropic_server) -> None:
    usage = Usage(
        input_tokens=3, output_tokens=9, cache_read_input_tokens=100, cache_creation_input_tokens=20
    )
    anthropic_server.script(
        Reply(
            Thinking("hmm", signature="sig-9"),
            Text("hello there"),
            ToolCall("Edit", {"a": [1, {"b": "c"}]}),
            usage=usage,
        )
    )
    with client(anthropic_server).messages.stream(
        model="claude-opus-5-5", max_tokens=100, messages=MSG
    ) as stream:
        texts = list(stream.text_stream)
        message = stream.get_final_message()
    assert "".join(texts) == "hello there" and len(texts) > 1
    thinking, text, tool = message.content
    assert (thinking.thinking, thinking.signature) == ("hmm", "sig-9")
    assert text.text == "hello there"
    assert (tool.name, tool.input) == ("Edit", {"a": [1, {"b": "c"}]})
    assert message.stop_reason == "tool_use" and message.model == "claude-opus-5-5"
    u = message.usage
    assert (u.input_tokens, u.output_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens) == (
        3,
        9,
        100,
        20,
    )
    assert anthropic_server.requests[0].json["model"] == "claude-opus-5-5"
    assert anthropic_server.requests[0].headers["anthropic-version"]


def test_event_order_has_ping_and_cumulative_usage() -> None:
    events = message_events(Reply(Text("ab"), usage=Usage(output_tokens=42)), "claude-x")
    types = [e["type"] for e in events]
    assert types[:2] == ["message_start", "ping"]
    assert types[-2:] == ["message_delta", "message_stop"]
    assert events[0]["message"]["usage"]["output_tokens"] == 1
    assert events[-2]["usage"]["output_tokens"] == 42
    assert encode_sse(events[:1])[0].startswith(b"event: message_start\ndata: {")


def test_non_streamed_message(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("plain"), model="claude-haiku-5-5"))
    message = client(anthropic_server).messages.create(model="claude-x", max_tokens=10, messages=MSG)
    assert message.content[0].text == "plain" and message.model == "claude-haiku-5-5"
    assert message.stop_reason == "end_turn"


@pytest.mark.parametrize(
    ("status", "error_type", "exc"),
    [
        (400, "invalid_request_error", anthropic.BadRequestError),
        (401, "authentication_error", anthropic.AuthenticationError),
        (429, "rate_limit_error", anthropic.RateLimitError),
        (500, "api_error", anthropic.InternalServerError),
        (529, "overloaded_error", anthropic.OverloadedError),
    ],
)
def test_error_bodies_and_headers(anthropic_server, status, error_type, exc) -> None:  # type: ignore[no-untyped-def]
    anthropic_server.script(Fault(status=status, message="nope", retry_after=2))
    with pytest.raises(exc) as info:
        client(anthropic_server).messages.create(model="m", max_tokens=10, messages=MSG)
    err = info.value
    assert (err.status_code, err.type, err.api_message) == (status, error_type, "nope")
    assert err.request_id and err.request_id.startswith("req_")
    assert err.body["request_id"] == err.request_id
    assert err.response.headers["retry-after"] == "2" and err.response.headers["retry-after-ms"] == "2000"


def test_spend_limit_detail(anthropic_server) -> None:
    anthropic_server.script(Fault(status=429, error_code="enforced_spend_limit_reached"))
    with pytest.raises(anthropic.APIStatusError) as info:
        client(anthropic_server).messages.create(model="m", max_tokens=10, messages=MSG)
    assert info.value.error_code == "enforced_spend_limit_reached"


def test_mid_stream_error_event(anthropic_server) -> None:
    anthropic_server.script(Fault(kind="stream_error", status=529, message="Overloaded", after_events=4))
    c = client(anthropic_server)
    with (
        pytest.raises(anthropic.APIStatusError) as info,
        c.messages.stream(model="m", max_tokens=10, messages=MSG) as s,
    ):
        s.get_final_message()
    assert (info.value.type, info.value.api_message) == ("overloaded_error", "Overloaded")


def test_cut_stream_breaks_the_transfer(anthropic_server) -> None:
    # Which exception class the SDK raises for a broken transfer changes between SDK releases (2.17 wraps
    # httpx2's error in APIConnectionError): assert what the client saw, not how it was reported.
    anthropic_server.script(Fault(kind="cut", after_events=3))
    seen: list[str] = []
    with (
        pytest.raises(Exception) as info,
        client(anthropic_server).messages.stream(model="m", max_tokens=10, messages=MSG) as stream,
    ):
        for event in stream:
            seen.append(event.type)
    assert not isinstance(info.value, AssertionError)
    assert seen[:1] == ["message_start"] and "message_stop" not in seen


def test_stalled_stream_trips_a_read_timeout(anthropic_server) -> None:
    anthropic_server.script(Fault(kind="stall", after_events=3, seconds=2))
    slow = client(anthropic_server, timeout=httpx2.Timeout(5, read=0.2))
    timeouts = (anthropic.APITimeoutError, httpx2.ReadTimeout)
    with pytest.raises(timeouts), slow.messages.stream(model="m", max_tokens=10, messages=MSG) as stream:
        stream.get_final_message()


def test_requests_are_logged_and_unscripted_requests_fail_loudly(anthropic_server) -> None:
    c = client(anthropic_server)
    with pytest.raises(anthropic.InternalServerError, match="unscripted request"):
        c.messages.create(model="m", max_tokens=5, messages=MSG)
    anthropic_server.respond_with(lambda req: Reply(Text(f"echo {req.json['messages'][0]['content']}")))
    assert c.messages.create(model="m", max_tokens=5, messages=MSG).content[0].text == "echo hi"
    assert [r.method for r in anthropic_server.requests] == ["POST", "POST"]
    assert anthropic_server.requests[1].json["max_tokens"] == 5


def test_native_tool_betas_go_out_as_the_anthropic_beta_header_through_an_sdk_client(
    anthropic_server,
) -> None:
    """The SDK-client path of claw_wire.post_stream (Vertex and Foundry send through it) carries the header too."""
    import asyncio

    from claw import Message, ModelInfo, ModelRequest, NativeTool, ToolSpec
    from claw_wire import anthropic as anthropic_wire

    spec = ToolSpec(
        name="computer",
        description="desktop",
        native=NativeTool(
            type="computer_20251124",
            params={"display_width_px": 1280, "display_height_px": 800},
            betas=("computer-use-2025-11-24",),
        ),
    )
    request = ModelRequest(model="m", messages=[Message.user("hi")], tools=[spec], cache=False)
    params = anthropic_wire.request_params(request, model="m", info=ModelInfo(id="m", provider="anthropic"))
    anthropic_server.script(Reply(Text("ok")))

    async def run() -> list:
        sdk = anthropic.AsyncAnthropic(base_url=anthropic_server.url, api_key="test", max_retries=0)
        return [e async for e in anthropic_wire.stream(sdk, params, provider="vertex", model="m")]

    assert asyncio.run(run())[-1].response.content[0].text == "ok"
    (sent,) = anthropic_server.requests
    assert sent.headers["anthropic-beta"] == "computer-use-2025-11-24"
    assert sent.json["tools"] == [
        {"type": "computer_20251124", "name": "computer", "display_width_px": 1280, "display_height_px": 800}
    ]
    assert "betas" not in sent.json
