"""claw_wire: the translation helpers provider plugins share (no SDK involved)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from claw._errors import ApiError
from claw._messages import ImageBlock, ImageSource, Message, TextBlock, ToolResultBlock, ToolUseBlock
from claw._providers import ModelInfo, ModelRequest, ResponseComplete, TextDelta, ToolInputDelta, ToolUseStart
from claw._tools import ToolSpec
from claw.testing import imported_modules
from claw_wire import anthropic, effort_of, openai_chat, redact_url
from claw_wire.builder import ResponseBuilder, tool_input
from claw_wire.errors import sdk_error

INFO = ModelInfo(id="m", provider="p", supports_prompt_cache=True, effort_levels=("low", "high"))
TOOL = ToolSpec(name="Read", description="read", input_schema={"type": "object"})


async def _aiter(items: list[Any]) -> Any:
    for item in items:
        yield item


def _collect(gen: Any) -> list[Any]:
    async def go() -> list[Any]:
        return [e async for e in gen]

    return asyncio.run(go())


def test_wire_modules_import_no_sdk() -> None:
    mods = imported_modules("claw_wire.anthropic") | imported_modules("claw_wire.openai_chat")
    assert not {"anthropic", "openai", "httpx2", "httpx"} & mods


def test_builder_orders_blocks_and_keeps_cut_json() -> None:
    b = ResponseBuilder()
    b.add(ToolUseStart(index=1, id="t", name="Read"))
    b.add(ToolInputDelta(index=1, partial_json='{"file_path": "a'))
    b.add(TextDelta(index=0, text="hi"))
    content = b.content()
    assert content[0] == TextBlock(text="hi")
    assert content[1] == ToolUseBlock(id="t", name="Read", input={"_invalid_json": '{"file_path": "a'})
    assert tool_input("") == {} and tool_input("[1]") == {"_invalid_json": "[1]"}


@pytest.mark.parametrize(
    ("effort", "style", "max_tokens", "expected"),
    [
        (None, "adaptive", 16000, {}),
        ("high", None, 16000, {}),
        ("high", "adaptive", 16000, {"thinking": {"type": "adaptive"}, "output_config": {"effort": "high"}}),
        ("high", "budget", 32000, {"thinking": {"type": "enabled", "budget_tokens": 20000}}),
        ("high", "budget", 8000, {"thinking": {"type": "enabled", "budget_tokens": 6976}}),
        ("low", "budget", 2000, {}),  # no room for the minimum budget of 1024 below max_tokens
    ],
)
def test_thinking_params(effort: Any, style: Any, max_tokens: int, expected: dict) -> None:
    assert anthropic.thinking_params(effort, style, max_tokens) == expected


def test_effort_of_maps_the_requested_level_onto_the_models(capsys: pytest.CaptureFixture[str]) -> None:
    def effort(info: ModelInfo, asked: Any) -> Any:
        return effort_of(ModelRequest(model=info.id, messages=[], reasoning_effort=asked), info)

    assert effort(INFO, "high") == "high"
    assert effort(INFO, "medium") == "low"  # the highest supported level below the request
    assert effort(INFO, "max") == "high"
    assert effort(ModelInfo(id="m", provider="p", effort_levels=("high",)), "low") == "high"
    assert effort(ModelInfo(id="n", provider="p"), "high") is None
    assert effort(INFO, None) is None
    err = capsys.readouterr().err
    assert "using 'low'" in err and "does not support --reasoning-effort" in err


def test_anthropic_request_params_cache_breakpoints_and_effort_mapping() -> None:
    request = ModelRequest(
        model="x",
        system=[TextBlock(text="sys")],
        messages=[Message.user("q")],
        tools=[TOOL],
        reasoning_effort="medium",
        temperature=0.5,
    )
    params = anthropic.request_params(request, model="claude-x", info=INFO, thinking="adaptive")
    assert params["system"][-1]["cache_control"] == {"type": "ephemeral"}
    assert params["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert params["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    assert params["output_config"] == {"effort": "low"}  # medium is not offered: the level below
    assert "temperature" not in params  # thinking forbids it
    plain = anthropic.request_params(request.model_copy(update={"cache": False}), model="m", info=INFO)
    assert "cache_control" not in str(plain) and "temperature" not in plain  # API 2026-10-21 rejects it


def test_anthropic_stream_events_assemble_and_fail_on_cut_stream() -> None:
    events = [
        {
            "type": "message_start",
            "message": {"id": "msg_1", "model": "m", "usage": {"input_tokens": 5, "output_tokens": 1}},
        },
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "t", "name": "Read", "input": {}},
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"a": 1}'},
        },
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 9}},
        {"type": "message_stop"},
    ]
    out = _collect(anthropic.stream_events(_aiter(events), provider="p", model="m"))
    done = out[-1]
    assert isinstance(done, ResponseComplete) and done.response.id == "msg_1"
    assert done.response.usage.input_tokens == 5 and done.response.usage.output_tokens == 9
    with pytest.raises(ApiError) as caught:
        _collect(anthropic.stream_events(_aiter(events[:3]), provider="p", model="m"))
    assert caught.value.retryable
    with pytest.raises(ApiError) as caught:
        error = {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}}
        _collect(anthropic.stream_events(_aiter([*events[:2], error]), provider="p", model="m"))
    assert caught.value.kind == "overloaded" and caught.value.retryable


def test_openai_chat_messages_place_tool_results_after_the_call() -> None:
    png = ImageBlock(source=ImageSource(media_type="image/png", data="AAAA"))
    request = ModelRequest(
        model="m",
        system=[TextBlock(text="sys")],
        messages=[
            Message.user("q"),
            Message(role="assistant", content=[ToolUseBlock(id="c1", name="Read", input={"f": 1})]),
            Message(
                role="user",
                content=[
                    ToolResultBlock(tool_use_id="c1", content=[TextBlock(text="r"), png], is_error=True)
                ],
            ),
        ],
    )
    msgs = openai_chat.messages(request)
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "tool", "user"]
    assert msgs[2]["content"] is None and msgs[2]["tool_calls"][0]["function"]["arguments"] == '{"f": 1}'
    assert msgs[3] == {"role": "tool", "tool_call_id": "c1", "content": "Error: r"}
    assert msgs[4]["content"][0]["image_url"]["url"] == "data:image/png;base64,AAAA"
    # labelled with the call it came from
    assert msgs[4]["content"][1] == {"type": "text", "text": "(the image above came from tool call c1)"}


def test_openai_chat_stream_events() -> None:
    def chunk(**delta: Any) -> Any:
        finish = delta.pop("finish", None)
        return SimpleNamespace(
            id="c",
            model="m",
            usage=None,
            choices=[SimpleNamespace(delta=SimpleNamespace(**delta), finish_reason=finish)],
        )

    call = SimpleNamespace(index=0, id="call_1", function=SimpleNamespace(name="Read", arguments='{"a"'))
    more = SimpleNamespace(index=0, id=None, function=SimpleNamespace(name=None, arguments=": 1}"))
    usage = SimpleNamespace(
        prompt_tokens=100,
        completion_tokens=7,
        prompt_tokens_details=SimpleNamespace(cached_tokens=60, cache_write_tokens=None),
    )
    chunks = [
        chunk(content="hi", tool_calls=None, reasoning_content=None),
        chunk(content=None, tool_calls=[call], reasoning_content=None),
        chunk(content=None, tool_calls=[more], reasoning_content=None, finish="tool_calls"),
        SimpleNamespace(id="c", model="m", usage=usage, choices=[]),
    ]
    done = _collect(openai_chat.stream_events(_aiter(chunks), provider="p", model="m"))[-1]
    assert done.response.stop_reason == "tool_use"
    assert done.response.content[1] == ToolUseBlock(id="call_1", name="Read", input={"a": 1})
    assert (done.response.usage.input_tokens, done.response.usage.cache_read_input_tokens) == (40, 60)
    with pytest.raises(ApiError):
        _collect(openai_chat.stream_events(_aiter(chunks[:2]), provider="p", model="m"))


class APIStatusError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"Error code: {status}")
        self.status_code = status
        self.body = body
        self.response = SimpleNamespace(headers=headers or {})


class APIConnectionError(Exception):
    pass


def test_sdk_error_classification() -> None:
    e = sdk_error(APIStatusError(429, {"error": {"message": "slow down"}}, {"retry-after": "3"}), "p")
    assert isinstance(e, ApiError) and e.retryable and e.retry_after == 3 and str(e) == "p: 429 slow down"
    quota = sdk_error(APIStatusError(429, {"message": "quota", "code": "insufficient_quota"}), "p")
    assert not quota.retryable and quota.kind == "billing_error"
    in_stream = sdk_error(
        APIStatusError(200, {"type": "error", "error": {"type": "overloaded_error", "message": "x"}}), "p"
    )
    assert in_stream.kind == "overloaded" and in_stream.retryable
    conn = sdk_error(APIConnectionError("reset"), "p")
    assert conn.retryable and conn.status_code is None
    assert not sdk_error(ValueError("odd"), "p").retryable


def test_unsigned_thinking_is_not_sent_to_the_messages_api() -> None:
    from claw._messages import ThinkingBlock

    turn = Message(
        role="assistant",
        content=[
            ThinkingBlock(thinking="from another provider"),
            ThinkingBlock(thinking="t", signature="s"),
            TextBlock(text="a"),
        ],
    )
    request = ModelRequest(model="m", messages=[Message.user("q"), turn, Message.user("next")], cache=False)
    sent = anthropic.request_params(request, model="m", info=INFO)["messages"][1]["content"]
    assert [b["type"] for b in sent] == ["thinking", "text"] and sent[0]["signature"] == "s"


def test_native_tool_type_is_sent_by_the_anthropic_wire_and_a_function_elsewhere() -> None:
    from claw import NativeTool

    schema = {"type": "object", "properties": {"action": {"type": "string"}}}
    computer = ToolSpec(
        name="computer",
        description="drive the desktop",
        input_schema=schema,
        native=NativeTool(
            type="computer_20250124",
            params={"display_width_px": 1024, "display_height_px": 768},
            betas=("computer-use-2025-01-24",),
        ),
    )
    request = ModelRequest(model="m", messages=[Message.user("q")], tools=[TOOL, computer], cache=False)
    params = anthropic.request_params(request, model="m", info=INFO)
    assert params["tools"][1] == {
        "type": "computer_20250124",
        "name": "computer",
        "display_width_px": 1024,
        "display_height_px": 768,
    }
    assert params["tools"][0]["input_schema"] == {"type": "object"}
    assert params["betas"] == ["computer-use-2025-01-24"]
    assert "betas" not in anthropic.request_params(
        request.model_copy(update={"tools": [TOOL]}), model="m", info=INFO
    )
    chat = openai_chat.request_params(request, model="m", info=INFO)
    assert chat["tools"][1]["function"]["parameters"] == schema


def test_an_image_with_a_session_placeholder_is_still_sent_whole() -> None:
    from claw._messages import ImageBlock, ImageSource, Message, ToolResultBlock
    from claw_wire import anthropic

    shot = ImageBlock(
        source=ImageSource(media_type="image/png", data="QUJD" * 1000),
        session_placeholder="(screenshot 1024x768)",
    )
    message = Message(role="user", content=[ToolResultBlock(tool_use_id="t1", content=[shot])])
    sent = anthropic.messages([message])[0]["content"][0]["content"][0]
    assert sent == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "QUJD" * 1000},
    }


def test_a_plain_http_endpoint_without_proxy_loads_no_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    from claw_wire.http import _needs_tls

    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert _needs_tls("https://api.anthropic.com/") and not _needs_tls("http://127.0.0.1:8080/")
    monkeypatch.setenv("HTTPS_PROXY", "https://proxy.example:3128")  # a proxy may be reached over TLS
    assert _needs_tls("http://127.0.0.1:8080/")


def test_unreachable_cause_is_found_in_the_exception_chain() -> None:
    import socket

    from claw._errors import endpoint_of
    from claw_wire.errors import unreachable_at, unreachable_cause

    def wrapped(inner: BaseException) -> Exception:
        try:
            try:
                raise inner
            except OSError as exc:
                raise RuntimeError("All connection attempts failed") from exc
        except RuntimeError as outer:
            return outer

    assert unreachable_cause(wrapped(ConnectionRefusedError(111, "refused"))) == "connection refused"
    assert unreachable_cause(wrapped(socket.gaierror(socket.EAI_NONAME, "nope"))) == "unknown host"
    assert unreachable_cause(wrapped(ConnectionResetError(104, "reset"))) is None
    error = unreachable_at(wrapped(ConnectionRefusedError()), "https://user:pw@h.example/v1?a=1", "p")
    assert error is not None and str(error) == "cannot reach https://h.example:443: connection refused"
    assert error.retryable and error.kind == "server_error"
    assert endpoint_of("http://[::1]/x") == "http://[::1]:80"


def test_logged_urls_hide_secrets():
    url = "https://u:hunter2@host/v1/models/m:go?alt=sse&key=AIza123&api-version=2024&X-Amz-Signature=abc"
    masked = redact_url(url)
    assert "hunter2" not in masked and "AIza123" not in masked and "abc" not in masked.split("?")[1]
    assert masked.startswith("https://u:***@host/v1/models/m:go?alt=sse&key=***&api-version=2024")
