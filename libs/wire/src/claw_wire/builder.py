"""Assemble a complete :class:`~claw.ModelResponse` from the stream events a provider yields.

Every provider streams deltas and must end with one :class:`~claw.ResponseComplete`; the
builder records each event as it passes through, so the final content is exactly what was streamed.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from claw import (
    ContentBlock,
    ModelResponse,
    RedactedThinkingBlock,
    StopReason,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseBlock,
    ToolUseStart,
    Usage,
)

E = TypeVar("E", TextDelta, ThinkingDelta, ToolUseStart, ToolInputDelta)


def tool_input(raw: str) -> dict[str, Any]:
    """A tool call's streamed arguments as a dict. JSON cut short (``max_tokens`` mid-call) or not an
    object is kept as ``{"_invalid_json": raw}``, so the tool reports it to the model rather than the
    request being retried into the same cut (the Anthropic provider does the same)."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"_invalid_json": raw}
    return value if isinstance(value, dict) else {"_invalid_json": raw}


class ResponseBuilder:
    """Collects content blocks by stream index."""

    def __init__(self) -> None:
        self._blocks: dict[int, dict[str, Any]] = {}

    def add(self, event: E) -> E:
        """Record ``event`` and return it, so providers can ``yield builder.add(...)``."""
        if isinstance(event, ToolUseStart):
            self._blocks[event.index] = {"type": "tool_use", "id": event.id, "name": event.name, "json": ""}
        elif isinstance(event, ToolInputDelta):
            self._block(event.index, "tool_use")["json"] += event.partial_json
        elif isinstance(event, TextDelta):
            self._block(event.index, "text")["text"] += event.text
        else:
            self._block(event.index, "thinking")["thinking"] += event.thinking
        return event

    def signature(self, index: int, signature: str) -> None:
        """The signature of the thinking block at ``index`` (sent back unchanged next turn)."""
        self._block(index, "thinking")["signature"] += signature

    def redacted_thinking(self, index: int, data: str) -> None:
        self._blocks[index] = {"type": "redacted_thinking", "data": data}

    def _block(self, index: int, kind: str) -> dict[str, Any]:
        block = self._blocks.get(index)
        if block is None:
            block = self._blocks[index] = {
                "text": {"type": "text", "text": ""},
                "thinking": {"type": "thinking", "thinking": "", "signature": ""},
                "tool_use": {"type": "tool_use", "id": "", "name": "", "json": ""},
            }[kind]
        return block

    def content(self) -> list[ContentBlock]:
        blocks: list[ContentBlock] = []
        for index in sorted(self._blocks):
            b = self._blocks[index]
            if b["type"] == "text":
                blocks.append(TextBlock(text=b["text"]))
            elif b["type"] == "thinking":
                blocks.append(ThinkingBlock(thinking=b["thinking"], signature=b["signature"]))
            elif b["type"] == "redacted_thinking":
                blocks.append(RedactedThinkingBlock(data=b["data"]))
            else:
                blocks.append(ToolUseBlock(id=b["id"], name=b["name"], input=tool_input(b["json"])))
        return blocks

    def response(
        self, *, model: str, stop_reason: StopReason | None, usage: Usage, id: str = ""
    ) -> ModelResponse:
        return ModelResponse(id=id, model=model, content=self.content(), stop_reason=stop_reason, usage=usage)
