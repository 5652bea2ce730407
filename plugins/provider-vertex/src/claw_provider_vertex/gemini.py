"""Gemini on Vertex through ``google-genai``: request translation and stream assembly.

Requests: claw messages become ``contents`` (``user``/``model`` roles; tool results become
``function_response`` parts named after the call they answer), tools become function declarations
with their JSON schema as is, effort becomes ``thinking_config`` (``thinking_level`` on Gemini 3,
``thinking_budget`` on 2.5).

Thought signatures: Gemini puts an opaque ``thought_signature`` on the part after its reasoning and
needs it back on that part next turn. claw keeps it (base64) in a :class:`~claw.ThinkingBlock` right
before that part, as the extra field ``thought_signature`` rather than ``signature``: the block is
then unsigned for Claude (which drops unsigned thinking instead of rejecting a foreign signature after
a fallback), and a Claude signature is never sent to Gemini.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

from claw import (
    ApiError,
    ClawError,
    ImageBlock,
    Message,
    ModelInfo,
    ModelRequest,
    RedactedThinkingBlock,
    ResponseComplete,
    StopReason,
    StreamEvent,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
    ToolInputDelta,
    ToolResultBlock,
    ToolUseBlock,
    ToolUseStart,
    Usage,
)
from claw_wire import effort_of
from claw_wire.builder import ResponseBuilder
from claw_wire.errors import parse_retry_after, unreachable

from claw_provider_vertex import credentials

#: ``thinking_budget`` per effort for Gemini 2.5 (capped at the model's ``max_budget``).
THINKING_BUDGETS = {"low": 2_048, "medium": 8_192, "high": 24_576, "xhigh": 32_768, "max": 32_768}

_STOP: dict[str, StopReason] = {
    "MAX_TOKENS": "max_tokens",
    "SAFETY": "refusal",
    "RECITATION": "refusal",
    "BLOCKLIST": "refusal",
    "PROHIBITED_CONTENT": "refusal",
    "SPII": "refusal",
    "IMAGE_SAFETY": "refusal",
}
_call_ids = itertools.count(1)


def _image(block: ImageBlock) -> dict[str, Any]:
    return {
        "inline_data": {"mime_type": block.source.media_type, "data": base64.b64decode(block.source.data)}
    }


def _tool_output(block: ToolResultBlock) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``response`` object for a tool result, and image parts that travel beside it."""
    if isinstance(block.content, str):
        text, images = block.content, []
    else:
        text = "".join(b.text for b in block.content if isinstance(b, TextBlock))
        images = [_image(b) for b in block.content if isinstance(b, ImageBlock)]
    return ({"error": text} if block.is_error else {"output": text}), images


def contents(messages: list[Message]) -> list[dict[str, Any]]:
    """claw messages as Gemini ``contents`` (snake_case dicts the SDK validates)."""
    names: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for message in messages:
        parts: list[dict[str, Any]] = []
        signature: bytes | None = None
        for block in message.content:
            part: dict[str, Any] | None = None
            extra: list[dict[str, Any]] = []
            if isinstance(block, ThinkingBlock):
                own = (block.model_extra or {}).get("thought_signature")
                signature = base64.b64decode(own) if isinstance(own, str) and own else None
                continue
            if isinstance(block, RedactedThinkingBlock):
                continue
            if isinstance(block, TextBlock):
                part = {"text": block.text} if block.text else None
            elif isinstance(block, ImageBlock):
                part = _image(block)
            elif isinstance(block, ToolUseBlock):
                names[block.id] = block.name
                part = {"function_call": {"name": block.name, "args": block.input}}
            elif isinstance(block, ToolResultBlock):
                response, extra = _tool_output(block)
                name = names.get(block.tool_use_id, block.tool_use_id)
                part = {"function_response": {"name": name, "response": response}}
            if part is None:
                continue
            if signature is not None and message.role == "assistant":
                part["thought_signature"] = signature
                signature = None
            parts.append(part)
            parts.extend(extra)
        if parts:
            out.append({"role": "model" if message.role == "assistant" else "user", "parts": parts})
    return out


def config(request: ModelRequest, info: ModelInfo, item: dict[str, Any]) -> dict[str, Any]:
    """``GenerateContentConfig`` fields (the caller builds the SDK types)."""
    cfg: dict[str, Any] = {"max_output_tokens": request.max_tokens}
    system = "\n\n".join(b.text for b in request.system if b.text)
    if system:
        cfg["system_instruction"] = system
    if request.tools:
        cfg["tools"] = [
            {
                "function_declarations": [
                    {"name": t.name, "description": t.description, "parameters_json_schema": t.input_schema}
                    for t in request.tools
                ]
            }
        ]
    effort = effort_of(request, info)
    if effort is not None and item.get("thinking") == "level":
        cfg["thinking_config"] = {"include_thoughts": True, "thinking_level": effort.upper()}
    elif effort is not None and item.get("thinking") == "budget":
        budget = min(THINKING_BUDGETS[effort], item.get("max_budget", 24_576))
        cfg["thinking_config"] = {"include_thoughts": True, "thinking_budget": budget}
        # Gemini counts thoughts against max_output_tokens: make room so the answer keeps its share
        cfg["max_output_tokens"] = min(info.max_output_tokens, request.max_tokens + budget)
    if request.temperature is not None:
        cfg["temperature"] = request.temperature
    if request.stop_sequences:
        cfg["stop_sequences"] = list(request.stop_sequences)
    return cfg


