"""``/v1/chat/completions``: claw messages to chat messages, and streamed chunks back to claw events.

Chat completions have no place for tool results inside a user message: each ``tool_result`` becomes a
``role: tool`` message right after the assistant message that called it, and images a tool returned
follow in a user message (tool messages carry text only). Thinking is not sent back: the API has no
input for it. Servers that stream reasoning (vLLM, llama.cpp, DeepSeek) put it in
``delta.reasoning_content`` or ``delta.reasoning``; it becomes a thinking block.
"""

from __future__ import annotations

import json
from typing import Any

from claw import (
    ImageBlock,
    Message,
    ModelInfo,
    ModelRequest,
    ModelResponse,
    StreamEvent,
    TextBlock,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolResultBlock,
    ToolUseBlock,
    ToolUseStart,
)

from claw_provider_openai.usage import parse_arguments, usage_from

FINISH_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}


def data_url(block: ImageBlock) -> str:
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
    return text, images


def chat_messages(request: ModelRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    system = "\n\n".join(b.text for b in request.system if b.text)
    if system:
        out.append({"role": "system", "content": system})
    for message in request.messages:
        out += _message(message)
    return out


def _message(message: Message) -> list[dict[str, Any]]:
    if message.role == "assistant":
        text = "".join(b.text for b in message.content if isinstance(b, TextBlock))
        msg: dict[str, Any] = {"role": "assistant", "content": text or None}
        calls = [b for b in message.content if isinstance(b, ToolUseBlock)]
        if calls:
            msg["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.input)},
                }
                for c in calls
            ]
        return [msg] if text or calls else []
    out: list[dict[str, Any]] = []
    pending: list[TextBlock | ImageBlock] = []
    for block in message.content:
        if isinstance(block, ToolResultBlock):
            text, images = _tool_text(block)
            out.append({"role": "tool", "tool_call_id": block.tool_use_id, "content": text})
            if images:
                pending += [TextBlock(text=f"Images returned by tool call {block.tool_use_id}:"), *images]
        elif isinstance(block, TextBlock | ImageBlock):
            pending.append(block)
    if pending:
        out.append({"role": "user", "content": _user_content(pending)})
    return out


def build_params(request: ModelRequest, info: ModelInfo, *, compatible: bool) -> dict[str, Any]:
    """Keyword arguments for ``client.chat.completions.create``.

    :param compatible: talking to an OpenAI-compatible server rather than OpenAI: ``max_tokens``
        instead of ``max_completion_tokens``, which llama.cpp and older vLLM do not know.
    """
    max_tokens = min(request.max_tokens, info.max_output_tokens)
    params: dict[str, Any] = {
        "model": request.model,
        "messages": chat_messages(request),
        "stream": True,
        "stream_options": {"include_usage": True},
        ("max_tokens" if compatible else "max_completion_tokens"): max_tokens,
    }
    if request.tools:
        params["tools"] = [
            {
                "type": "function",
                "function": {"name": t.name, "description": t.description, "parameters": t.input_schema},
            }
            for t in request.tools
        ]
    effort = info.effort_for(request.reasoning_effort) if request.reasoning_effort else None
    if effort:
        params["reasoning_effort"] = effort
    elif request.temperature is not None:
        params["temperature"] = request.temperature
    if request.stop_sequences:
        params["stop"] = list(request.stop_sequences)
    return params


class ChatAssembler:
    """Assembles ``chat.completion.chunk`` objects into claw events and a :class:`ModelResponse`."""

    def __init__(self, model: str) -> None:
        self.id = ""
        self.model = model
        self.blocks: list[dict[str, Any]] = []
        self._text: int | None = None
        self._thinking: int | None = None
        self._calls: dict[int, int] = {}  # tool call index -> block index
        self.finish: str | None = None
        self.usage: Any = None

    def _open(self, block: dict[str, Any]) -> int:
        self.blocks.append(block)
        return len(self.blocks) - 1

    def feed(self, chunk: Any) -> list[StreamEvent]:
        self.id = chunk.id or self.id
        self.model = chunk.model or self.model
        if chunk.usage is not None:
            self.usage = chunk.usage
        events: list[StreamEvent] = []
        for choice in chunk.choices[:1]:
            delta = choice.delta
            extra = delta.model_extra or {}
            reasoning = extra.get("reasoning_content") or extra.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                if self._thinking is None:
                    self._thinking = self._open({"type": "thinking", "thinking": "", "signature": ""})
                self.blocks[self._thinking]["thinking"] += reasoning
                events.append(ThinkingDelta(index=self._thinking, thinking=reasoning))
            if delta.content:
                if self._text is None:
                    self._text = self._open({"type": "text", "text": ""})
                self.blocks[self._text]["text"] += delta.content
                events.append(TextDelta(index=self._text, text=delta.content))
            for call in delta.tool_calls or ():
                index = self._calls.get(call.index)
                fn = call.function
                if index is None:
                    block = {
                        "type": "tool_use",
                        "id": call.id or "",
                        "name": (fn and fn.name) or "",
                        "args": "",
                    }
                    index = self._calls[call.index] = self._open(block)
                    events.append(ToolUseStart(index=index, id=block["id"], name=block["name"]))
                if fn is not None and fn.arguments:
                    self.blocks[index]["args"] += fn.arguments
                    events.append(ToolInputDelta(index=index, partial_json=fn.arguments))
            if choice.finish_reason:
                self.finish = choice.finish_reason
        return events

    @property
    def complete(self) -> bool:
        return self.finish is not None

    def result(self) -> ModelResponse:
        content = []
        for block in self.blocks:
            if block["type"] == "tool_use":
                args = block.pop("args")
                block["input"] = parse_arguments(args)
            content.append(block)
        stop = FINISH_REASONS.get(self.finish or "", "end_turn")
        if any(b["type"] == "tool_use" for b in content) and stop == "end_turn":
            stop = "tool_use"  # some compatible servers say "stop" after tool calls
        return ModelResponse.model_validate(
            {
                "id": self.id,
                "model": self.model,
                "content": content,
                "stop_reason": stop,
                "usage": usage_from(self.usage),
            }
        )
