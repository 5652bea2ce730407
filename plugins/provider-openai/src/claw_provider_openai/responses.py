"""``/v1/responses``: claw messages to input items, and typed stream events back to claw events.

claw keeps the whole history itself, so requests are stateless (``store: false``) and reasoning is
round-tripped as ``reasoning`` items carrying ``encrypted_content``. On the claw side such an item is a
thinking block: the summary as ``thinking``, the encrypted content as ``signature`` and the item id
as the extra field ``openai_item_id`` (which also tells the Anthropic provider not to send it).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from claw import (
    ApiError,
    ImageBlock,
    KeepAlive,
    ModelInfo,
    ModelRequest,
    ModelResponse,
    ResponseComplete,
    StreamEvent,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
    ToolInputDelta,
    ToolResultBlock,
    ToolUseBlock,
    ToolUseStart,
)
from claw_wire import effort_of, stream_translated
from claw_wire.builder import tool_input
from claw_wire.errors import status_of_code
from claw_wire.openai_chat import data_url, prompt_cache_key, usage_of

ITEM_ID = "openai_item_id"


def _user_part(block: TextBlock | ImageBlock) -> dict[str, Any]:
    if isinstance(block, TextBlock):
        return {"type": "input_text", "text": block.text}
    return {"type": "input_image", "image_url": data_url(block)}


def _tool_output(block: ToolResultBlock) -> str | list[dict[str, Any]]:
    prefix = "Error: " if block.is_error else ""
    if isinstance(block.content, str):
        return prefix + block.content
    if not any(isinstance(b, ImageBlock) for b in block.content):
        return prefix + "\n".join(b.text for b in block.content if isinstance(b, TextBlock))
    parts = [_user_part(b) for b in block.content]
    return [{"type": "input_text", "text": prefix}, *parts] if prefix else parts


def input_items(request: ModelRequest) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for message in request.messages:
        if message.role == "user":
            parts: list[dict[str, Any]] = []
            for block in message.content:
                if isinstance(block, ToolResultBlock):
                    items.append(
                        {
                            "type": "function_call_output",
                            "call_id": block.tool_use_id,
                            "output": _tool_output(block),
                        }
                    )
                elif isinstance(block, TextBlock | ImageBlock):
                    parts.append(_user_part(block))
            if parts:
                items.append({"role": "user", "content": parts})
            continue
        for block in message.content:
            if isinstance(block, TextBlock) and block.text:
                items.append({"role": "assistant", "content": block.text})
            elif isinstance(block, ToolUseBlock):
                items.append(
                    {
                        "type": "function_call",
                        "call_id": block.id,
                        "name": block.name,
                        "arguments": json.dumps(block.input),
                    }
                )
            elif (
                isinstance(block, ThinkingBlock)
                and (block.model_extra or {}).get(ITEM_ID)
                and block.signature
            ):
                items.append(
                    {
                        "type": "reasoning",
                        "id": (block.model_extra or {})[ITEM_ID],
                        "summary": [{"type": "summary_text", "text": block.thinking}]
                        if block.thinking
                        else [],
                        "encrypted_content": block.signature,
                    }
                )
    return items


def build_params(request: ModelRequest, info: ModelInfo, *, compatible: bool) -> dict[str, Any]:
    """The request body for ``/v1/responses``.

    :param compatible: talking to an OpenAI-compatible server rather than OpenAI.
    """
    params: dict[str, Any] = {
        "model": request.model,
        "input": input_items(request),
        "stream": True,
        "store": False,
        "max_output_tokens": min(request.max_tokens, info.max_output_tokens),
    }
    instructions = "\n\n".join(b.text for b in request.system if b.text)
    if instructions:
        params["instructions"] = instructions
    if request.tools:
        params["tools"] = [
            {
                "type": "function",
                "name": t.name,
                "description": t.description,
                "parameters": t.input_schema,
                "strict": False,
            }
            for t in request.tools
        ]
    if info.supports_thinking:
        reasoning: dict[str, Any] = {"summary": "auto"}
        effort = effort_of(request, info)
        if effort:
            reasoning["effort"] = effort
        params["reasoning"] = reasoning
        params["include"] = ["reasoning.encrypted_content"]
    elif request.reasoning_effort:
        # A model the catalogue does not know: pass the level through and let the server judge.
        params["reasoning"] = {"effort": request.reasoning_effort}
    if request.temperature is not None and "reasoning" not in params:
        params["temperature"] = request.temperature
    if not compatible:  # some compatible servers reject unknown fields
        params.update(prompt_cache_key(request))
    return params


def _stream_error(what: str, code: str, message: Any) -> ApiError:
    """A failure the stream reports (``response.failed`` or ``error``), retryable as its code's status is."""
    return ApiError.from_status(
        status_of_code(code), f"openai: {what}: {code}: {message}", error_code=code, provider="openai"
    )


