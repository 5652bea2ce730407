"""AnthropicProvider.stream against the loopback Messages API server, through the official SDK."""

from __future__ import annotations

import pytest
from claw import (
    ApiError,
    ImageBlock,
    ImageSource,
    Message,
    MissingCredentials,
    ModelRequest,
    ResponseComplete,
    TextBlock,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolResultBlock,
    ToolSpec,
    ToolUseStart,
)
from claw.testing import stream_events
from claw.testing.samples import PNG_BASE64 as PNG
from claw.testing.samples import READ_TOOL as READ
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from claw_provider_anthropic.provider import AnthropicProvider


def provider(server, **settings):  # type: ignore[no-untyped-def]
    return AnthropicProvider({"base_url": server.url, **settings}, {"ANTHROPIC_API_KEY": "sk-ant-test"})


def request(*messages: Message, **kwargs) -> ModelRequest:  # type: ignore[no-untyped-def]
    return ModelRequest(
        model=kwargs.pop("model", "claude-sonnet-4-6"),
        messages=list(messages) or [Message.user("hi")],
        **kwargs,
    )


def run(server, req: ModelRequest, **settings):  # type: ignore[no-untyped-def]
    events = stream_events(provider(server, **settings), req)
    assert isinstance(events[-1], ResponseComplete)
    return events, events[-1].response


def test_text_streams_as_deltas_then_complete(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("Hello, world! How are you?")))
    events, response = run(anthropic_server, request())
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 1
    assert "".join(d.text for d in deltas) == "Hello, world! How are you?"
    assert response.to_message().text == "Hello, world! How are you?"
    assert response.stop_reason == "end_turn"
    assert response.id.startswith("msg_")
    sent = anthropic_server.requests[0]
    assert sent.path == "/v1/messages"
    assert sent.headers["x-api-key"] == "sk-ant-test"  # as the API documents it and Claude Code sends it
    assert "authorization" not in sent.headers and sent.headers["anthropic-version"]
    assert sent.json["stream"] is True
    assert sent.json["messages"][0]["content"][0]["text"] == "hi"


def test_thinking_text_and_tool_calls_in_one_turn(anthropic_server) -> None:
    anthropic_server.script(
        Reply(
            Thinking("I should read both files.", signature="sig-abc"),
            Text("Reading them."),
            ToolCall("Read", {"file_path": "src/a.py"}, id="toolu_a"),
            ToolCall("Read", {"file_path": "src/b.py", "limit": 20}, id="toolu_b"),
        )
    )
    events, response = run(anthropic_server, request(tools=[READ]))
    starts = [e for e in events if isinstance(e, ToolUseStart)]
    assert [(s.index, s.id, s.name) for s in starts] == [(2, "toolu_a", "Read"), (3, "toolu_b", "Read")]
    pieces = [e for e in events if isinstance(e, ToolInputDelta) and e.index == 3]
    assert len(pieces) > 1  # arguments split across deltas are reassembled
    assert "".join(e.thinking for e in events if isinstance(e, ThinkingDelta)) == "I should read both files."
    assert [b.type for b in response.content] == ["thinking", "text", "tool_use", "tool_use"]
    assert response.content[0].signature == "sig-abc"
    assert response.content[3].input == {"file_path": "src/b.py", "limit": 20}
    assert response.stop_reason == "tool_use"
    assert [t.id for t in response.to_message().tool_uses] == ["toolu_a", "toolu_b"]


def test_thinking_signature_is_sent_back_unchanged(anthropic_server) -> None:
    anthropic_server.script(
        Reply(
            Thinking("plan", signature="EqQBCkYIARgCIkB+opaque=="),
            ToolCall("Read", {"file_path": "a"}, id="toolu_1"),
        ),
        Reply(Text("done")),
    )
    first = request(Message.user("read a"), tools=[READ], reasoning_effort="high")
    _, response = run(anthropic_server, first)
    result = Message(role="user", content=[ToolResultBlock(tool_use_id="toolu_1", content="contents of a")])
    second = request(
        Message.user("read a"), response.to_message(), result, tools=[READ], reasoning_effort="high"
    )
    _, final = run(anthropic_server, second)
    assert final.to_message().text == "done"
    assistant = anthropic_server.requests[1].json["messages"][1]
    assert assistant["role"] == "assistant"
    assert assistant["content"][0] == {
        "type": "thinking",
        "thinking": "plan",
        "signature": "EqQBCkYIARgCIkB+opaque==",
    }
    assert assistant["content"][1] == {
        "type": "tool_use",
        "id": "toolu_1",
        "name": "Read",
        "input": {"file_path": "a"},
    }
    tool_result = anthropic_server.requests[1].json["messages"][2]["content"][0]
    assert tool_result["type"] == "tool_result" and tool_result["tool_use_id"] == "toolu_1"
    assert tool_result["content"] == "contents of a"


