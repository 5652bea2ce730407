"""Translate a :class:`claw.ModelRequest` into Messages API parameters.

claw's messages already have Anthropic's shape, so this mostly copies the fields API version
2026-10-21 accepts (dropping extras other providers attach, and citations, which it rejects in
requests), adds tools, thinking and effort, and places cache breakpoints.
"""

from __future__ import annotations

from typing import Any

from claw import Effort, Message, ModelInfo, ModelRequest

from claw_provider_anthropic import catalogue
from claw_provider_anthropic.caching import place_breakpoints

#: Fields the API accepts per block type; anything else a block carries (extras other providers add) is dropped.
_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("type", "text"),
    "image": ("type", "source"),
    "tool_use": ("type", "id", "name", "input"),
    "tool_result": ("type", "tool_use_id", "content", "is_error"),
    "thinking": ("type", "thinking", "signature"),
    "redacted_thinking": ("type", "data"),
}

#: Set by other providers on thinking they produced; Anthropic cannot verify it, so it is not sent.
FOREIGN_THINKING_MARK = "openai_item_id"


def _block(block: dict[str, Any]) -> dict[str, Any] | None:
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


def messages(msgs: list[Message]) -> list[dict[str, Any]]:
    out = []
    for m in msgs:
        content = [c for c in (_block(b.model_dump()) for b in m.content) if c is not None]
        if content:
            out.append({"role": m.role, "content": content})
    return out


def thinking_params(info: ModelInfo, effort: Effort | None, max_tokens: int) -> tuple[dict[str, Any], int]:
    """The ``thinking`` / ``output_config`` parameters for ``effort`` on this model, and the
    ``max_tokens`` to send (raised when a thinking budget needs room).

    The kernel has already mapped ``--reasoning-effort`` to a level the model lists
    (``claw.routing.map_effort``); this only chooses how to say it.
    """
    mode = catalogue.thinking_mode(info.id)
    if effort is None or mode is None:
        return {}, max_tokens
    level = effort
    if mode in ("always", "adaptive"):
        return {"thinking": {"type": "adaptive"}, "output_config": {"effort": level}}, max_tokens
    budget = min(catalogue.budget_tokens(level), info.max_output_tokens - 1024)
    budget = max(1024, budget)
    if max_tokens <= budget:
        max_tokens = min(info.max_output_tokens, budget + max_tokens)
    return {"thinking": {"type": "enabled", "budget_tokens": budget}}, max_tokens


def build_params(request: ModelRequest, info: ModelInfo) -> dict[str, Any]:
    """Keyword arguments for ``client.messages.create(stream=True, **params)``."""
    max_tokens = min(request.max_tokens, info.max_output_tokens)
    thinking, max_tokens = thinking_params(info, request.reasoning_effort, max_tokens)
    params: dict[str, Any] = {
        "model": request.model,
        "max_tokens": max_tokens,
        "messages": messages(request.messages),
        **thinking,
    }
    if request.system:
        params["system"] = [{"type": "text", "text": b.text} for b in request.system if b.text]
    if request.tools:
        params["tools"] = [
            {"name": t.name, "description": t.description, "input_schema": t.input_schema}
            for t in request.tools
        ]
    if request.stop_sequences:
        params["stop_sequences"] = list(request.stop_sequences)
    # ``request.temperature`` is not sent: API version 2026-10-21 (anthropic 2.x) rejects temperature,
    # top_p and top_k on every model, and the SDK no longer has the parameters.
    user_id = request.metadata.get("user_id")
    if isinstance(user_id, str):
        params["metadata"] = {"user_id": user_id}
    if request.cache and info.supports_prompt_cache:
        place_breakpoints(params)
    return params
