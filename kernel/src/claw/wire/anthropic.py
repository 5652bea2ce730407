"""Anthropic Messages API translation for every client that speaks it.

Claude is served by Anthropic, Vertex AI (``AsyncAnthropicVertex``), Azure AI Foundry
(``AsyncAnthropicFoundry``) and, for thinking parameters, Bedrock Converse
(``additionalModelRequestFields``). claw's messages already have Anthropic's shapes, so translation is
mostly adding cache breakpoints and thinking parameters; the stream side turns raw Messages stream
events into claw stream events. No ``anthropic`` import: SDK objects are read by attribute.

Usage in a provider (errors mapped with :func:`claw.wire.errors.sdk_error`)::

    params = anthropic_wire.request_params(request, model=model_id, info=info, thinking="adaptive")
    try:
        raw = await client.messages.create(**params, stream=True)
        async for event in anthropic_wire.stream_events(raw, provider="vertex", model=model_id):
            yield event
    except Exception as exc:
        raise sdk_error(exc, "vertex") from exc
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

from claw.errors import ApiError
from claw.messages import Message, Usage
from claw.providers import (
    Effort,
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
from claw.wire.errors import STREAM_ERROR_STATUS

#: How a Claude model takes reasoning: ``adaptive`` (``thinking: adaptive`` + ``output_config.effort``),
#: ``budget`` (``thinking.budget_tokens``), or ``None`` (no thinking).
ThinkingStyle = Literal["adaptive", "budget"] | None

#: ``budget_tokens`` per effort for models without adaptive thinking (the table coder/mux and
#: docker-agent use, extended for ``xhigh``/``max``).
THINKING_BUDGETS: dict[str, int] = {
    "low": 4_000,
    "medium": 10_000,
    "high": 20_000,
    "xhigh": 32_000,
    "max": 48_000,
}

_EPHEMERAL = {"type": "ephemeral"}


def thinking_params(effort: Effort | None, style: ThinkingStyle, max_tokens: int) -> dict[str, Any]:
    """``thinking`` (and ``output_config``) for ``effort``; empty when no thinking is asked or possible.

    A budget must be at least 1024 and below ``max_tokens``; when ``max_tokens`` leaves no room the
    request goes without thinking rather than failing.
    """
    if effort is None or style is None:
        return {}
    if style == "adaptive":
        return {"thinking": {"type": "adaptive"}, "output_config": {"effort": effort}}
    budget = min(THINKING_BUDGETS[effort], max_tokens - 1024)
    if budget < 1024:
        return {}
    return {"thinking": {"type": "enabled", "budget_tokens": budget}}


def _cached(block: dict[str, Any]) -> dict[str, Any]:
    return {**block, "cache_control": _EPHEMERAL}


def _message(message: Message) -> dict[str, Any]:
    """A message as the API takes it. Thinking without a signature (reasoning another provider
    streamed, e.g. ``reasoning_content``) is left out: the API rejects unsigned thinking blocks."""
    data = message.model_dump(exclude_none=True)
    data["content"] = [b for b in data["content"] if b.get("type") != "thinking" or b.get("signature")]
    return data


def request_params(
    request: ModelRequest, *, model: str, info: ModelInfo, thinking: ThinkingStyle = None
) -> dict[str, Any]:
    """Keyword arguments for ``client.messages.create`` (without ``stream``).

    :param model: the id the endpoint expects (already mapped by the provider).
    :param info: the model's capabilities: prompt-cache breakpoints (last tool, last system block,
        last message) are placed when it supports caching and the request asks for it; the effort is
        mapped onto its ``effort_levels``.
    :param thinking: the model's thinking style; reasoning is requested only when
        ``request.reasoning_effort`` is set.
    """
    cache = info.supports_prompt_cache and request.cache
    params: dict[str, Any] = {"model": model, "max_tokens": request.max_tokens}
    system = [b.model_dump(exclude_none=True) for b in request.system if b.text]
    if system:
        if cache:
            system[-1] = _cached(system[-1])
        params["system"] = system
    messages = [_message(m) for m in request.messages]
    if cache and messages and messages[-1]["content"]:
        messages[-1]["content"][-1] = _cached(messages[-1]["content"][-1])
    params["messages"] = messages
    if request.tools:
        tools = [
            {"name": t.name, "description": t.description, "input_schema": t.input_schema}
            for t in request.tools
        ]
        if cache:
            tools[-1] = _cached(tools[-1])
        params["tools"] = tools
    extra = thinking_params(effort_of(request, info), thinking, request.max_tokens)
    params.update(extra)
    if request.temperature is not None and "thinking" not in extra:
        params["temperature"] = request.temperature
    if request.stop_sequences:
        params["stop_sequences"] = list(request.stop_sequences)
    return params


def _data(obj: Any) -> dict[str, Any]:
    """An SDK event or dict as a plain dict."""
    if isinstance(obj, dict):
        return obj
    dump = getattr(obj, "model_dump", None)
    return dump() if dump is not None else dict(vars(obj))


def usage_of(data: dict[str, Any] | None, base: Usage | None = None) -> Usage:
    """Messages ``usage`` as claw :class:`Usage`; fields absent from ``data`` keep ``base``'s values
    (``message_delta`` usage is cumulative and may omit the input counts)."""
    base = base or Usage()
    data = data or {}

    def pick(key: str, default: int) -> int:
        value = data.get(key)
        return default if value is None else int(value)

    return Usage(
        input_tokens=pick("input_tokens", base.input_tokens),
        output_tokens=pick("output_tokens", base.output_tokens),
        cache_creation_input_tokens=pick("cache_creation_input_tokens", base.cache_creation_input_tokens),
        cache_read_input_tokens=pick("cache_read_input_tokens", base.cache_read_input_tokens),
    )


async def stream_events(raw: AsyncIterator[Any], *, provider: str, model: str) -> AsyncIterator[StreamEvent]:
    """Translate raw Messages stream events (``messages.create(stream=True)``) into claw events,
    ending with :class:`ResponseComplete`. A stream that stops before ``message_stop`` or sends an
    ``error`` event raises :class:`ApiError`."""
    builder = ResponseBuilder()
    usage = Usage()
    message_id, stop_reason, served_model = "", None, model
    async for item in raw:
        event = _data(item)
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message") or {}
            message_id = message.get("id") or ""
            served_model = message.get("model") or model
            usage = usage_of(message.get("usage"))
        elif kind == "content_block_start":
            index, block = event["index"], event.get("content_block") or {}
            if block.get("type") == "tool_use":
                yield builder.add(ToolUseStart(index=index, id=block["id"], name=block["name"]))
            elif block.get("type") == "redacted_thinking":
                builder.redacted_thinking(index, block.get("data", ""))
            elif block.get("type") == "text" and block.get("text"):
                yield builder.add(TextDelta(index=index, text=block["text"]))
        elif kind == "content_block_delta":
            index, delta = event["index"], event.get("delta") or {}
            dtype = delta.get("type")
            if dtype == "text_delta":
                yield builder.add(TextDelta(index=index, text=delta["text"]))
            elif dtype == "input_json_delta":
                yield builder.add(ToolInputDelta(index=index, partial_json=delta["partial_json"]))
            elif dtype == "thinking_delta":
                yield builder.add(ThinkingDelta(index=index, thinking=delta["thinking"]))
            elif dtype == "signature_delta":
                builder.signature(index, delta["signature"])
        elif kind == "message_delta":
            stop_reason = (event.get("delta") or {}).get("stop_reason") or stop_reason
            usage = usage_of(event.get("usage"), usage)
        elif kind == "message_stop":
            response = builder.response(
                id=message_id, model=served_model, stop_reason=stop_reason, usage=usage
            )
            yield ResponseComplete(response=response)
            return
        elif kind == "error":
            error = event.get("error") or {}
            etype = error.get("type", "api_error")
            raise ApiError.from_status(
                STREAM_ERROR_STATUS.get(etype, 500),
                f"{provider}: {etype}: {error.get('message', 'error event in stream')}",
                provider=provider,
            )
    raise ApiError(
        f"{provider}: the response stream ended before message_stop",
        retryable=True,
        kind="server_error",
        provider=provider,
    )