def usage(meta: Any) -> Usage:
    """Gemini counts cached tokens inside the prompt and thoughts beside the candidates."""
    if meta is None:
        return Usage()
    prompt = meta.prompt_token_count or 0
    cached = meta.cached_content_token_count or 0
    return Usage(
        input_tokens=max(0, prompt - cached),
        cache_read_input_tokens=cached,
        output_tokens=(meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0),
    )


async def stream_events(chunks: AsyncIterator[Any], model: str) -> AsyncIterator[StreamEvent]:
    """``GenerateContentResponse`` chunks -> claw events, ending with :class:`ResponseComplete`."""
    builder = ResponseBuilder()
    index = -1
    current: str | None = None  # "text" | "thinking" | "tool" of the block at ``index``
    finish: str | None = None
    saw_tool = False
    last_usage = Usage()
    response_id = ""
    async for chunk in chunks:
        response_id = chunk.response_id or response_id
        if chunk.usage_metadata is not None:
            last_usage = usage(chunk.usage_metadata)
        for candidate in chunk.candidates or []:
            if candidate.finish_reason is not None:
                finish = getattr(candidate.finish_reason, "value", str(candidate.finish_reason))
            for part in (candidate.content.parts if candidate.content else None) or []:
                signature = part.thought_signature
                if part.thought and part.text is not None:
                    if current != "thinking":
                        index, current = index + 1, "thinking"
                    yield builder.add(ThinkingDelta(index=index, thinking=part.text))
                    if signature:
                        builder.signature(index, base64.b64encode(signature).decode())
                    continue
                if signature:  # the signature of the reasoning before this part
                    if current != "thinking":
                        index += 1
                    builder.signature(index, base64.b64encode(signature).decode())
                    current = "thinking"
                if part.function_call is not None:
                    call = part.function_call
                    index, current, saw_tool = index + 1, "tool", True
                    call_id = call.id or f"toolu_vertex_{next(_call_ids):06d}"
                    yield builder.add(ToolUseStart(index=index, id=call_id, name=call.name or ""))
                    yield builder.add(ToolInputDelta(index=index, partial_json=json.dumps(call.args or {})))
                elif part.text:
                    if current != "text":
                        index, current = index + 1, "text"
                    yield builder.add(TextDelta(index=index, text=part.text))
    if finish is None:
        raise ApiError(
            "vertex: the Gemini stream ended without a finish reason",
            retryable=True,
            kind="server_error",
            provider="vertex",
        )
    stop: StopReason = "tool_use" if saw_tool else _STOP.get(finish, "end_turn")
    response = builder.response(id=response_id, model=model, stop_reason=stop, usage=last_usage)
    response.content = [_gemini_signed(b) for b in response.content]
    yield ResponseComplete(response=response)


def _gemini_signed(block: Any) -> Any:
    """A thinking block's Gemini signature moved to ``thought_signature`` (see the module docs)."""
    if isinstance(block, ThinkingBlock) and block.signature:
        return ThinkingBlock.model_validate(
            {"thinking": block.thinking, "thought_signature": block.signature}
        )
    return block


def google_auth_error(exc: BaseException) -> ApiError | None:
    """google-auth failures (no ADC, a refresh the server refused) as one authentication error."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"RefreshError", "DefaultCredentialsError"}:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ApiError(
            f"vertex: Google credentials failed ({first}); {credentials.HINT}",
            kind="authentication_failed",
            provider="vertex",
        )
    return None


def api_error(exc: BaseException) -> ClawError:
    """``google.genai.errors.APIError`` (``code``, ``status``, ``message``) and transport errors."""
    if isinstance(exc, ClawError):
        return exc
    code = getattr(exc, "code", None)
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "APIError" in names and isinstance(code, int):
        status = getattr(exc, "status", None) or ""
        message = getattr(exc, "message", None) or str(exc)
        headers = getattr(getattr(exc, "response", None), "headers", None)
        return ApiError.from_status(
            code,
            f"vertex: {code} {status}: {message}".replace("  ", " "),
            retry_after=parse_retry_after(headers) if headers is not None else None,
            provider="vertex",
        )
    auth = google_auth_error(exc)
    if auth is not None:
        return auth
    if names & {"UnknownApiResponseError", "JSONDecodeError"}:
        # google-genai's "Failed to parse response as JSON": a damaged event, retried like a cut stream
        first = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        return ApiError(
            f"vertex: stream interrupted: an event that is not JSON ({first})",
            retryable=True,
            kind="server_error",
            provider="vertex",
        )
    if names & {
        "TransportError",
        "TimeoutException",
        "NetworkError",
        "RemoteProtocolError",
        "ProtocolError",
    } or isinstance(exc, ConnectionError | TimeoutError):
        down = unreachable(exc, "vertex")
        if down is not None:
            return down
        return ApiError(
            f"vertex: connection failed: {exc}", retryable=True, kind="server_error", provider="vertex"
        )
    return ApiError(f"vertex: {type(exc).__name__}: {exc}", provider="vertex")
