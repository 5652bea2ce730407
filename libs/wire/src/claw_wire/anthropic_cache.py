"""Prompt-cache breakpoints: where ``cache_control`` goes in an Anthropic Messages request.

The API caches the prefix up to each block marked ``cache_control`` (order: tools, system, messages)
and accepts at most four such marks. An agent session re-sends the same prefix every turn and adds a
little at the end, so the marks that pay are, in order of value:

1. the last tool definition (tools change only when MCP servers come and go),
2. the last system block (the system prompt is fixed for a session),
3. the last block of the newest message (this turn's prefix, read back next turn),
4. the last block of the previous user message (still cached from the turn before, so this turn
   reads it even when the newest message is too short to be written).

Thinking blocks cannot carry ``cache_control``, so a message's mark goes on its last other block.
Marks already in the request count against the limit and are left alone.
"""

from __future__ import annotations

from typing import Any

MAX_BREAKPOINTS = 4
EPHEMERAL = {"type": "ephemeral"}
_UNMARKABLE = frozenset({"thinking", "redacted_thinking"})


def _markable(blocks: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int] | None:
    """Where the mark for ``blocks`` goes: the list and the index of its last block that can carry one."""
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block.get("type") not in _UNMARKABLE and not (
            block.get("type") == "text" and not block.get("text")
        ):
            return blocks, i
    return None


def count_breakpoints(params: dict[str, Any]) -> int:
    blocks = [*params.get("tools", ()), *params.get("system", ())]
    for message in params.get("messages", ()):
        if isinstance(message.get("content"), list):
            blocks += message["content"]
    return sum(1 for b in blocks if isinstance(b, dict) and "cache_control" in b)


def place_breakpoints(params: dict[str, Any]) -> int:
    """Mark up to ``MAX_BREAKPOINTS`` cache breakpoints in ``params``; returns how many were added.

    A marked block is replaced by a marked copy in its list rather than changed: the blocks may be
    shared with other requests (:func:`claw_wire.anthropic.messages` reuses the blocks of messages it
    has converted before), and a mark left behind would move this turn's breakpoint into the next."""
    candidates: list[tuple[list[dict[str, Any]], int] | None] = []
    tools = params.get("tools") or []
    system = params.get("system") or []
    candidates.append((tools, len(tools) - 1) if tools else None)
    candidates.append(_markable(system) if isinstance(system, list) else None)
    messages = params.get("messages") or []
    if messages:
        candidates.append(_markable(messages[-1]["content"]))
        previous_user = [m for m in messages[:-1] if m["role"] == "user"]
        if previous_user:
            candidates.append(_markable(previous_user[-1]["content"]))
    budget = MAX_BREAKPOINTS - count_breakpoints(params)
    added = 0
    for where in candidates:
        if budget <= 0:
            break
        if where is None or "cache_control" in where[0][where[1]]:
            continue
        blocks, i = where
        blocks[i] = {**blocks[i], "cache_control": dict(EPHEMERAL)}
        budget -= 1
        added += 1
    return added
