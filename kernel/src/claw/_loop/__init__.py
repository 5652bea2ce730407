"""The agent loop (:mod:`claw._loop.agent` and the layers it lists) and its model calls with retries and
fallbacks (:mod:`claw._loop.retry`)."""

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
