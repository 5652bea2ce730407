"""The worker and team tools: ``Worker*``, ``TeamCreate``, ``TeamDelete`` and ``SendMessage``.

Every tool works on the shared store, so a worker created in one ``claw`` can be prompted, observed or
messaged from another (a teammate's own ``claw`` process included). Results are JSON.

The tools are built on every start (their schemas go with the first request); what they run on (the
store and its sqlite3, the process manager, the settings models) is imported at their first call.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import claw

if TYPE_CHECKING:
    from claw_agents.workers.store import Store, Worker

#: Permission modes a worker may be given besides its creator's own (Claude Code's names and claw's):
#: they only narrow what it may do.
_NARROWER = ("plan", "read-only", "dontAsk", "dont-ask")


def _store(ctx: claw.ToolContext) -> Store:
    from claw_agents.workers.store import Store, db_path

    return Store(db_path(ctx.env))


def _worker(store: Store, ref: str) -> Worker:
    from claw_agents.workers import manager

    try:
        return manager.reconcile(store, store.worker(ref))
    except KeyError:
        raise claw.ToolError(
            f"no worker {ref!r} (WorkerCreate makes one; `claw workers list` lists them)"
        ) from None


def _view(store: Store, worker: Worker) -> dict[str, Any]:
    data = worker.to_json()
    data["prompts"] = [
        {k: p[k] for k in ("id", "sender", "summary", "delivered_at", "finished_at", "result", "is_error")}
        for p in store.prompts(worker.id)
    ]
    return data


def _mode(requested: str | None, ctx: claw.ToolContext) -> str:
    if requested is None or requested == ctx.permission_mode:
        return ctx.permission_mode
    if requested not in _NARROWER:
        raise claw.ToolError(
            f"permission_mode {requested!r} would be wider than this session's ({ctx.permission_mode}); "
            "use plan, dontAsk or leave it out"
        )
    return requested


def _start(
    ctx: claw.ToolContext,
    store: Store,
    name: str,
    *,
    cwd: str | None = None,
    prompt: str | None = None,
    model: str | None = None,
    permission_mode: str | None = None,
    team: str | None = None,
    lane: str | None = None,
    base: str | None = None,
) -> Worker:
    from claw_agents.workers import config, manager
    from claw_agents.workers.store import LaneHeld

    mode = _mode(permission_mode, ctx)
    try:
        config.agents_settings(ctx.settings)  # a settings mistake is named now, not in the worker's log
        return manager.create(
            store,
            name=name,
            cwd=ctx.resolve(cwd) if cwd else ctx.workspace,
            env=ctx.env,
            model=model,
            permission_mode=mode,
            team=team,
            lane=lane,
            base=base,
            prompt=prompt,
        )
    except (claw.ClawError, LaneHeld) as exc:
        raise claw.ToolError(str(exc)) from None


@claw.tool
def WorkerCreate(
    name: str,
    ctx: claw.ToolContext,
    prompt: str | None = None,
    cwd: str | None = None,
    model: str | None = None,
    permission_mode: str | None = None,
    lane: str | None = None,
    base: str | None = None,
) -> dict[str, Any]:
    """Start a long-lived worker: a claw agent in its own process that takes prompts one after another.

    It walks spawning -> trust_required (when its folder needs approval) -> ready_for_prompt -> running ->
    finished | failed; WorkerObserve shows each step. Returns the worker's record (its id).

    :param name: a short name for the worker (addressable by SendMessage).
    :param prompt: a first prompt, delivered once the worker is ready.
    :param cwd: the folder it works in (default: this workspace).
    :param model: its model (default: the configured one).
    :param permission_mode: its permission mode: this session's (default) or a narrower one (plan, dontAsk).
    :param lane: a branch to work on: the worker gets that branch's own git worktree and is its only worker.
    :param base: the branch the lane follows (default: the repository's current branch).
    """
    store = _store(ctx)
    worker = _start(
        ctx,
        store,
        name,
        cwd=cwd,
        prompt=prompt,
        model=model,
        permission_mode=permission_mode,
        lane=lane,
        base=base,
    )
    return worker.to_json()


@claw.tool(read_only=True)
def WorkerGet(worker_id: str, ctx: claw.ToolContext) -> dict[str, Any]:
    """A worker's record: state, failure class, process, lane, and every prompt with its result.

    :param worker_id: the worker's id or name.
    """
    store = _store(ctx)
    return _view(store, _worker(store, worker_id))


async def _wait_prompt(store: Store, prompt_id: int, worker_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        prompt = store.prompt(prompt_id)
        if prompt["finished_at"] is not None or store.worker(worker_id).state == "failed":
            break
        await asyncio.sleep(0.1)
    prompt = store.prompt(prompt_id)
    worker = store.worker(worker_id)
    return {
        "prompt_id": prompt_id,
        "state": worker.state,
        "failure_class": worker.failure_class,
        "failure": worker.failure,
        "done": prompt["finished_at"] is not None,
        "result": prompt["result"],
        "is_error": bool(prompt["is_error"]),
    }


@claw.tool
async def WorkerSendPrompt(
    worker_id: str, prompt: str, ctx: claw.ToolContext, wait: bool = False, timeout: float = 600
) -> dict[str, Any]:
    """Queue a prompt for a worker; it runs once the worker is ready and its earlier prompts are done.

    :param worker_id: the worker's id or name.
    :param prompt: what the worker should do.
    :param wait: wait for the worker's answer and return it.
    :param timeout: seconds to wait when ``wait`` is set.
    """
    store = _store(ctx)
    worker = _worker(store, worker_id)
    if worker.state == "failed" and worker.failure_class:
        raise claw.ToolError(
            f"worker {worker.id} failed ({worker.failure_class}: {worker.failure}); WorkerRestart it"
        )
    prompt_id = store.enqueue(worker.id, prompt)
    if not wait:
        return {"prompt_id": prompt_id, "state": worker.state}
    return await _wait_prompt(store, prompt_id, worker.id, timeout)


@claw.tool(read_only=True)
def WorkerObserve(worker_id: str, ctx: claw.ToolContext, after: int = 0) -> dict[str, Any]:
    """A worker's events (transitions, prompts, what it said, recovery steps) after event number ``after``.

    :param worker_id: the worker's id or name.
    :param after: the last event number already seen (0: all).
    """
    store = _store(ctx)
    worker = _worker(store, worker_id)
    return {"id": worker.id, "state": worker.state, "events": store.events(worker.id, after)}


@claw.tool(read_only=True)
async def WorkerAwaitReady(worker_id: str, ctx: claw.ToolContext, timeout: float = 60) -> dict[str, Any]:
    """Wait until a worker can take a prompt (ready_for_prompt or finished), fails, or ``timeout`` passes.

    :param worker_id: the worker's id or name.
    :param timeout: seconds to wait at most.
    """
    from claw_agents.workers import manager

    store = _store(ctx)
    worker = await manager.wait_for(store, _worker(store, worker_id).id, manager.READY, timeout)
    return {
        "id": worker.id,
        "state": worker.state,
        "ready": worker.state in manager.READY,
        "failure_class": worker.failure_class,
        "failure": worker.failure,
    }


@claw.tool
def WorkerRestart(worker_id: str, ctx: claw.ToolContext) -> dict[str, Any]:
    """Restart a worker's process on its session; prompts it had not finished are delivered again.

    :param worker_id: the worker's id or name.
    """
    from claw_agents.workers import manager

    store = _store(ctx)
    return manager.restart(store, _worker(store, worker_id).id, ctx.env).to_json()


@claw.tool
def WorkerTerminate(worker_id: str, ctx: claw.ToolContext) -> dict[str, Any]:
    """End a worker: its process stops and its lane is released. Its record stays.

    :param worker_id: the worker's id or name.
    """
    from claw_agents.workers import manager

    store = _store(ctx)
    return manager.terminate(store, _worker(store, worker_id).id).to_json()


@claw.tool
def TeamCreate(
    team_name: str, members: list[dict[str, str]], ctx: claw.ToolContext, description: str = ""
) -> dict[str, Any]:
    """Create a team: named workers that share a task list and message each other with SendMessage.

    :param team_name: the team's name.
    :param members: one object per member: ``name`` (required), ``prompt``, ``model``, ``cwd``, ``lane``.
    :param description: what the team is for.
    """
    store = _store(ctx)
    names = [m.get("name", "") for m in members]
    if not members or not all(names) or len(set(names)) != len(names):
        raise claw.ToolError("members: give each member a distinct name")
    try:
        store.create_team(team_name, description)
    except ValueError as exc:
        raise claw.ToolError(str(exc)) from None
    started = [
        _start(
            ctx,
            store,
            m["name"],
            cwd=m.get("cwd"),
            prompt=m.get("prompt"),
            model=m.get("model"),
            team=team_name,
            lane=m.get("lane"),
        ).to_json()
        for m in members
    ]
    return {"team_name": team_name, "members": [{"name": w["name"], "id": w["id"]} for w in started]}


@claw.tool
def TeamDelete(team_name: str, ctx: claw.ToolContext) -> dict[str, Any]:
    """Delete a team: its members are terminated; their records stay.

    :param team_name: the team's name.
    """
    from claw_agents.workers import manager

    store = _store(ctx)
    if store.team(team_name) is None:
        raise claw.ToolError(f"no team {team_name!r}")
    ended = [manager.terminate(store, w.id).id for w in store.workers(team_name)]
    store.delete_team(team_name)
    return {"team_name": team_name, "terminated": ended}


@claw.tool
async def SendMessage(
    to: str, message: str, ctx: claw.ToolContext, summary: str | None = None
) -> dict[str, Any]:
    """Send a message to a teammate (by name or worker id), or to a running sub-agent of yours (by the
    Agent call's name or its agentId); it reaches them as their next prompt (a sub-agent: before its
    next model request).

    :param to: the teammate's name or worker id, or the sub-agent's name or agentId.
    :param message: the message.
    :param summary: a 5-10 word summary (at most 200 characters).
    """
    from html import escape

    from claw_agents.subagents import background

    if summary is not None and len(summary) > 200:
        raise claw.ToolError("summary: at most 200 characters")
    store = _store(ctx)
    sender_id = ctx.env.get("CLAW_WORKER_ID")
    sender = store.worker(sender_id) if sender_id else None
    who = sender.name if sender else "lead"
    text = f'<teammate-message teammate_id="{escape(who)}"'
    text += f' summary="{escape(summary)}">' if summary else ">"
    text += f"\n{message}\n</teammate-message>"
    child = background.running_child(ctx.session, to)
    if child is not None:  # on the event loop (an async tool): a child kept alive for its jobs wakes at once
        child.notify(text)
        return {"success": True, "to": to, "agent_id": child.session_id}
    team = sender.team if sender else None
    candidates = [w for w in store.workers(team) if to in (w.id, w.name)] if team else []
    target = candidates[-1] if candidates else _worker(store, to)
    prompt_id = store.enqueue(target.id, text, sender=who, summary=summary)
    return {"success": True, "to": target.name, "worker_id": target.id, "prompt_id": prompt_id}


TOOLS = (
    WorkerCreate,
    WorkerGet,
    WorkerSendPrompt,
    WorkerObserve,
    WorkerAwaitReady,
    WorkerRestart,
    WorkerTerminate,
    TeamCreate,
    TeamDelete,
    SendMessage,
)
