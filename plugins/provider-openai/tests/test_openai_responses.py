"""OpenAIProvider on /v1/responses against the loopback server, through the official SDK."""

from __future__ import annotations

import json

import pytest
from claw import (
    ApiError,
    ImageBlock,
    ImageSource,
    Message,
    TextBlock,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolResultBlock,
    ToolUseStart,
)
from claw.testing import stream_events
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from openai_test_support import PNG, READ, helpers

provider, request, run = helpers("responses", "gpt-5.4")


def test_text_and_request_shape(openai_server) -> None:
    openai_server.script(Reply(Text("Hello from responses")))
    events, response = run(
        openai_server, request(system=[TextBlock(text="be brief")], reasoning_effort="low")
    )
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello from responses"
    assert response.to_message().text == "Hello from responses"
    assert response.id.startswith("resp_") and response.stop_reason == "end_turn"
    sent = openai_server.requests[0]
    assert sent.path == "/v1/responses"
    body = sent.json
    assert body["instructions"] == "be brief"
    assert body["input"] == [{"role": "user", "content": [{"type": "input_text", "text": "hi"}]}]
    assert body["store"] is False and body["stream"] is True
    assert body["reasoning"] == {"summary": "auto", "effort": "low"}
    assert body["include"] == ["reasoning.encrypted_content"]


def test_reasoning_tool_calls_and_round_trip(openai_server) -> None:
    openai_server.script(
        Reply(
            Thinking("Need the file first.", signature="gAAAAB-encrypted"),
            ToolCall("Read", {"file_path": "main.py"}, id="call_1"),
            usage=Usage(input_tokens=50, output_tokens=20, cache_read_input_tokens=450),
        ),
        Reply(Text("It prints hello.")),
    )
    events, response = run(openai_server, request(Message.user("what does main.py do?"), tools=[READ]))
    assert "".join(e.thinking for e in events if isinstance(e, ThinkingDelta)) == "Need the file first."
    assert [(e.index, e.id, e.name) for e in events if isinstance(e, ToolUseStart)] == [(1, "call_1", "Read")]
    assert len([e for e in events if isinstance(e, ToolInputDelta)]) > 1
    thinking, call = response.content
    assert thinking.signature == "gAAAAB-encrypted" and thinking.model_extra["openai_item_id"].startswith(
        "rs_"
    )
    assert call.input == {"file_path": "main.py"} and response.stop_reason == "tool_use"
    assert response.usage.input_tokens == 50 and response.usage.cache_read_input_tokens == 450

    result = Message(role="user", content=[ToolResultBlock(tool_use_id="call_1", content="print('hello')")])
    second = request(Message.user("what does main.py do?"), response.to_message(), result, tools=[READ])
    _, final = run(openai_server, second)
    assert final.to_message().text == "It prints hello."
    items = openai_server.requests[1].json["input"]
    assert items[1] == {
        "type": "reasoning",
        "id": thinking.model_extra["openai_item_id"],
        "summary": [{"type": "summary_text", "text": "Need the file first."}],
        "encrypted_content": "gAAAAB-encrypted",
    }
    assert items[2] == {
        "type": "function_call",
        "call_id": "call_1",
        "name": "Read",
        "arguments": '{"file_path": "main.py"}',
    }
    assert items[3] == {"type": "function_call_output", "call_id": "call_1", "output": "print('hello')"}
    assert openai_server.requests[1].json["tools"][0] == {
        "type": "function",
        "name": "Read",
        "description": "Read a file",
        "parameters": READ.input_schema,
        "strict": False,
    }


def test_anthropic_thinking_is_not_sent_to_openai(openai_server) -> None:
    openai_server.script(Reply(Text("ok")))
    claude_turn = Message.model_validate(
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "t", "signature": "claude-sig"},
                {"type": "text", "text": "a"},
            ],
        }
    )
    run(openai_server, request(Message.user("q"), claude_turn, Message.user("q2")))
    items = openai_server.requests[0].json["input"]
    assert "claude-sig" not in json.dumps(items)
    assert items[1] == {"role": "assistant", "content": "a"}


def test_images_in_input_and_tool_output(openai_server) -> None:
    openai_server.script(Reply(Text("ok")))
    image = ImageBlock(source=ImageSource(media_type="image/png", data=PNG))
    msgs = [
        Message(role="user", content=[TextBlock(text="see"), image]),
        Message.model_validate(
            {"role": "assistant", "content": [{"type": "tool_use", "id": "c1", "name": "Read", "input": {}}]}
        ),
        Message(
            role="user", content=[ToolResultBlock(tool_use_id="c1", content=[TextBlock(text="shot"), image])]
        ),
    ]
    run(openai_server, request(*msgs))
    items = openai_server.requests[0].json["input"]
    url = f"data:image/png;base64,{PNG}"
    assert items[0]["content"][1] == {"type": "input_image", "image_url": url}
    assert items[2]["output"] == [
        {"type": "input_text", "text": "shot"},
        {"type": "input_image", "image_url": url},
    ]


def test_incomplete_response_is_max_tokens(openai_server) -> None:
    openai_server.script(Reply(Text("truncat"), stop_reason="max_tokens"))
    _, response = run(openai_server, request())
    assert response.stop_reason == "max_tokens" and response.to_message().text == "truncat"


def test_non_reasoning_model_gets_temperature_not_reasoning(openai_server) -> None:
    openai_server.script(Reply(Text("a")))
    run(openai_server, request(model="gpt-4.1", temperature=0.1))
    body = openai_server.requests[0].json
    assert body["temperature"] == 0.1 and "reasoning" not in body and "include" not in body


def test_429_insufficient_quota_is_fatal(openai_server) -> None:
    openai_server.script(Fault(status=429, error_code="insufficient_quota", message="quota"))
    with pytest.raises(ApiError) as info:
        stream_events(provider(openai_server), request())
    assert (info.value.status_code, info.value.retryable, info.value.kind) == (429, False, "billing_error")


def test_error_event_mid_stream(openai_server) -> None:
    openai_server.script(
        Fault(kind="stream_error", status=429, message="Rate limit reached mid-response", after_events=4)
    )
    with pytest.raises(ApiError) as info:
        stream_events(provider(openai_server), request())
    assert (info.value.status_code, info.value.retryable) == (429, True)
    assert "Rate limit reached mid-response" in str(info.value)


def test_cut_stream_is_retryable(openai_server) -> None:
    openai_server.script(Fault(kind="cut", after_events=5))
    with pytest.raises(ApiError) as info:
        stream_events(provider(openai_server), request())
    assert info.value.status_code is None and info.value.retryable


def test_a_response_failed_event_is_an_api_error_classified_by_its_code() -> None:
    from claw_provider_openai.responses import ResponsesAssembler

    failed = {
        "type": "response.failed",
        "response": {"error": {"code": "rate_limit_exceeded", "message": "slow"}},
    }
    with pytest.raises(ApiError) as info:
        ResponsesAssembler("gpt-5.4").feed(failed)
    assert str(info.value) == "openai: response failed: rate_limit_exceeded: slow"
    assert (info.value.status_code, info.value.retryable, info.value.provider) == (429, True, "openai")
