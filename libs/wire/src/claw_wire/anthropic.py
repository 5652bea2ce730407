"""Anthropic Messages API translation for every client that speaks it.

Claude is served by Anthropic (``AsyncAnthropic``), Vertex AI (``AsyncAnthropicVertex``), Azure AI
Foundry (``AsyncAnthropicFoundry``) and, for thinking parameters, Bedrock Converse
(``additionalModelRequestFields``). claw's messages already have Anthropic's shapes, so a request is
mostly a copy of the fields API version 2026-10-21 accepts (dropping extras other providers attach,
and thinking Anthropic cannot verify), plus tools, thinking/effort and prompt-cache breakpoints. The
stream side turns raw Messages stream events into claw stream events. No ``anthropic`` import.

Usage in a provider::

    params = anthropic_wire.request_params(request, model=model_id, info=info, thinking="adaptive")
    async for event in anthropic_wire.stream(client, params, provider="vertex", model=model_id):
        yield event
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, Literal, get_args

from claw import (
    ApiError,
    Effort,
    KeepAlive,
    Message,
    ModelInfo,
    ModelRequest,
    ModelResponse,
    ResponseComplete,
    StopReason,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolSpec,
    ToolUseStart,
    Usage,
)

from claw_wire import effort_of, stream_translated
from claw_wire.anthropic_cache import place_breakpoints
from claw_wire.builder import ResponseBuilder
from claw_wire.errors import STREAM_ERROR_STATUS

#: How a Claude model takes reasoning: ``always`` (adaptive thinking that is always on) and
#: ``adaptive`` (``thinking: adaptive`` + ``output_config.effort``), ``budget``
#: (``thinking.budget_tokens``), or ``None`` (no thinking parameters: the API's default applies).
ThinkingStyle = Literal["always", "adaptive", "budget"] | None

#: ``budget_tokens`` per effort for models without adaptive thinking (the table coder/mux and
#: docker-agent use, extended for ``xhigh``/``max``).
THINKING_BUDGETS: dict[str, int] = {
    "low": 4_000,
    "medium": 10_000,
    "high": 20_000,
    "xhigh": 32_000,
    "max": 63_000,
}

#: Fields the API accepts per block type; anything else a block carries (extras other providers add)
#: is dropped.
_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("type", "text"),
    "image": ("type", "source"),
    "tool_use": ("type", "id", "name", "input"),
    "tool_result": ("type", "tool_use_id", "content", "is_error"),
    "thinking": ("type", "thinking", "signature"),
    "redacted_thinking": ("type", "data"),
}

#: Set by the OpenAI provider on reasoning it produced (its signature is OpenAI's encrypted content);
#: Anthropic cannot verify it, so it is not sent.
FOREIGN_THINKING_MARK = "openai_item_id"

_STOP_REASONS = frozenset(get_args(StopReason))


def thinking_params(effort: Effort | None, style: ThinkingStyle, max_tokens: int) -> dict[str, Any]:
    """``thinking`` (and ``output_config``) for ``effort``; empty when no thinking is asked or possible.

    A budget must be at least 1024 and below ``max_tokens``; when ``max_tokens`` leaves no room the
    request goes without thinking rather than failing.
    """
    if effort is None or style is None:
        return {}
    if style in ("always", "adaptive"):
        return {"thinking": {"type": "adaptive"}, "output_config": {"effort": effort}}
    budget = min(THINKING_BUDGETS[effort], max_tokens - 1024)
    if budget < 1024:
        return {}
    return {"thinking": {"type": "enabled", "budget_tokens": budget}}


def _block(block: dict[str, Any]) -> dict[str, Any] | None:
    """A content block as the API takes it, or ``None`` for thinking it would reject: unsigned
    (reasoning another provider streamed, e.g. ``reasoning_content``) or signed by another vendor."""
    kind = block.get("type", "")
    if kind == "thinking" and (not block.get("signature") or block.get(FOREIGN_THINKING_MARK)):
        return None
    fields = _FIELDS.get(kind)
    if fields is None:
        return block
    out = {k: block[k] for k in fields if k in block}
    if kind == "tool_result":
        if not out.get("is_error"):
            out.pop("is_error", None)
        if isinstance(out.get("content"), list):
            out["content"] = [c for c in (_block(b) for b in out["content"]) if c is not None]
    return out


#: The wire blocks of the messages of the last request, by message identity: a session re-sends its
#: whole history every turn, and converting each message again made a turn's cost grow with the
#: session (about 28 us a message: 110 ms a request at turn 1,000). History messages are not changed
#: once added, so a message seen before is converted once. Replaced on every call by the entries of
#: that call's messages, so it holds no message the caller has dropped (after a compaction).
_converted: dict[int, tuple[Message, list[dict[str, Any]]]] = {}


def messages(msgs: list[Message]) -> list[dict[str, Any]]:
    """The ``messages`` list; a message left empty by dropped thinking is left out. The block dicts are
    shared between calls (each message's ``content`` list is new): change a block by replacing it in its
    list, as :func:`claw_wire.anthropic_cache.place_breakpoints` does, never in place."""
    global _converted
    seen: dict[int, tuple[Message, list[dict[str, Any]]]] = {}
    out = []
    for m in msgs:
        entry = _converted.get(id(m))
        if entry is None or entry[0] is not m:
            entry = (m, [c for c in (_block(b.model_dump()) for b in m.content) if c is not None])
        seen[id(m)] = entry
        if entry[1]:
            out.append({"role": m.role, "content": list(entry[1])})
    _converted = seen
    return out


def tool_param(spec: ToolSpec) -> dict[str, Any]:
    """One entry of ``tools``: the provider-defined type when the tool declares one for this API
    (:class:`claw.NativeTool`), else the JSON-schema function."""
    native = spec.native
    if native is not None and native.api == "anthropic":
        return {**native.params, "type": native.type, "name": spec.name}
    return {"name": spec.name, "description": spec.description, "input_schema": spec.input_schema}


def request_params(
    request: ModelRequest, *, model: str, info: ModelInfo, thinking: ThinkingStyle = None
) -> dict[str, Any]:
    """Keyword arguments for ``client.messages.create`` (without ``stream``).

    :param model: the id the endpoint expects (already mapped by the provider).
    :param info: the model's capabilities: ``max_tokens`` is capped at its ``max_output_tokens`` (and
        raised, within it, to fit a thinking budget); prompt-cache breakpoints (see
        :mod:`claw_wire.anthropic_cache`) are placed when it supports caching and the request asks for
        it; the effort is mapped onto its ``effort_levels``.
    :param thinking: the model's thinking style; reasoning is requested only when
        ``request.reasoning_effort`` is set.

    ``betas`` lists the beta features the tools need (:attr:`claw.NativeTool.betas`); it is not a body
    field (the SDKs' ``beta.messages.create`` takes it the same way): :func:`stream` sends it as the
    ``anthropic-beta`` header.

    ``request.temperature`` is not sent: API version 2026-10-21 (anthropic 2.x) rejects temperature,
    top_p and top_k on every model, and the SDK no longer has the parameters.
    """
    max_tokens = min(request.max_tokens, info.max_output_tokens)
    effort = effort_of(request, info)
    if thinking == "budget" and effort is not None and max_tokens <= THINKING_BUDGETS[effort]:
        max_tokens = min(info.max_output_tokens, THINKING_BUDGETS[effort] + max_tokens)
    params: dict[str, Any] = {
        "model": model,
        "max_tokens": max_tokens,
        "messages": messages(request.messages),
        **thinking_params(effort, thinking, max_tokens),
    }
    system = [{"type": "text", "text": b.text} for b in request.system if b.text]
    if system:
        params["system"] = system
    if request.tools:
        params["tools"] = [tool_param(t) for t in request.tools]
        betas = sorted(
            {b for t in request.tools if t.native and t.native.api == "anthropic" for b in t.native.betas}
        )
        if betas:
            params["betas"] = betas
    if request.stop_sequences:
        params["stop_sequences"] = list(request.stop_sequences)
    user_id = request.metadata.get("user_id")
    if isinstance(user_id, str):
        params["metadata"] = {"user_id": user_id}
    if request.cache and info.supports_prompt_cache:
        place_breakpoints(params)
    return params


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


async def stream_events(
    raw: AsyncIterator[dict[str, Any]], *, provider: str, model: str
) -> AsyncIterator[StreamEvent]:
    """Translate raw Messages stream events (decoded JSON) into claw events, ending with
    :class:`ResponseComplete`.

    A stream that stops before ``message_stop`` or sends an ``error`` event raises :class:`ApiError`.
    A tool call's JSON cut short (``max_tokens`` mid-call) is kept as ``{"_invalid_json": ...}`` (see
    :func:`claw_wire.builder.tool_input`); a stop reason newer than claw's list becomes ``None``.
    """
    builder = ResponseBuilder()
    usage = Usage()
    message_id, stop_reason, served_model = "", None, model
    complete: ModelResponse | None = None
    async for event in raw:
        kind = event.get("type")
        if kind == "content_block_delta":
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
        elif kind == "content_block_start":
            index, block = event["index"], event.get("content_block") or {}
            btype = block.get("type")
            if btype == "tool_use":
                yield builder.add(ToolUseStart(index=index, id=block["id"], name=block["name"]))
            elif btype == "redacted_thinking":
                builder.redacted_thinking(index, block.get("data", ""))
            elif btype == "text" and block.get("text"):
                yield builder.add(TextDelta(index=index, text=block["text"]))
        elif kind == "message_start":
            message = event.get("message") or {}
            message_id = message.get("id") or ""
            served_model = message.get("model") or model
            usage = usage_of(message.get("usage"))
        elif kind == "message_delta":
            stop_reason = (event.get("delta") or {}).get("stop_reason") or stop_reason
            usage = usage_of(event.get("usage"), usage)
        elif kind == "message_stop":
            # Read on to the end of the body rather than returning here: a response closed early
            # cannot give its connection back to the pool, and the next request pays a new connect.
            complete = builder.response(
                id=message_id,
                model=served_model,
                stop_reason=stop_reason if stop_reason in _STOP_REASONS else None,
                usage=usage,
            )
        elif kind == "ping":
            yield KeepAlive()
        elif kind == "error":
            error = event.get("error") or {}
            etype = error.get("type", "api_error")
            raise ApiError.from_status(
                STREAM_ERROR_STATUS.get(etype, 500),
                f"{provider}: error mid-stream: {etype}: {error.get('message', 'error event in stream')}",
                provider=provider,
            )
    if complete is not None:
        yield ResponseComplete(response=complete)
        return
    raise ApiError(
        f"{provider}: stream interrupted: the response ended before message_stop",
        retryable=True,
        kind="server_error",
        provider=provider,
    )


async def stream(
    client: Any,
    params: dict[str, Any],
    *,
    provider: str,
    model: str,
    error: Callable[[BaseException], Exception | None] | None = None,
) -> AsyncIterator[StreamEvent]:
    """Send ``params`` (from :func:`request_params`) to ``POST /v1/messages`` with any of the
    ``anthropic`` SDK's async clients or a :class:`claw_wire.http.HttpClient`, and stream claw events; every
    failure is an :class:`ApiError`.

    :param error: a provider's own mapping tried first (e.g. a cloud sign-in failure); ``None`` from
        it falls back to :func:`claw_wire.errors.sdk_error`.
    """
    body = {k: v for k, v in params.items() if k != "betas"}
    headers = {"anthropic-beta": ",".join(params["betas"])} if params.get("betas") else None
    events = stream_translated(
        client,
        "/v1/messages",
        {**body, "stream": True},
        lambda raw: stream_events(raw, provider=provider, model=model),
        provider=provider,
        error=error,
        headers=headers,
    )
    async for event in events:
        yield event