def test_thinking_from_another_provider_is_not_sent(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("ok")))
    foreign = Message.model_validate(
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "x", "signature": "enc", "openai_item_id": "rs_1"},
                {"type": "text", "text": "earlier answer"},
            ],
        }
    )
    run(anthropic_server, request(Message.user("q"), foreign, Message.user("again"), cache=False))
    assert anthropic_server.requests[0].json["messages"][1]["content"] == [
        {"type": "text", "text": "earlier answer"}
    ]


def test_images_in_user_messages_and_tool_results(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("a red pixel")))
    image = ImageBlock(source=ImageSource(media_type="image/png", data=PNG))
    msgs = [
        Message(role="user", content=[TextBlock(text="what is this?"), image]),
        Message.model_validate(
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "Read", "input": {}}]}
        ),
        Message(
            role="user", content=[ToolResultBlock(tool_use_id="t1", content=[TextBlock(text="img:"), image])]
        ),
    ]
    run(anthropic_server, request(*msgs, cache=False))
    sent = anthropic_server.requests[0].json["messages"]
    source = {"type": "base64", "media_type": "image/png", "data": PNG}
    assert sent[0]["content"][1] == {"type": "image", "source": source}
    assert sent[2]["content"][0]["content"] == [
        {"type": "text", "text": "img:"},
        {"type": "image", "source": source},
    ]


def test_usage_includes_cache_tokens(anthropic_server) -> None:
    usage = Usage(
        input_tokens=12, output_tokens=34, cache_read_input_tokens=5000, cache_creation_input_tokens=700
    )
    anthropic_server.script(Reply(Text("cached"), usage=usage))
    _, response = run(anthropic_server, request())
    assert response.usage.model_dump() == {
        "input_tokens": 12,
        "output_tokens": 34,
        "cache_creation_input_tokens": 700,
        "cache_read_input_tokens": 5000,
    }


def test_cache_breakpoints_on_tools_system_and_recent_turns(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("ok")), Reply(Text("ok")))
    history = [
        Message.user("first question"),
        Message.model_validate({"role": "assistant", "content": [{"type": "text", "text": "first answer"}]}),
        Message.user("second question"),
    ]
    system = [TextBlock(text="You are claw."), TextBlock(text="Environment: linux")]
    other = ToolSpec(name="Bash", description="run")
    run(anthropic_server, request(*history, system=system, tools=[READ, other]))
    body = anthropic_server.requests[0].json
    marked = [("tool", t["name"]) for t in body["tools"] if "cache_control" in t] + [
        ("system", b["text"]) for b in body["system"] if "cache_control" in b
    ]
    for m in body["messages"]:
        marked += [(m["role"], b.get("text")) for b in m["content"] if "cache_control" in b]
    assert marked == [
        ("tool", "Bash"),
        ("system", "Environment: linux"),
        ("user", "first question"),
        ("user", "second question"),
    ]
    assert all(
        b["cache_control"] == {"type": "ephemeral"}
        for b in [*body["tools"], *body["system"]]
        if "cache_control" in b
    )

    run(anthropic_server, request(*history, system=system, tools=[READ], cache=False))
    assert "cache_control" not in str(anthropic_server.requests[1].json)


def test_effort_on_an_adaptive_model_uses_output_config(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("a")), Reply(Text("b")))
    run(anthropic_server, request(model="claude-sonnet-4-6", reasoning_effort="medium", temperature=0.2))
    body = anthropic_server.requests[0].json
    assert body["thinking"] == {"type": "adaptive"}
    assert body["output_config"] == {"effort": "medium"}
    assert "temperature" not in body  # API version 2026-10-21 rejects any temperature
    run(anthropic_server, request(model="claude-opus-5-5", reasoning_effort="xhigh"))
    assert anthropic_server.requests[1].json["thinking"] == {"type": "adaptive"}
    assert anthropic_server.requests[1].json["output_config"] == {"effort": "xhigh"}


def test_effort_on_a_budget_model_uses_budget_tokens(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("a")))
    run(anthropic_server, request(model="claude-haiku-4-5", reasoning_effort="high", max_tokens=8000))
    body = anthropic_server.requests[0].json
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 20000}
    assert body["max_tokens"] > 20000  # the budget must fit under max_tokens
    assert "output_config" not in body


def test_no_effort_sends_no_thinking_parameters(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("a")), Reply(Text("b")))
    run(anthropic_server, request(model="claude-haiku-4-5", temperature=0.3))
    run(anthropic_server, request(model="claude-unreleased-9", reasoning_effort="high"))
    first, second = (r.json for r in anthropic_server.requests)
    assert "thinking" not in first and "temperature" not in first
    assert "thinking" not in second and "output_config" not in second  # unknown model: API default


def test_max_tokens_capped_at_model_limit(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("a")))
    run(anthropic_server, request(model="claude-haiku-4-5", max_tokens=500_000))
    assert anthropic_server.requests[0].json["max_tokens"] == 64_000


