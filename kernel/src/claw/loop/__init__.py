"""The agent loop (:mod:`claw.loop.agent`, its layers in :mod:`claw.loop.state`, :mod:`claw.loop.reporting`,
:mod:`claw.loop.offered_tools`, :mod:`claw.loop.requests`, :mod:`claw.loop.compacting` and
:mod:`claw.loop.turn`), its model calls with retries and fallbacks (:mod:`claw.loop.retry`), tool execution
(:mod:`claw.loop.tool_calls`) and prompt-cache bookkeeping (:mod:`claw.loop.cache`)."""

from claw.loop.agent import AgentLoop
from claw.loop.options import LoopOptions, Outcome

__all__ = ["AgentLoop", "LoopOptions", "Outcome"]
