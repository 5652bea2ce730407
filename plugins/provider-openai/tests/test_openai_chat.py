"""OpenAIProvider on /v1/chat/completions against the loopback server, through the official SDK."""

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
from claw_provider_openai.provider import OpenAIProvider
from openai_test_support import PNG, READ, helpers

provider, request, run = helpers("chat", "gpt-5.4-mini")


def test_text_streams_and_usage_is_requested(openai_server) -> None:
    openai_server.script(Reply(Text("Hello from chat completions")))
    events, response = run(openai_server, request(system=[TextBlock(text="be brief")]))
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello from chat completions"
    assert response.to_message().text == "Hello from chat completions"
    assert response.stop_reason == "end_turn"
    sent = openai_server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert sent.json["stream"] is True and sent.json["stream_options"] == {"include_usage": True}
    assert sent.json["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
    ]


def test_tool_call_deltas_are_assembled_by_index(openai_server) -> None:
    openai_server.script(
        Reply(
            Text("Let me look."),
            ToolCall("Read", {"file_path": "a.py"}, id="call_a"),
            ToolCall("Bash", {"command": "pytest -q tests/"}, id="call_b"),
        )
    )
    events, response = run(openai_server, request(tools=[READ]))
    starts = [(e.index, e.id, e.name) for e in events if isinstance(e, ToolUseStart)]
    assert starts == [(1, "call_a", "Read"), (2, "call_b", "Bash")]
    assert len([e for e in events if isinstance(e, ToolInputDelta) and e.index == 2]) > 1
    assert [b.type for b in response.content] == ["text", "tool_use", "tool_use"]
    assert response.content[2].input == {"command": "pytest -q tests/"}
    assert response.stop_reason == "tool_use"
    tools = openai_server.requests[0].json["tools"]
    assert tools == [
        {
            "type": "function",
            "function": {"name": "Read", "description": "Read a file", "parameters": READ.input_schema},
        }
    ]


def test_history_with_tool_results_and_images(openai_server) -> None:
    openai_server.script(Reply(Text("ok")))
    image = ImageBlock(source=ImageSource(media_type="image/png", data=PNG))
    history = [
        Message(role="user", content=[TextBlock(text="look"), image]),
        Message.model_validate(
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "hidden", "signature": "s"},
                    {"type": "text", "text": "Reading."},
                    {"type": "tool_use", "id": "call_1", "name": "Read", "input": {"file_path": "x.png"}},
                    {"type": "tool_use", "id": "call_2", "name": "Bash", "input": {"command": "false"}},
                ],
            }
        ),
        Message(
            role="user",
            content=[
                ToolResultBlock(tool_use_id="call_1", content=[TextBlock(text="an image"), image]),
                ToolResultBlock(tool_use_id="call_2", content="exit 1", is_error=True),
                TextBlock(text="and now?"),
            ],
        ),
    ]
    run(openai_server, request(*history))
    sent = openai_server.requests[0].json["messages"]
    url = f"data:image/png;base64,{PNG}"
    assert sent[0] == {
        "role": "user",
        "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": url}}],
    }
    assert sent[1]["role"] == "assistant" and sent[1]["content"] == "Reading."
    assert [c["id"] for c in sent[1]["tool_calls"]] == ["call_1", "call_2"]
    assert json.loads(sent[1]["tool_calls"][0]["function"]["arguments"]) == {"file_path": "x.png"}
    assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "an image"}
    assert sent[3] == {"role": "tool", "tool_call_id": "call_2", "content": "Error: exit 1"}
    assert sent[4]["role"] == "user"
    assert sent[4]["content"][0] == {"type": "image_url", "image_url": {"url": url}}
    assert sent[4]["content"][-1] == {"type": "text", "text": "and now?"}
    assert "hidden" not in json.dumps(sent)  # chat completions take no reasoning input


def test_cached_tokens_map_to_cache_reads(openai_server) -> None:
    openai_server.script(
        Reply(Text("x"), usage=Usage(input_tokens=100, output_tokens=7, cache_read_input_tokens=900))
    )
    _, response = run(openai_server, request())
    # prompt_tokens 1000 of which 900 cached: claw's input_tokens is the uncached 100
    assert response.usage.model_dump() == {
        "input_tokens": 100,
        "output_tokens": 7,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 900,
    }


