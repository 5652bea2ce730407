"""``/v1/responses``: claw messages to input items, and typed stream events back to claw events.

claw keeps the whole history itself, so requests are stateless (``store: false``) and reasoning is
round-tripped as ``reasoning`` items carrying ``encrypted_content``. On the claw side such an item is a
thinking block: the summary as ``thinking``, the encrypted content as ``signature`` and the item id
as the extra field ``openai_item_id`` (which also tells the Anthropic provider not to send it).
"""

from __future__ import annotations

import json
from typing import Any

from claw import (
    ApiError,
    ImageBlock,
    ModelInfo,
    ModelRequest,
    ModelResponse,
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

from claw_provider_openai.chat import data_url
from claw_provider_openai.errors import status_of_code
from claw_provider_openai.usage import parse_arguments, usage_from

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
                        "id": block.model_extra[ITEM_ID],
                        "summary": [{"type": "summary_text", "text": block.thinking}]
                        if block.thinking
                        else [],
                        "encrypted_content": block.signature,
                    }
                )
    return items


def build_params(request: ModelRequest, info: ModelInfo) -> dict[str, Any]:
    """Keyword arguments for ``client.responses.create``."""
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
        effort = info.effort_for(request.reasoning_effort) if request.reasoning_effort else None
        if effort:
            reasoning["effort"] = effort
        params["reasoning"] = reasoning
        params["include"] = ["reasoning.encrypted_content"]
    elif request.reasoning_effort:
        # A model the catalogue does not know: pass the level through and let the server judge.
        params["reasoning"] = {"effort": request.reasoning_effort}
    if request.temperature is not None and "reasoning" not in params:
        params["temperature"] = request.temperature
    return params


class ResponsesAssembler:
    """Assembles typed response events into claw events and a :class:`ModelResponse`."""

    def __init__(self, model: str) -> None:
        self.id = ""
        self.model = model
        self.blocks: list[dict[str, Any]] = []
        self._by_item: dict[str, int] = {}
        self.final: Any = None

    def _index(self, event: Any) -> int | None:
        return self._by_item.get(getattr(event, "item_id", ""))

    def feed(self, event: Any) -> list[StreamEvent]:
        kind = event.type
        if kind in ("response.created", "response.in_progress"):
            self.id = event.response.id
            self.model = event.response.model or self.model
        elif kind == "response.output_item.added":
            return self._added(event.item)
        elif kind == "response.output_text.delta":
            i = self._index(event)
            if i is not None:
                self.blocks[i]["text"] += event.delta
                return [TextDelta(index=i, text=event.delta)]
        elif kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            i = self._index(event)
            if i is not None:
                self.blocks[i]["thinking"] += event.delta
                return [ThinkingDelta(index=i, thinking=event.delta)]
        elif kind == "response.reasoning_summary_part.added":
            i = self._index(event)
            if i is not None and self.blocks[i]["thinking"]:
                self.blocks[i]["thinking"] += "\n\n"
        elif kind == "response.function_call_arguments.delta":
            i = self._index(event)
            if i is not None:
                self.blocks[i]["args"] += event.delta
                return [ToolInputDelta(index=i, partial_json=event.delta)]
        elif kind == "response.output_item.done":
            self._done(event.item)
        elif kind in ("response.completed", "response.incomplete"):
            self.final = event.response
        elif kind == "response.failed":
            error = event.response.error
            code = getattr(error, "code", None) or "server_error"
            message = getattr(error, "message", None) or "response failed"
            raise ApiError.from_status(
                status_of_code(code),
                f"OpenAI API response failed: {code}: {message}",
                error_code=code,
                provider="openai",
            )
        elif kind == "error":
            code = event.code or "server_error"
            raise ApiError.from_status(
                status_of_code(code),
                f"OpenAI API error mid-stream: {code}: {event.message}",
                error_code=code,
                provider="openai",
            )
        return []

    def _added(self, item: Any) -> list[StreamEvent]:
        if item.type == "message":
            block: dict[str, Any] = {"type": "text", "text": ""}
        elif item.type == "reasoning":
            block = {"type": "thinking", "thinking": "", "signature": "", ITEM_ID: item.id}
        elif item.type == "function_call":
            block = {"type": "tool_use", "id": item.call_id, "name": item.name, "args": ""}
        else:
            return []
        self.blocks.append(block)
        index = self._by_item[item.id] = len(self.blocks) - 1
        if block["type"] == "tool_use":
            return [ToolUseStart(index=index, id=block["id"], name=block["name"])]
        return []

    def _done(self, item: Any) -> None:
        """The finished item is authoritative: take its text, summary, signature and arguments."""
        index = self._by_item.get(item.id)
        if index is None:
            return
        block = self.blocks[index]
        if item.type == "message":
            block["text"] = "".join(getattr(p, "text", "") or getattr(p, "refusal", "") for p in item.content)
        elif item.type == "reasoning":
            summary = "\n\n".join(s.text for s in item.summary or ())
            block["thinking"] = summary or block["thinking"]
            block["signature"] = item.encrypted_content or ""
        elif item.type == "function_call":
            block["args"] = item.arguments or block["args"]

    @property
    def complete(self) -> bool:
        return self.final is not None

    def result(self) -> ModelResponse:
        content = []
        for block in self.blocks:
            if block["type"] == "tool_use":
                block["input"] = parse_arguments(block.pop("args"))
            if block["type"] == "text" and not block["text"]:
                continue
            content.append(block)
        stop = "tool_use" if any(b["type"] == "tool_use" for b in content) else "end_turn"
        details = getattr(self.final, "incomplete_details", None)
        reason = getattr(details, "reason", None)
        if reason == "max_output_tokens":
            stop = "max_tokens"
        elif reason == "content_filter":
            stop = "refusal"
        return ModelResponse.model_validate(
            {
                "id": self.final.id or self.id,
                "model": self.final.model or self.model,
                "content": content,
                "stop_reason": stop,
                "usage": usage_from(self.final.usage),
            }
        )
