"""OpenAI Chat Completions translation, for every deployment that speaks it.

OpenAI, Azure AI Foundry's ``/openai/v1/`` endpoint (OpenAI and partner models: Llama, Mistral,
DeepSeek, Grok, ...), vLLM, llama.cpp, Ollama and most OpenAI-compatible servers serve this one API.
No ``openai`` import: chunks are read as decoded JSON (or SDK objects, by attribute).

Mapping: each ``tool_result`` becomes a ``role: tool`` message right after the assistant turn that
called it, and images a tool returned follow in a user message, labelled with the call they came
from (tool messages carry text only);
thinking is not sent back (the API has no input for it); ``delta.reasoning_content`` or
``delta.reasoning`` (what vLLM, llama.cpp and DeepSeek stream) becomes thinking; usage
``prompt_tokens`` includes cached tokens, which claw reports apart.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

from claw import (
    ApiError,
    ImageBlock,
    KeepAlive,
    Message,
    ModelInfo,
    ModelRequest,
    ResponseComplete,
    StopReason,
    StreamEvent,
    TextBlock,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolResultBlock,
    ToolUseBlock,
    ToolUseStart,
    Usage,
)

from claw_wire import effort_of, stream_translated
from claw_wire.builder import ResponseBuilder
from claw_wire.http import PING

_FINISH: dict[str, StopReason] = {
    "stop": "end_turn",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "refusal",
}


def data_url(block: ImageBlock) -> str:
    """An image as the ``data:`` URL both OpenAI APIs take."""
    return f"data:{block.source.media_type};base64,{block.source.data}"


def _user_content(blocks: list[TextBlock | ImageBlock]) -> str | list[dict[str, Any]]:
    if all(isinstance(b, TextBlock) for b in blocks):
        return "".join(b.text for b in blocks if isinstance(b, TextBlock))
    return [
        {"type": "text", "text": b.text}
        if isinstance(b, TextBlock)
        else {"type": "image_url", "image_url": {"url": data_url(b)}}
        for b in blocks
    ]


def _tool_text(block: ToolResultBlock) -> tuple[str, list[ImageBlock]]:
    if isinstance(block.content, str):
        text, images = block.content, []
    else:
        text = "\n".join(b.text for b in block.content if isinstance(b, TextBlock))
        images = [b for b in block.content if isinstance(b, ImageBlock)]
    if block.is_error:
        text = f"Error: {text}"
    return text or "(no output)", images


def _message(message: Message) -> list[dict[str, Any]]:
    if message.role == "assistant":
        text = "".join(b.text for b in message.content if isinstance(b, TextBlock))
        out: dict[str, Any] = {"role": "assistant", "content": text or None}
        calls = [b for b in message.content if isinstance(b, ToolUseBlock)]
        if calls:
            out["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.input)},
                }
                for c in calls
            ]
        return [out] if text or calls else []
    result: list[dict[str, Any]] = []
    pending: list[TextBlock | ImageBlock] = []
    for block in message.content:
        if isinstance(block, ToolResultBlock):
            text, images = _tool_text(block)
            result.append({"role": "tool", "tool_call_id": block.tool_use_id, "content": text})
            if images:
                label = f"(the image{'s' if len(images) > 1 else ''} above came from tool call {block.tool_use_id})"
                pending += [*images, TextBlock(text=label)]
        elif isinstance(block, TextBlock | ImageBlock):
            pending.append(block)
    if pending:
        result.append({"role": "user", "content": _user_content(pending)})
    return result


def messages(request: ModelRequest) -> list[dict[str, Any]]:
    """The ``messages`` list: the system prompt first, then the conversation."""
    out: list[dict[str, Any]] = []
    system = "\n\n".join(b.text for b in request.system if b.text)
    if system:
        out.append({"role": "system", "content": system})
    for message in request.messages:
        out += _message(message)
    return out


def prompt_cache_key(request: ModelRequest) -> dict[str, Any]:
    """``prompt_cache_key`` for OpenAI itself: it routes requests with the same key to the same
    cache, so one session's turns keep hitting it. Empty without a ``session_id`` in the metadata."""
    session = request.metadata.get("session_id")
    if not isinstance(session, str) or not session:
        return {}
    return {"prompt_cache_key": f"claw-{session}"}