def test_reasoning_content_becomes_thinking(openai_server) -> None:
    openai_server.script(Reply(Thinking("step by step"), Text("42")))
    events, response = run(openai_server, request())
    assert "".join(e.thinking for e in events if isinstance(e, ThinkingDelta)) == "step by step"
    assert response.content[0].type == "thinking" and response.content[0].thinking == "step by step"


def test_effort_is_sent_as_reasoning_effort(openai_server) -> None:
    openai_server.script(Reply(Text("a")), Reply(Text("b")), Reply(Text("c")))
    run(openai_server, request(reasoning_effort="medium", temperature=0.5))
    run(openai_server, request(temperature=0.5))  # a reasoning model rejects temperature
    run(openai_server, request(model="gpt-4.1", temperature=0.5))
    first, second, third = (r.json for r in openai_server.requests)
    assert first["reasoning_effort"] == "medium" and "temperature" not in first
    assert "reasoning_effort" not in second and "temperature" not in second
    assert "reasoning_effort" not in third and third["temperature"] == 0.5


def test_max_completion_tokens_on_openai_and_max_tokens_on_compatible_servers(openai_server) -> None:
    openai_server.script(Reply(Text("a")), Reply(Text("b")))
    run(openai_server, request(max_tokens=1000))
    assert openai_server.requests[0].json["max_tokens"] == 1000  # a base_url that is not OpenAI's
    p = OpenAIProvider(
        {"api": "chat"}, {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "https://api.openai.com/v1"}
    )
    assert not p.compatible


def test_invalid_tool_arguments_reach_the_tool_instead_of_failing(openai_server) -> None:
    openai_server.script(Reply(ToolCall("Read", {"file_path": "a"})))
    _, response = run(openai_server, request())
    assert response.content[0].input == {"file_path": "a"}
    from claw_wire.builder import tool_input

    assert tool_input('{"file_path": "a"') == {"_invalid_json": '{"file_path": "a"'}
    assert tool_input("") == {}


# --- errors ----------------------------------------------------------------------------------


def fail(server, step: Fault) -> ApiError:  # type: ignore[no-untyped-def]
    server.script(step)
    with pytest.raises(ApiError) as info:
        stream_events(provider(server), request())
    return info.value


def test_400_message_surfaces(openai_server) -> None:
    err = fail(openai_server, Fault(status=400, message="Invalid value for 'max_completion_tokens'"))
    assert (err.status_code, err.retryable, err.kind) == (400, False, "invalid_request")
    assert "Invalid value for 'max_completion_tokens'" in str(err) and err.provider == "openai"


def test_401_is_fatal(openai_server) -> None:
    err = fail(openai_server, Fault(status=401, message="Incorrect API key provided"))
    assert (err.status_code, err.retryable, err.kind) == (401, False, "authentication_failed")


def test_429_rate_limit_retries_after(openai_server) -> None:
    err = fail(openai_server, Fault(status=429, message="Rate limit reached", retry_after=0.25))
    assert (err.status_code, err.retryable, err.retry_after) == (429, True, 0.25)


def test_429_insufficient_quota_is_fatal(openai_server) -> None:
    err = fail(
        openai_server,
        Fault(status=429, message="You exceeded your current quota", error_code="insufficient_quota"),
    )
    assert (err.status_code, err.retryable, err.kind) == (429, False, "billing_error")
    assert "exceeded your current quota" in str(err)


def test_500_is_retryable(openai_server) -> None:
    err = fail(openai_server, Fault(status=500))
    assert (err.status_code, err.retryable) == (500, True)


def test_cut_stream_is_retryable(openai_server) -> None:
    err = fail(openai_server, Fault(kind="cut", after_events=3))
    assert err.status_code is None and err.retryable and "interrupted" in str(err)


def test_error_object_mid_stream(openai_server) -> None:
    err = fail(
        openai_server,
        Fault(kind="stream_error", status=500, message="The server had an error", after_events=2),
    )
    assert (err.status_code, err.retryable) == (500, True)
    assert "The server had an error" in str(err)
