"""The agent loop (:mod:`claw.loop.agent`, its layers in :mod:`claw.loop.state`, :mod:`claw.loop.reporting`,
:mod:`claw.loop.offered_tools`, :mod:`claw.loop.requests`, :mod:`claw.loop.compacting` and
:mod:`claw.loop.turn`), its model calls with retries and fallbacks (:mod:`claw.loop.retry`), tool execution
(:mod:`claw.loop.tool_calls`) and prompt-cache bookkeeping (:mod:`claw.loop.cache`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw.loop.options import LoopOptions, Outcome

if TYPE_CHECKING:
    from claw.loop.agent import AgentLoop

__all__ = ["AgentLoop", "LoopOptions", "Outcome"]


def __getattr__(name: str) -> Any:
    """``AgentLoop`` on first use: an interactive start builds its :class:`LoopOptions` and puts a screen up
    before the loop (pydantic, the message models) is imported."""
    if name == "AgentLoop":
        from claw.loop.agent import AgentLoop

        return AgentLoop
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