# --- errors ----------------------------------------------------------------------------------


def fail(server, step: Fault) -> ApiError:  # type: ignore[no-untyped-def]
    server.script(step)
    with pytest.raises(ApiError) as info:
        stream_events(provider(server), request())
    return info.value


def test_400_surfaces_the_server_message_and_is_final(anthropic_server) -> None:
    err = fail(
        anthropic_server, Fault(status=400, message="max_tokens: 999999 > 64000, the maximum for this model")
    )
    assert err.status_code == 400 and not err.retryable and err.kind == "invalid_request"
    assert "max_tokens: 999999 > 64000, the maximum for this model" in str(err)
    assert "invalid_request_error" in str(err)
    assert err.provider == "anthropic"


def test_401_is_an_authentication_failure(anthropic_server) -> None:
    err = fail(anthropic_server, Fault(status=401, message="invalid x-api-key"))
    assert (err.status_code, err.retryable, err.kind) == (401, False, "authentication_failed")
    assert "invalid x-api-key" in str(err)


def test_429_with_retry_after_is_retryable(anthropic_server) -> None:
    err = fail(anthropic_server, Fault(status=429, message="rate limited", retry_after=1.5))
    assert (err.status_code, err.retryable, err.kind) == (429, True, "rate_limit")
    assert err.retry_after == 1.5


def test_529_is_retryable_overload(anthropic_server) -> None:
    err = fail(anthropic_server, Fault(status=529, message="Overloaded"))
    assert (err.status_code, err.retryable, err.kind) == (529, True, "overloaded")


def test_spend_limit_429_is_not_retried(anthropic_server) -> None:
    err = fail(
        anthropic_server,
        Fault(
            status=429,
            message="spend limit reached",
            error_code="enforced_spend_limit_reached",
            retry_after=30,
        ),
    )
    assert (err.status_code, err.retryable, err.kind) == (429, False, "billing_error")


def test_cut_stream_is_a_retryable_transport_error(anthropic_server) -> None:
    err = fail(
        anthropic_server, Fault(kind="cut", after_events=4, reply=Reply(Text("a long answer, cut off")))
    )
    assert err.status_code is None and err.retryable
    assert "interrupted" in str(err)


def test_mid_stream_error_event_keeps_its_type(anthropic_server) -> None:
    err = fail(anthropic_server, Fault(kind="stream_error", status=529, message="Overloaded", after_events=3))
    assert (err.status_code, err.retryable, err.kind) == (529, True, "overloaded")
    assert "mid-stream" in str(err) and "overloaded_error" in str(err)


def test_connection_refused_is_retryable() -> None:
    p = AnthropicProvider({"base_url": "http://127.0.0.1:9"}, {"ANTHROPIC_API_KEY": "k"})
    with pytest.raises(ApiError) as info:
        stream_events(p, request())
    assert info.value.status_code is None and info.value.retryable
    assert str(info.value) == "cannot reach http://127.0.0.1:9: connection refused"


# --- credentials -----------------------------------------------------------------------------


def test_credentials_sources_and_precedence() -> None:
    assert AnthropicProvider({}, {"ANTHROPIC_API_KEY": "a"}).credentials().source == "ANTHROPIC_API_KEY"
    assert AnthropicProvider({}, {"ANTHROPIC_AUTH_TOKEN": "t"}).credentials().source == "ANTHROPIC_AUTH_TOKEN"
    both = AnthropicProvider({"api_key": "s"}, {"ANTHROPIC_API_KEY": "a"}).credentials()
    assert both.source == "settings providers.anthropic.api_key"
    missing = AnthropicProvider({}, {}).credentials()
    assert not missing.present and "ANTHROPIC_API_KEY" in missing.hint and missing.source is None


def test_auth_token_is_sent_as_bearer_and_base_url_from_env(anthropic_server) -> None:
    anthropic_server.script(Reply(Text("ok")))
    p = AnthropicProvider(
        {}, {"ANTHROPIC_AUTH_TOKEN": "gateway-token", "ANTHROPIC_BASE_URL": anthropic_server.url}
    )
    stream_events(p, request())
    assert anthropic_server.requests[0].headers["authorization"] == "Bearer gateway-token"


def test_missing_key_names_what_to_set() -> None:
    with pytest.raises(MissingCredentials, match="ANTHROPIC_API_KEY"):
        stream_events(AnthropicProvider({}, {}), request())


def test_tool_input_cut_by_max_tokens_reaches_the_tool_as_invalid(anthropic_server) -> None:
    # The mock stops the last tool call's JSON short when the reply ends at max_tokens, as the API does.
    anthropic_server.script(
        Reply(ToolCall("Read", {"file_path": "a_long_path.py"}), stop_reason="max_tokens")
    )
    _, response = run(anthropic_server, request())
    assert response.stop_reason == "max_tokens"
    assert list(response.content[0].input) == ["_invalid_json"]
