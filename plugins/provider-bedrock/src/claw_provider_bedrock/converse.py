"""Translation between claw's messages and Bedrock's Converse API, both directions, without boto3.

Request: :func:`converse_params` builds the ``converse_stream`` keyword arguments. Response:
:class:`StreamTranslator` turns each ConverseStream event dict into claw stream events and assembles
the final response. Converse shapes: botocore ``data/bedrock-runtime/2023-09-30/service-2.json``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from claw import (
    ApiError,
    ImageBlock,
    Message,
    ModelInfo,
    ModelRequest,
    ModelResponse,
    RedactedThinkingBlock,
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
from claw_wire.anthropic import ThinkingStyle, effort_of, thinking_params
from claw_wire.builder import ResponseBuilder

_CACHE_POINT = {"cachePoint": {"type": "default"}}
_IMAGE_FORMATS = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
}

#: Converse stop reasons claw has no name for.
_STOP_REASONS: dict[str, StopReason] = {
    "guardrail_intervened": "refusal",
    "content_filtered": "refusal",
}


def _image(block: ImageBlock) -> dict[str, Any]:
    fmt = _IMAGE_FORMATS.get(block.source.media_type)
    if fmt is None:
        raise ApiError(
            f"bedrock: unsupported image type {block.source.media_type} (png, jpeg, gif and webp only)",
            kind="invalid_request",
            provider="bedrock",
        )
    return {"image": {"format": fmt, "source": {"bytes": base64.b64decode(block.source.data)}}}


def _content(message: Message) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in message.content:
        if isinstance(block, TextBlock):
            if block.text:  # Converse rejects blank text blocks
                out.append({"text": block.text})
        elif isinstance(block, ImageBlock):
            out.append(_image(block))
        elif isinstance(block, ToolUseBlock):
            out.append({"toolUse": {"toolUseId": block.id, "name": block.name, "input": block.input}})
        elif isinstance(block, ToolResultBlock):
            if isinstance(block.content, str):
                parts: list[dict[str, Any]] = [{"text": block.content or "(no output)"}]
            else:
                parts = [{"text": b.text} if isinstance(b, TextBlock) else _image(b) for b in block.content]
            out.append(
                {
                    "toolResult": {
                        "toolUseId": block.tool_use_id,
                        "content": parts or [{"text": "(no output)"}],
                        "status": "error" if block.is_error else "success",
                    }
                }
            )
        elif isinstance(block, ThinkingBlock) and block.signature:
            # unsigned reasoning (another provider's, or a model that signs nothing) is not sent back
            text = {"text": block.thinking, "signature": block.signature}
            out.append({"reasoningContent": {"reasoningText": text}})
        elif isinstance(block, RedactedThinkingBlock):
            out.append({"reasoningContent": {"redactedContent": base64.b64decode(block.data)}})
    return out


def _past_tools(request: ModelRequest) -> list[tuple[str, str, dict[str, Any]]]:
    """Stand-in specs for tools the history used when the request offers none: Converse rejects
    ``toolUse``/``toolResult`` blocks without a ``toolConfig`` (a session resumed with ``--tools ""``)."""
    names = dict.fromkeys(b.name for m in request.messages for b in m.content if isinstance(b, ToolUseBlock))
    return [(name, "No longer available in this session.", {"type": "object"}) for name in names]


def converse_params(
    request: ModelRequest, *, model_id: str, info: ModelInfo, thinking: ThinkingStyle
) -> dict[str, Any]:
    """Keyword arguments for ``client.converse_stream``.

    :param model_id: the Bedrock model id or inference profile.
    :param info: the model's capabilities: ``cachePoint`` blocks go after the system prompt, the
        tool list and the last message when it supports caching and the request asks for it.
    :param thinking: the model's Anthropic thinking style; sent through
        ``additionalModelRequestFields`` when ``request.reasoning_effort`` is set.
    """
    cache = info.supports_prompt_cache and request.cache
    params: dict[str, Any] = {
        "modelId": model_id,
        "messages": [{"role": m.role, "content": _content(m)} for m in request.messages],
    }
    system = [{"text": b.text} for b in request.system if b.text]
    if system:
        params["system"] = [*system, _CACHE_POINT] if cache else system
    if cache and params["messages"] and params["messages"][-1]["content"]:
        params["messages"][-1]["content"].append(_CACHE_POINT)
    specs = [(t.name, t.description, t.input_schema) for t in request.tools] or _past_tools(request)
    if specs:
        tools: list[dict[str, Any]] = [
            {"toolSpec": {"name": name, "description": text, "inputSchema": {"json": schema}}}
            for name, text, schema in specs
        ]
        params["toolConfig"] = {"tools": [*tools, _CACHE_POINT] if cache and request.tools else tools}
    extra = thinking_params(effort_of(request, info), thinking, request.max_tokens)
    inference: dict[str, Any] = {"maxTokens": request.max_tokens}
    if request.temperature is not None and not extra:
        inference["temperature"] = request.temperature
    if request.stop_sequences:
        inference["stopSequences"] = list(request.stop_sequences)
    params["inferenceConfig"] = inference
    if extra:
        params["additionalModelRequestFields"] = extra
    return params


class StreamTranslator:
    """Feeds ConverseStream events in, gets claw events out; :meth:`response` at the end."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.builder = ResponseBuilder()
        self.stop_reason: StopReason | None = None
        self.usage: Usage | None = None
        self.stopped = False

    def feed(self, event: dict[str, Any]) -> Iterator[StreamEvent]:
        if "contentBlockStart" in event:
            body = event["contentBlockStart"]
            tool = (body.get("start") or {}).get("toolUse")
            if tool:
                yield self.builder.add(
                    ToolUseStart(index=body["contentBlockIndex"], id=tool["toolUseId"], name=tool["name"])
                )
        elif "contentBlockDelta" in event:
            body = event["contentBlockDelta"]
            index, delta = body["contentBlockIndex"], body.get("delta") or {}
            if "text" in delta:
                yield self.builder.add(TextDelta(index=index, text=delta["text"]))
            elif "toolUse" in delta:
                yield self.builder.add(
                    ToolInputDelta(index=index, partial_json=delta["toolUse"].get("input", ""))
                )
            elif "reasoningContent" in delta:
                reasoning = delta["reasoningContent"]
                if "text" in reasoning:
                    yield self.builder.add(ThinkingDelta(index=index, thinking=reasoning["text"]))
                if "signature" in reasoning:
                    self.builder.signature(index, reasoning["signature"])
                if "redactedContent" in reasoning:
                    self.builder.redacted_thinking(
                        index, base64.b64encode(reasoning["redactedContent"]).decode()
                    )
        elif "messageStop" in event:
            reason = event["messageStop"].get("stopReason") or "end_turn"
            self.stop_reason = _STOP_REASONS.get(reason, reason)  # type: ignore[assignment]
            self.stopped = True
        elif "metadata" in event:
            u = event["metadata"].get("usage") or {}
            self.usage = Usage(
                input_tokens=u.get("inputTokens", 0),
                output_tokens=u.get("outputTokens", 0),
                cache_read_input_tokens=u.get("cacheReadInputTokens", 0),
                cache_creation_input_tokens=u.get("cacheWriteInputTokens", 0),
            )

    def response(self, request_id: str = "") -> ModelResponse:
        """The assembled response; a stream cut before ``messageStop`` is a retryable error."""
        if not self.stopped:
            raise ApiError(
                "bedrock: the response stream ended before messageStop",
                retryable=True,
                kind="server_error",
                provider="bedrock",
            )
        return self.builder.response(
            id=request_id, model=self.model, stop_reason=self.stop_reason, usage=self.usage or Usage()
        )
