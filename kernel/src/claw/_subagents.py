"""Child sessions (sub-agents): what a plugin asks for and what it gets back, from
``await ctx.session.run_subagent(SubagentSpec(...))``: a session of its own on the parent's event loop,
plugins, providers and settings, as docs/plugins.md ("What a tool gets") describes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claw._providers import Effort


@dataclass(frozen=True)
class SubagentSpec:
    """One sub-agent run.

    :param prompt: the task, the child's first user message.
    :param agent_type: the definition's name (``general-purpose``): hook matchers and records use it.
    :param description: a short label for the parent's records (the ``Agent`` tool's ``description``).
    :param system_prompt: replaces claw's own instructions (environment facts and instruction files
        still follow); ``None`` keeps claw's.
    :param tools: the tool names the child is offered, out of the parent's; ``None`` offers the
        parent's tools.
    :param hidden_tools: names never offered to the child (the ``Agent`` tool itself).
    :param model: a model address or alias; ``None`` or ``"inherit"`` uses the parent's model.
    :param effort: the reasoning effort; ``None`` uses the parent's.
    :param permission_mode: the child's mode; a mode wider than the parent's is narrowed to the
        parent's (:func:`claw._builtins.subagents.child.narrowed`). ``None`` uses the parent's.
    :param workspace: where the child works (a git worktree); ``None`` is the parent's workspace.
    :param session_id: the child's session id (a UUID string), chosen by the caller so it can name the
        child before it starts; ``None`` makes one.
    :param max_turns: a turn limit for the child; ``None``: the parent's.
    :param on_answer: takes each answer of a child kept alive for its jobs (``run_subagent``); ``None``:
        the child ends with its first turn."""

    prompt: str
    agent_type: str = "general-purpose"
    description: str = ""
    system_prompt: str | None = None
    tools: tuple[str, ...] | None = None
    hidden_tools: tuple[str, ...] = ()
    model: str | None = None
    effort: Effort | None = None
    permission_mode: str | None = None
    workspace: Path | None = None
    session_id: str | None = None
    max_turns: int | None = None
    on_answer: Callable[[SubagentResult], None] | None = None


@dataclass(frozen=True)
class SubagentResult:
    """How a sub-agent ended: its final answer, transcript, usage and cost.

    :param agent_id: the child's session id (its transcript is ``<sessions dir>/<agent_id>.jsonl``).
    :param text: the child's final answer, or the error that ended it.
    :param is_error: whether the child failed (an API error, the turn limit, an internal error).
    :param subtype: the child's result subtype (``success``, ``error_max_turns``, ...).
    :param usage: Claude Code's usage object (``input_tokens``, ``output_tokens``, ...).
    :param kept_alive: the child goes on (its background work runs): another answer may follow."""

    agent_id: str
    agent_type: str
    text: str
    is_error: bool
    subtype: str
    num_turns: int
    duration_ms: float
    total_cost_usd: float
    usage: dict[str, Any] = field(default_factory=dict)
    transcript_path: str | None = None
    model: str = ""
    workspace: str = ""
    kept_alive: bool = False
