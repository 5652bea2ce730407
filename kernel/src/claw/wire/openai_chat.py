"""OpenAI Chat Completions translation, for every deployment that speaks it.

Azure AI Foundry's ``/openai/v1/`` endpoint serves OpenAI and partner models (Llama, Mistral,
DeepSeek, Grok, ...) through this one API, as do vLLM and most OpenAI-compatible servers. No
``openai`` import: SDK chunks are read by attribute (or as dicts).

Mapping: tool results become ``tool`` messages placed right after the assistant turn that called
them (images they carry follow in a user message, since tool messages hold text only); thinking
blocks are not sent back (Chat Completions has no field for them); ``delta.reasoning_content`` (the
field vLLM, DeepSeek and llama.cpp stream) becomes thinking; usage ``prompt_tokens`` includes cached
tokens, which claw reports apart.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, Literal

from claw.errors import ApiError
from claw.messages import ImageBlock, Message, StopReason, TextBlock, ToolResultBlock, ToolUseBlock, Usage
from claw.providers import (
    ModelInfo,
    ModelRequest,
    ResponseComplete,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseStart,
)
from claw.wire import effort_of
from claw.wire.builder import ResponseBuilder

_FINISH: dict[str, StopReason] = {
    "stop": "end_turn",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "refusal",
}


def _image_part(block: ImageBlock) -> dict[str, Any]:
    url = f"data:{block.source.media_type};base64,{block.source.data}"
    return {"type": "image_url", "image_url": {"url": url}}


def _user(message: Message) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    for block in message.content:
        if isinstance(block, ToolResultBlock):
            if isinstance(block.content, str):
                text = block.content
            else:
                text = "".join(b.text for b in block.content if isinstance(b, TextBlock))
                images += [_image_part(b) for b in block.content if isinstance(b, ImageBlock)]
            if block.is_error:
                text = f"Error: {text}"
            out.append({"role": "tool", "tool_call_id": block.tool_use_id, "content": text or "(no output)"})
        elif isinstance(block, TextBlock) and block.text:
            parts.append({"type": "text", "text": block.text})
        elif isinstance(block, ImageBlock):
            parts.append(_image_part(block))
    parts = images + parts
    if parts:
        content: Any = parts[0]["text"] if len(parts) == 1 and parts[0]["type"] == "text" else parts
        out.append({"role": "user", "content": content})
    return out


def _assistant(message: Message) -> dict[str, Any]:
    text = "".join(b.text for b in message.content if isinstance(b, TextBlock))
    calls = [
        {"id": b.id, "type": "function", "function": {"name": b.name, "arguments": json.dumps(b.input)}}
        for b in message.content
        if isinstance(b, ToolUseBlock)
    ]
    out: dict[str, Any] = {"role": "assistant", "content": text or None}
    if calls:
        out["tool_calls"] = calls
    return out


def messages(request: ModelRequest) -> list[dict[str, Any]]:
    """The ``messages`` list: the system prompt first, then the conversation."""
    out: list[dict[str, Any]] = []
    system = "\n\n".join(b.text for b in request.system if b.text)
    if system:
        out.append({"role": "system", "content": system})
    for message in request.messages:
        if message.role == "assistant":
            out.append(_assistant(message))
        else:
            out.extend(_user(message))
    return out


def request_params(
    request: ModelRequest,
    *,
    model: str,
    info: ModelInfo,
    max_tokens_field: Literal["max_completion_tokens", "max_tokens"] = "max_completion_tokens",
) -> dict[str, Any]:
    """Keyword arguments for ``client.chat.completions.create`` (streaming, usage included).

    :param model: the model or deployment name.
    :param info: capabilities: ``reasoning_effort`` is sent (mapped onto ``info.effort_levels``) only
        when the model takes effort levels.
    :param max_tokens_field: ``max_completion_tokens`` (OpenAI's current name, required by reasoning
        models) or the older ``max_tokens`` that some partner models still expect.
    """
    params: dict[str, Any] = {
        "model": model,
        "messages": messages(request),
        max_tokens_field: request.max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if request.tools:
        params["tools"] = [
            {
                "type": "function",
                "function": {"name": t.name, "description": t.description, "parameters": t.input_schema},
            }
            for t in request.tools
        ]
    effort = effort_of(request, info)
    if effort is not None:
        params["reasoning_effort"] = effort
    if request.temperature is not None:
        params["temperature"] = request.temperature
    if request.stop_sequences:
        params["stop"] = list(request.stop_sequences)
    return params


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    value = getattr(obj, key, None)
    if value is None:
        extra = getattr(obj, "model_extra", None) or {}
        value = extra.get(key)
    return value


def usage_of(data: Any) -> Usage:
    """``prompt_tokens`` counts cached reads (and Azure's cache writes); claw reports them apart."""
    details = _get(data, "prompt_tokens_details")
    cached = _get(details, "cached_tokens") or 0
    written = _get(details, "cache_write_tokens") or 0
    prompt = _get(data, "prompt_tokens") or 0
    return Usage(
        input_tokens=max(0, prompt - cached - written),
        output_tokens=_get(data, "completion_tokens") or 0,
        cache_read_input_tokens=cached,
        cache_creation_input_tokens=written,
    )


async def stream_events(
    chunks: AsyncIterator[Any], *, provider: str, model: str
) -> AsyncIterator[StreamEvent]:
    """``chat.completion.chunk`` objects -> claw events, ending with :class:`ResponseComplete`."""
    builder = ResponseBuilder()
    slots: dict[Any, int] = {}  # "thinking" | "text" | ("tool", i) -> claw block index
    finish: str | None = None
    usage = Usage()
    response_id, served = "", model

    def slot(key: Any) -> int:
        if key not in slots:
            slots[key] = len(slots)
        return slots[key]

    async for chunk in chunks:
        response_id = _get(chunk, "id") or response_id
        served = _get(chunk, "model") or served
        if _get(chunk, "usage") is not None:
            usage = usage_of(_get(chunk, "usage"))
        for choice in _get(chunk, "choices") or []:
            delta = _get(choice, "delta")
            reasoning = _get(delta, "reasoning_content")
            if reasoning:
                yield builder.add(ThinkingDelta(index=slot("thinking"), thinking=reasoning))
            text = _get(delta, "content")
            if text:
                yield builder.add(TextDelta(index=slot("text"), text=text))
            for call in _get(delta, "tool_calls") or []:
                key = ("tool", _get(call, "index") or 0)
                function = _get(call, "function")
                if key not in slots:
                    call_id = _get(call, "id") or f"call_{len(slots)}"
                    yield builder.add(
                        ToolUseStart(index=slot(key), id=call_id, name=_get(function, "name") or "")
                    )
                arguments = _get(function, "arguments")
                if arguments:
                    yield builder.add(ToolInputDelta(index=slots[key], partial_json=arguments))
            finish = _get(choice, "finish_reason") or finish
    if finish is None:
        raise ApiError(
            f"{provider}: the response stream ended without a finish reason",
            retryable=True,
            kind="server_error",
            provider=provider,
        )
    stop = _FINISH.get(finish, "end_turn")
    yield ResponseComplete(
        response=builder.response(id=response_id, model=served, stop_reason=stop, usage=usage)
    )
