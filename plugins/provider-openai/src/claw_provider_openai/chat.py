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
    """The request body for ``/v1/chat/completions``.

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
    # The kernel has already mapped --reasoning-effort to a level this model lists.
    if request.reasoning_effort:
        params["reasoning_effort"] = request.reasoning_effort
    elif request.temperature is not None and not info.supports_thinking:
        # Reasoning models reject a temperature.
        params["temperature"] = request.temperature
    if request.stop_sequences:
        params["stop"] = list(request.stop_sequences)
    params.update(cache_key(request, compatible=compatible))
    return params


def cache_key(request: ModelRequest, *, compatible: bool) -> dict[str, Any]:
    """``prompt_cache_key``: OpenAI routes requests with the same key to the same cache, so one session's
    turns keep hitting it. Not sent to compatible servers, some of which reject unknown fields."""
    session = request.metadata.get("session_id")
    if compatible or not isinstance(session, str) or not session:
        return {}
    return {"prompt_cache_key": f"claw-{session}"}


class ChatAssembler:
    """Assembles ``chat.completion.chunk`` objects (decoded JSON) into claw events and a
    :class:`ModelResponse`."""

    def __init__(self, model: str) -> None:
        self.id = ""
        self.model = model
        self.blocks: list[dict[str, Any]] = []
        self._text: int | None = None
        self._thinking: int | None = None
        self._calls: dict[int, int] = {}  # tool call index -> block index
        self.finish: str | None = None
        self.usage: dict[str, Any] | None = None

    def _open(self, block: dict[str, Any]) -> int:
        self.blocks.append(block)
        return len(self.blocks) - 1

    def feed(self, chunk: dict[str, Any]) -> list[StreamEvent]:
        self.id = chunk.get("id") or self.id
        self.model = chunk.get("model") or self.model
        if chunk.get("usage"):
            self.usage = chunk["usage"]
        events: list[StreamEvent] = []
        for choice in (chunk.get("choices") or [])[:1]:
            delta = choice.get("delta") or {}
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                if self._thinking is None:
                    self._thinking = self._open({"type": "thinking", "thinking": "", "signature": ""})
                self.blocks[self._thinking]["thinking"] += reasoning
                events.append(ThinkingDelta(index=self._thinking, thinking=reasoning))
            content = delta.get("content")
            if isinstance(content, str) and content:
                if self._text is None:
                    self._text = self._open({"type": "text", "text": ""})
                self.blocks[self._text]["text"] += content
                events.append(TextDelta(index=self._text, text=content))
            for call in delta.get("tool_calls") or ():
                fn = call.get("function") or {}
                index = self._calls.get(call.get("index", 0))
                if index is None:
                    block = {
                        "type": "tool_use",
                        "id": call.get("id") or "",
                        "name": fn.get("name") or "",
                        "args": "",
                    }
                    index = self._calls[call.get("index", 0)] = self._open(block)
                    events.append(ToolUseStart(index=index, id=block["id"], name=block["name"]))
                if fn.get("arguments"):
                    self.blocks[index]["args"] += fn["arguments"]
                    events.append(ToolInputDelta(index=index, partial_json=fn["arguments"]))
            if choice.get("finish_reason"):
                self.finish = choice["finish_reason"]
        return events

    @property
    def complete(self) -> bool:
        return self.finish is not None

    def result(self) -> ModelResponse:
        content = []
        for block in self.blocks:
            if block["type"] == "tool_use":
                block["input"] = parse_arguments(block.pop("args"))
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
