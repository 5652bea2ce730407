"""MockOpenAIServer speaks chat completions and responses as the official SDK parses them."""

from __future__ import annotations

import openai
import pytest
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from claw_testkit.mock_openai import response_events

MSG = [{"role": "user", "content": "hi"}]
REPLY = Reply(
    Thinking("think", signature="enc"),
    Text("hello world"),
    ToolCall("Read", {"file_path": "a"}, id="call_1"),
    ToolCall("Bash", {"command": "ls"}, id="call_2"),
    usage=Usage(input_tokens=10, output_tokens=4, cache_read_input_tokens=90),
)


def client(server):  # type: ignore[no-untyped-def]
    return openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0)


def test_chat_stream_with_tool_call_deltas_and_usage_chunk(openai_server) -> None:
    openai_server.script(REPLY)
    chunks = list(
        client(openai_server).chat.completions.create(
            model="gpt-5.4", messages=MSG, stream=True, stream_options={"include_usage": True}
        )
    )
    calls: dict[int, dict[str, str]] = {}
    for chunk in chunks[:-1]:
        for call in chunk.choices[0].delta.tool_calls or ():
            entry = calls.setdefault(call.index, {"id": call.id, "name": call.function.name, "args": ""})
            if call.id:
                assert entry["id"] == call.id  # only the first fragment carries id and name
            entry["args"] += call.function.arguments or ""
    assert calls == {
        0: {"id": "call_1", "name": "Read", "args": '{"file_path": "a"}'},
        1: {"id": "call_2", "name": "Bash", "args": '{"command": "ls"}'},
    }
    assert chunks[-2].choices[0].finish_reason == "tool_calls"
    assert chunks[-1].choices == [] and chunks[-1].usage.prompt_tokens == 100
    assert chunks[-1].usage.prompt_tokens_details.cached_tokens == 90
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "hello world"


def test_chat_without_include_usage_has_no_usage_chunk(openai_server) -> None:
    openai_server.script(Reply(Text("x")))
    chunks = list(client(openai_server).chat.completions.create(model="m", messages=MSG, stream=True))
    assert all(c.choices for c in chunks) and chunks[-1].choices[0].finish_reason == "stop"


def test_chat_non_streamed(openai_server) -> None:
    openai_server.script(REPLY)
    completion = client(openai_server).chat.completions.create(model="m", messages=MSG)
    message = completion.choices[0].message
    assert message.content == "hello world"
    assert [c.function.name for c in message.tool_calls] == ["Read", "Bash"]
    assert completion.choices[0].finish_reason == "tool_calls" and completion.usage.completion_tokens == 4


def test_responses_stream_helper_assembles_the_final_response(openai_server) -> None:
    openai_server.script(REPLY)
    with client(openai_server).responses.stream(model="gpt-5.4", input="hi") as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert kinds[:2] == ["response.created", "response.in_progress"] and kinds[-1] == "response.completed"
    assert (
        "response.reasoning_summary_text.delta" in kinds and "response.function_call_arguments.delta" in kinds
    )
    assert final.output_text == "hello world"
    reasoning, _, call, _ = final.output
    assert reasoning.encrypted_content == "enc" and reasoning.summary[0].text == "think"
    assert (call.call_id, call.name, call.arguments) == ("call_1", "Read", '{"file_path": "a"}')
    assert final.usage.input_tokens == 100 and final.usage.input_tokens_details.cached_tokens == 90


def test_responses_sequence_numbers_increase() -> None:
    events = response_events(REPLY, "gpt-5.4")
    assert [e["sequence_number"] for e in events] == list(range(len(events)))


def test_responses_non_streamed(openai_server) -> None:
    openai_server.script(Reply(Text("plain")))
    assert client(openai_server).responses.create(model="m", input="hi").output_text == "plain"


@pytest.mark.parametrize(
    ("status", "code", "exc"),
    [
        (400, None, openai.BadRequestError),
        (401, "invalid_api_key", openai.AuthenticationError),
        (429, "rate_limit_exceeded", openai.RateLimitError),
        (500, None, openai.InternalServerError),
    ],
)
def test_error_bodies(openai_server, status, code, exc) -> None:  # type: ignore[no-untyped-def]
    openai_server.script(Fault(status=status, message="bad thing", retry_after=1))
    with pytest.raises(exc) as info:
        client(openai_server).chat.completions.create(model="m", messages=MSG)
    err = info.value
    assert err.code == code and err.body["message"] == "bad thing"
    assert err.request_id and err.response.headers["retry-after-ms"] == "1000"


def test_insufficient_quota(openai_server) -> None:
    openai_server.script(Fault(status=429, error_code="insufficient_quota"))
    with pytest.raises(openai.RateLimitError) as info:
        client(openai_server).responses.create(model="m", input="hi")
    assert (info.value.code, info.value.type) == ("insufficient_quota", "insufficient_quota")


def test_mid_stream_errors(openai_server) -> None:
    openai_server.script(
        Fault(kind="stream_error", status=500, message="chat broke"),
        Fault(kind="stream_error", status=500, message="responses broke", after_events=3),
    )
    with pytest.raises(openai.APIError, match="chat broke"):
        list(client(openai_server).chat.completions.create(model="m", messages=MSG, stream=True))
    events = list(client(openai_server).responses.create(model="m", input="hi", stream=True))
    assert events[-1].type == "error" and events[-1].message == "responses broke"


def test_cut_stream(openai_server) -> None:
    # Assert what the client saw, not which SDK exception class reported it (that changes between releases).
    openai_server.script(Fault(kind="cut", after_events=2))
    chunks: list[object] = []
    with pytest.raises(Exception) as info:
        for chunk in client(openai_server).chat.completions.create(model="m", messages=MSG, stream=True):
            chunks.append(chunk)
    assert not isinstance(info.value, AssertionError)
    assert chunks and all(c.choices[0].finish_reason is None for c in chunks if c.choices)


def test_unknown_route_is_404(openai_server) -> None:
    with pytest.raises(openai.NotFoundError):
        client(openai_server).embeddings.create(model="m", input="x")
    assert openai_server.requests[0].path == "/v1/embeddings"