def request_params(
    request: ModelRequest,
    *,
    model: str,
    info: ModelInfo,
    max_tokens_field: Literal["max_completion_tokens", "max_tokens"] = "max_completion_tokens",
    cache_key: bool = False,
) -> dict[str, Any]:
    """The request body for ``POST /chat/completions`` (streaming, usage included).

    :param model: the model or deployment name.
    :param info: capabilities: ``max_tokens`` is capped at ``info.max_output_tokens``;
        ``reasoning_effort`` is sent (mapped onto ``info.effort_levels``) only when the model takes
        effort levels, and a temperature only to a model that does not reason (reasoning models
        reject it).
    :param max_tokens_field: ``max_completion_tokens`` (OpenAI's current name, required by reasoning
        models) or the older ``max_tokens`` that llama.cpp, older vLLM and some partner models expect.
    :param cache_key: send :func:`prompt_cache_key` (OpenAI itself; some compatible servers reject
        unknown fields).
    """
    params: dict[str, Any] = {
        "model": model,
        "messages": messages(request),
        "stream": True,
        "stream_options": {"include_usage": True},
        max_tokens_field: min(request.max_tokens, info.max_output_tokens),
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
    elif request.temperature is not None and not info.supports_thinking:
        params["temperature"] = request.temperature
    if request.stop_sequences:
        params["stop"] = list(request.stop_sequences)
    if cache_key:
        params.update(prompt_cache_key(request))
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
    """claw :class:`Usage` from a Chat Completions ``usage`` (``prompt_tokens``...) or a Responses
    ``usage`` (``input_tokens``...). OpenAI counts cached reads (and Azure's cache writes) inside the
    prompt total; claw's ``input_tokens`` is the uncached part only, as Anthropic's is."""
    if not data:
        return Usage()
    if _get(data, "prompt_tokens") is not None:
        prompt, output = _get(data, "prompt_tokens") or 0, _get(data, "completion_tokens") or 0
        details = _get(data, "prompt_tokens_details")
    else:
        prompt, output = _get(data, "input_tokens") or 0, _get(data, "output_tokens") or 0
        details = _get(data, "input_tokens_details")
    cached = _get(details, "cached_tokens") or 0
    written = _get(details, "cache_write_tokens") or 0
    return Usage(
        input_tokens=max(0, prompt - cached - written),
        output_tokens=output,
        cache_read_input_tokens=cached,
        cache_creation_input_tokens=written,
    )


async def stream_events(
    chunks: AsyncIterator[Any], *, provider: str, model: str
) -> AsyncIterator[StreamEvent]:
    """``chat.completion.chunk`` objects -> claw events, ending with :class:`ResponseComplete`.

    Only the first choice is read. Arguments that are not valid JSON (small local models produce
    them) become ``{"_invalid_json": ...}`` so the tool reports it to the model. A server that says
    ``stop`` after tool calls still ends the turn with ``tool_use``.
    """
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
        if chunk is PING:
            yield KeepAlive()
            continue
        response_id = _get(chunk, "id") or response_id
        served = _get(chunk, "model") or served
        if _get(chunk, "usage"):
            usage = usage_of(_get(chunk, "usage"))
        for choice in (_get(chunk, "choices") or [])[:1]:
            delta = _get(choice, "delta")
            reasoning = _get(delta, "reasoning_content") or _get(delta, "reasoning")
            if isinstance(reasoning, str) and reasoning:
                yield builder.add(ThinkingDelta(index=slot("thinking"), thinking=reasoning))
            text = _get(delta, "content")
            if isinstance(text, str) and text:
                yield builder.add(TextDelta(index=slot("text"), text=text))
            for call in _get(delta, "tool_calls") or ():
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
            f"{provider}: stream interrupted: the response ended without a finish reason",
            retryable=True,
            kind="server_error",
            provider=provider,
        )
    stop = _FINISH.get(finish, "end_turn")
    if stop == "end_turn" and any(key != "text" and key != "thinking" for key in slots):
        stop = "tool_use"  # some compatible servers say "stop" after tool calls
    yield ResponseComplete(
        response=builder.response(id=response_id, model=served, stop_reason=stop, usage=usage)
    )


async def stream(
    client: Any,
    params: dict[str, Any],
    *,
    provider: str,
    model: str,
    error: Callable[[BaseException], Exception | None] | None = None,
) -> AsyncIterator[StreamEvent]:
    """Send ``params`` (from :func:`request_params`) to ``POST /chat/completions`` with an
    ``openai`` SDK async client and stream claw events; every failure is an :class:`ApiError`.

    :param error: a provider's own mapping tried first (e.g. a cloud sign-in failure); ``None`` from
        it falls back to :func:`claw_wire.errors.sdk_error`.
    """
    events = stream_translated(
        client,
        "/chat/completions",
        params,
        lambda raw: stream_events(raw, provider=provider, model=model),
        provider=provider,
        error=error,
    )
    async for event in events:
        yield event
