"""A sub-agent's run: a child :class:`claw._loop.AgentLoop` on its parent's app and providers, its session
file beside the parent's and linked by ``subagent`` records in it, its cost and API time counted in the
parent's running turn (what :meth:`claw.SessionContext.run_subagent` promises)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from claw import _paths as paths
from claw._loop.agent import AgentLoop
from claw._loop.options import LoopOptions, Outcome, ParentLink
from claw._permissions.modes import normalize_mode
from claw._subagents import SubagentResult

if TYPE_CHECKING:
    from claw._subagents import SubagentSpec

#: How much each mode lets run without a person's answer, for :func:`narrowed`: ``prompt`` and
#: ``dont-ask`` let the same through when nobody answers; the bypass modes let everything through.
_WIDTH = {
    "read-only": 0,
    "prompt": 1,
    "dont-ask": 1,
    "workspace-write": 2,
    "auto": 3,
    "allow": 4,
    "danger-full-access": 4,
}


def narrowed(requested: str | None, parent: str) -> str:
    """The mode a sub-agent runs in: ``requested`` (canonical name) unless it lets more run than
    ``parent`` (a child never gets wider permissions than the session that started it); then
    ``parent``. ``None`` is the parent's mode.

    :raises UsageError: for an unknown ``requested`` mode.
    """
    parent = normalize_mode(parent)
    if requested is None:
        return parent
    mode = normalize_mode(requested)
    return mode if _WIDTH[mode] <= _WIDTH[parent] else parent


def child_options(parent: AgentLoop, spec: SubagentSpec) -> LoopOptions:
    """A sub-agent's options: the tools ``spec`` names out of the parent's, a permission mode no wider
    than the parent's, its session file beside the parent's, the parent's providers."""
    session = parent._session
    hidden = set(spec.hidden_tools)
    wanted = None if spec.tools is None else set(spec.tools)
    offered = [
        t
        for t in parent._tool_list
        if t.name not in hidden and (wanted is None or not wanted.isdisjoint({t.name, *t.spec.aliases}))
    ]
    names = {t.name for t in offered}
    directory = (
        session.path.parent
        if session.path
        else parent.opts.session_dir or paths.sessions_dir(parent.workspace, parent.env)
    )
    return dataclasses.replace(
        parent.opts,
        model=spec.model if spec.model and spec.model != "inherit" else parent.caller.route.address,
        reasoning_effort=spec.effort or parent.opts.reasoning_effort,
        max_turns=spec.max_turns or parent.opts.max_turns,
        max_budget_usd=None,  # the parent's budget counts the child's cost
        permission_mode=narrowed(spec.permission_mode, parent.permissions.mode),
        tools=[t.name for t in offered],
        system_prompt=spec.system_prompt,
        append_system_prompt=None,
        json_schema=None,
        session_dir=directory,
        resume=None,
        fork=False,
        session_id=spec.session_id,
        approver=parent.permissions.approver,
        permission_prompt_tool=None,
        workspace=spec.workspace or parent.workspace,
        parent=ParentLink(
            session_id=session.id,
            transcript_path=str(session.path or ""),
            agent_type=spec.agent_type,
            session_tools=[t for t in parent._ctx.session_tools if t.name in names],
            providers=parent._providers,
        ),
    )


async def run_child(parent: AgentLoop, spec: SubagentSpec) -> SubagentResult:
    """:meth:`claw.SessionContext.run_subagent`: a child loop on the parent's app, recorded in its session."""
    from claw._output import Renderer

    child = AgentLoop(parent.app, child_options(parent, spec), Renderer())
    link: dict[str, Any] = {"agent_type": spec.agent_type}
    try:
        await child.start()
        link["agent_id"] = child._session.id
        parent._session.record(
            "subagent",
            status="started",
            description=spec.description,
            transcript_path=str(child._session.path or ""),
            workspace=str(child.workspace),
            permission_mode=child.permissions.mode,
            **link,
        )
        parent._emit("subagent_start", **link)
        parent._ctx.subagents[child._session.id] = child._ctx
        result = _answer(parent, child, spec, await child.run_prompt(spec.prompt))
        while result.kept_alive:  # its work runs: woken by news (its notice, a message) or its end
            if child._ctx.tracked and not child._ctx.has_notices:
                await child._ctx.wait_notices(*child._ctx.tracked)
            if child._ctx.has_notices:
                outcome = await child.run_notices(child._ctx.take_notices())
                result = _answer(parent, child, spec, outcome)
            elif not child._ctx.tracked:  # ended without news (stopped, its notice told): no answer
                result = dataclasses.replace(result, kept_alive=False)
    finally:
        if parent.ctx is not None and "agent_id" in link:
            parent.ctx.subagents.pop(link["agent_id"], None)
        await child.close()
    status = "failed" if result.is_error else "completed"
    parent._session.record(
        "subagent",
        status=status,
        subtype=result.subtype,
        num_turns=result.num_turns,
        total_cost_usd=result.total_cost_usd,
        usage=result.usage,
        duration_ms=result.duration_ms,
        **link,
    )
    parent._emit("subagent_end", status=status, total_cost_usd=result.total_cost_usd, **link)
    return result


def _answer(parent: AgentLoop, child: AgentLoop, spec: SubagentSpec, outcome: Outcome) -> SubagentResult:
    """A turn of the child ended: its cost and API time count in the parent's turn; its answer goes to
    ``spec.on_answer``, kept alive while its tracked work runs (``SessionContext.run_subagent``)."""
    parent.costs.merge(child.costs)
    parent.caller.api_seconds += child.caller.api_seconds
    child.caller.api_seconds = 0
    alive = spec.on_answer is not None and bool(child._ctx.tracked or child._ctx.has_notices)
    result = dataclasses.replace(_result(child, spec, outcome.result), kept_alive=alive)
    if spec.on_answer is not None:
        spec.on_answer(result)
    return result


def _result(child: AgentLoop, spec: SubagentSpec, data: dict[str, Any]) -> SubagentResult:
    """What a sub-agent hands back, from its loop and its turn's result object."""
    session = child._session
    return SubagentResult(
        agent_id=session.id,
        agent_type=spec.agent_type,
        text=data["result"],
        is_error=data["is_error"],
        subtype=data["subtype"],
        num_turns=data["num_turns"],
        duration_ms=data["duration_ms"],
        total_cost_usd=data["total_cost_usd"],
        usage=data["usage"],
        transcript_path=str(session.path) if session.path else None,
        model=child.chain[0].address,
        workspace=str(child.workspace),
    )
