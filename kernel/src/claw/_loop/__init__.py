"""The agent loop (:mod:`claw._loop.agent`, its layers in :mod:`claw._loop.state`, :mod:`claw._loop.reporting`,
:mod:`claw._loop.offered_tools`, :mod:`claw._loop.requests`, :mod:`claw._loop.compacting` and
:mod:`claw._loop.turn`), its model calls with retries and fallbacks (:mod:`claw._loop.retry`), tool execution
(:mod:`claw._loop.tool_calls`) and prompt-cache bookkeeping (:mod:`claw._loop.cache`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw._loop.options import LoopOptions, Outcome

if TYPE_CHECKING:
    from claw._loop.agent import AgentLoop

__all__ = ["AgentLoop", "LoopOptions", "Outcome"]


def __getattr__(name: str) -> Any:
    """``AgentLoop`` on first use: an interactive start builds its :class:`LoopOptions` and puts a screen up
    before the loop (pydantic, the message models) is imported."""
    if name == "AgentLoop":
        from claw._loop.agent import AgentLoop

        return AgentLoop
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