class ResponsesAssembler:
    """Assembles response stream events (decoded JSON) into claw events and a :class:`ModelResponse`."""

    def __init__(self, model: str) -> None:
        self.id = ""
        self.model = model
        self.blocks: list[dict[str, Any]] = []
        self._by_item: dict[str, int] = {}
        self.final: dict[str, Any] | None = None

    def _index(self, event: dict[str, Any]) -> int | None:
        return self._by_item.get(event.get("item_id") or "")

    def feed(self, event: dict[str, Any]) -> list[StreamEvent]:
        kind = event.get("type")
        if kind == "ping":  # claw_wire.http.PING: an SSE comment line
            return [KeepAlive()]
        if kind in ("response.created", "response.in_progress"):
            response = event.get("response") or {}
            self.id = response.get("id") or self.id
            self.model = response.get("model") or self.model
        elif kind == "response.output_item.added":
            return self._added(event.get("item") or {})
        elif kind == "response.output_text.delta":
            i = self._index(event)
            if i is not None:
                self.blocks[i]["text"] += event["delta"]
                return [TextDelta(index=i, text=event["delta"])]
        elif kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            i = self._index(event)
            if i is not None:
                self.blocks[i]["thinking"] += event["delta"]
                return [ThinkingDelta(index=i, thinking=event["delta"])]
        elif kind == "response.reasoning_summary_part.added":
            i = self._index(event)
            if i is not None and self.blocks[i]["thinking"]:
                self.blocks[i]["thinking"] += "\n\n"
        elif kind == "response.function_call_arguments.delta":
            i = self._index(event)
            if i is not None:
                self.blocks[i]["args"] += event["delta"]
                return [ToolInputDelta(index=i, partial_json=event["delta"])]
        elif kind == "response.output_item.done":
            self._done(event.get("item") or {})
        elif kind in ("response.completed", "response.incomplete"):
            self.final = event.get("response") or {}
        elif kind == "response.failed":
            error = (event.get("response") or {}).get("error") or {}
            code = error.get("code") or "server_error"
            raise _stream_error("response failed", code, error.get("message") or "response failed")
        elif kind == "error":
            raise _stream_error("error mid-stream", event.get("code") or "server_error", event.get("message"))
        return []

    def _added(self, item: dict[str, Any]) -> list[StreamEvent]:
        kind = item.get("type")
        if kind == "message":
            block: dict[str, Any] = {"type": "text", "text": ""}
        elif kind == "reasoning":
            block = {"type": "thinking", "thinking": "", "signature": "", ITEM_ID: item.get("id", "")}
        elif kind == "function_call":
            block = {
                "type": "tool_use",
                "id": item.get("call_id", ""),
                "name": item.get("name", ""),
                "args": "",
            }
        else:
            return []
        self.blocks.append(block)
        index = self._by_item[item.get("id", "")] = len(self.blocks) - 1
        if block["type"] == "tool_use":
            return [ToolUseStart(index=index, id=block["id"], name=block["name"])]
        return []

    def _done(self, item: dict[str, Any]) -> None:
        """The finished item is authoritative: take its text, summary, signature and arguments."""
        index = self._by_item.get(item.get("id", ""))
        if index is None:
            return
        block = self.blocks[index]
        kind = item.get("type")
        if kind == "message":
            block["text"] = "".join(
                p.get("text") or p.get("refusal") or "" for p in item.get("content") or ()
            )
        elif kind == "reasoning":
            summary = "\n\n".join(s.get("text", "") for s in item.get("summary") or ())
            block["thinking"] = summary or block["thinking"]
            block["signature"] = item.get("encrypted_content") or ""
        elif kind == "function_call":
            block["args"] = item.get("arguments") or block["args"]

    @property
    def complete(self) -> bool:
        return self.final is not None

    def result(self) -> ModelResponse:
        final = self.final or {}
        content = []
        for block in self.blocks:
            if block["type"] == "tool_use":
                block["input"] = tool_input(block.pop("args"))
            if block["type"] == "text" and not block["text"]:
                continue
            content.append(block)
        stop = "tool_use" if any(b["type"] == "tool_use" for b in content) else "end_turn"
        reason = (final.get("incomplete_details") or {}).get("reason")
        if reason == "max_output_tokens":
            stop = "max_tokens"
        elif reason == "content_filter":
            stop = "refusal"
        return ModelResponse.model_validate(
            {
                "id": final.get("id") or self.id,
                "model": final.get("model") or self.model,
                "content": content,
                "stop_reason": stop,
                "usage": usage_of(final.get("usage")),
            }
        )


async def stream(
    client: Any, request: ModelRequest, info: ModelInfo, *, compatible: bool
) -> AsyncIterator[StreamEvent]:
    """Send ``request`` to ``POST /responses`` and stream claw events; every failure is an
    :class:`ApiError` (mapped by :func:`claw_wire.errors.sdk_error`)."""
    assembler = ResponsesAssembler(request.model)

    async def translate(raw: AsyncIterator[Any]) -> AsyncIterator[StreamEvent]:
        async for event in raw:
            for out in assembler.feed(event):
                yield out
        if not assembler.complete:
            raise ApiError.from_status(
                None,
                "openai: stream interrupted: the response ended before it was complete",
                provider="openai",
            )
        yield ResponseComplete(response=assembler.result())

    body = build_params(request, info, compatible=compatible)
    async for event in stream_translated(client, "/responses", body, translate, provider="openai"):
        yield event
