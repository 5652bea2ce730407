"""What the scripted model was sent, for the end-to-end tests: the ``tool_result`` blocks of its
recorded requests (Anthropic-shaped, as ``scripted.requests`` holds them)."""

from __future__ import annotations

from typing import Any


def all_tool_results(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every ``tool_result`` block in every message of every request, in order (repeats included:
    each request carries the whole history)."""
    return [
        block
        for request in requests
        for message in request["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]


def last_tool_results(scripted: Any, request_index: int) -> list[dict[str, Any]]:
    """The ``tool_result`` blocks of the last message of request ``request_index``: what the tools of
    the turn before it answered."""
    return [
        b for b in scripted.requests[request_index]["messages"][-1]["content"] if b["type"] == "tool_result"
    ]
