"""Background sub-agents (``run_in_background``): started on the kernel's ``local`` task backend (the
parent's event loop) and kept, running or ended, in the parent session's :data:`AGENTS`: how
``TaskOutput`` (the child's progress so far, from its transcript), ``TaskStop`` and ``TaskList`` reach
them by agent id. While one runs, a small file under ``<state dir>/agents/subagents/`` names it, its
process and its transcript, so ``claw tasks list`` in another terminal shows it too.

When one answers, its parent session is told with a Claude Code style ``<task-notification>``
(:meth:`claw.SessionContext.notify`): the model reads it with its next request, and a run without a
person (``claw -p``) whose model stops while sub-agents still run waits for their answers
(:meth:`claw.SessionContext.track`). A sub-agent whose turn ends while its own ``Bash`` jobs run is kept
alive by the kernel and answers again when they end (a foreground one is then listed here too, as
Claude Code does): each later answer is another notification with the same task id. Those still
running when the parent session ends are stopped, and their jobs with them (the sub-agent's session end).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import claw


@dataclass
class BackgroundAgent:
    """One background sub-agent of a session: what ``TaskOutput``/``TaskStop``/``TaskList`` show."""

    id: str
    description: str
    name: str | None
    handle: claw.TaskHandle
    started_at: float = field(default_factory=time.time)
    status: str = "running"  # then completed, failed or stopped
    result: claw.SubagentResult | None = None
    error: str = ""
    transcript_path: str | None = None
    #: Stopped by the Agent SDK's ``stop_task``, whose answer announces its end.
    stopped_by_sdk: bool = False

    @property
    def running(self) -> bool:
        return self.status == "running"


#: The parent session's background sub-agents (running and ended): agent id -> record.
AGENTS = claw.StashKey[dict[str, BackgroundAgent]]()
#: The names given to the parent session's sub-agents (the ``Agent`` tool's ``name``): name -> agent id.
NAMES = claw.StashKey[dict[str, str]]()


def running_child(session: claw.SessionContext | None, to: str) -> claw.SessionContext | None:
    """The context of ``session``'s running sub-agent named ``to`` (its ``name`` or agent id), or
    ``None``: what ``SendMessage`` delivers to (``notify``: the child's next user message)."""
    if session is None:
        return None
    agent_id = (session.stash.get(NAMES) or {}).get(to, to)
    return session.subagents.get(agent_id)


def registry_dir(env: Mapping[str, str]) -> Path:
    """Where running background sub-agents are listed for other processes (``claw tasks list``)."""
    return claw.state_dir(env) / "agents" / "subagents"


def notice(agent_id: str, description: str, result: claw.SubagentResult | None, error: str) -> str:
    """The ``<task-notification>`` for a sub-agent that ended with ``result`` (or ``error``)."""
    status = "failed" if result is None or result.is_error else "completed"
    text = result.text if result is not None else error
    return claw.TaskNotification(agent_id, status, f'Agent "{description}" {status}', result=text).text()


def find(session: claw.SessionContext | None, agent_id: str) -> BackgroundAgent | None:
    """The background sub-agent ``agent_id`` of ``session``, running or ended, or ``None``."""
    return (session.stash.get(AGENTS) or {}).get(agent_id) if session is not None else None


def listed(session: claw.SessionContext | None) -> list[BackgroundAgent]:
    """The background sub-agents of ``session``, oldest first."""
    return list((session.stash.get(AGENTS) or {}).values()) if session is not None else []


#: Runs a sub-agent, its answers given to the callback (``SubagentSpec.on_answer``), to its end.
Runner = Callable[[Callable[[claw.SubagentResult], None]], Awaitable[claw.SubagentResult]]


def start(
    session: claw.SessionContext,
    agent_id: str,
    description: str,
    run: Runner,
    name: str | None = None,
    first: asyncio.Future[claw.SubagentResult] | None = None,
) -> claw.TaskHandle:
    """Run the sub-agent ``run`` runs as ``agent_id`` on the local task backend, telling ``session`` of
    its answers (a ``<task-notification>`` each: one kept alive for its background jobs answers again
    when they end) and, once listed, of its end.

    A background sub-agent (no ``first``) is listed at once; ``claw -p`` waits for its first answer
    (not for the jobs that keep it alive after). A foreground one's first answer (or failure) settles
    ``first``, the ``Agent`` tool's result, and it is listed only when that answer leaves it alive.

    :raises ToolError: a background one, and no ``local`` task backend is registered.
    """
    backend = session.task_backends.get("local")
    if backend is None and first is None:
        raise claw.ToolError("background sub-agents need the kernel's local task backend")
    backend = backend or claw.LocalTaskBackend()  # a foreground one runs without it, as before
    agents = session.stash.setdefault(AGENTS, {})
    entry = registry_dir(session.env) / f"{agent_id}.json"
    settled: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def answered(result: claw.SubagentResult) -> None:
        record.result, record.transcript_path = result, result.transcript_path
        if first is not None and not first.done():
            first.set_result(result)
            if result.kept_alive:
                agents[agent_id] = record
                _register(entry, session, record)
        else:
            session.notify(notice(agent_id, description, result, ""))
        if not settled.done():
            settled.set_result(None)
            if result.kept_alive:  # background work until its real end, which claw -p does not wait for
                session.track(finished, wait=False)

    async def work() -> claw.SubagentResult:
        try:
            result = await run(answered)
            record.status = "failed" if result.is_error else "completed"
            if first is not None and not first.done():  # a runner that gave no answer on the way
                first.set_result(result)
            return result
        except asyncio.CancelledError:
            record.status, record.error = "stopped", "the agent was stopped"
            if first is not None and not first.done():
                first.cancel()
            raise
        except Exception as exc:
            record.status, record.error = "failed", str(exc)
            if first is not None and not first.done():
                first.set_exception(exc)
            raise
        finally:
            entry.unlink(missing_ok=True)
            for future in (settled, finished):
                if not future.done():
                    future.set_result(None)
            if agents.get(agent_id) is record:
                if record.error:  # ended without an answer: stopped, or it could not go on
                    session.notify(notice(agent_id, description, None, record.error))
                if not record.stopped_by_sdk:
                    session.task_ended(ended(record))

    handle = backend.start(agent_id, work)
    record = BackgroundAgent(agent_id, description, name, handle)
    if first is None:
        agents[agent_id] = record
        _register(entry, session, record)
        session.track(settled)
    return handle


def _register(entry: Path, session: claw.SessionContext, agent: BackgroundAgent) -> None:
    """List ``agent`` for other processes while it runs (best effort: a read-only state dir only
    hides it from ``claw tasks list``)."""
    data = {
        "id": agent.id,
        "description": agent.description,
        "name": agent.name,
        "parent_session_id": session.session_id,
        "workspace": str(session.workspace),
        "pid": os.getpid(),
        "pid_start": claw.process_start(os.getpid()),
        "started_at": agent.started_at,
    }
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        claw.atomic_write(entry, json.dumps(data))


def running_elsewhere(env: Mapping[str, str]) -> list[dict[str, Any]]:
    """The background sub-agents running in any claw process (``claw tasks list``), oldest first; an
    entry whose process is gone (killed before it could clean up) is removed."""
    found = []
    directory = registry_dir(env)
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if claw.process_start(int(data.get("pid") or 0)) != data.get("pid_start"):
            path.unlink(missing_ok=True)
            continue
        found.append(data)
    return sorted(found, key=lambda d: d.get("started_at") or 0)


def transcript(session: claw.SessionContext, agent: BackgroundAgent) -> str:
    """What ``agent`` has said and done so far, from its transcript (its session file): text, tool calls
    and their results, one block a paragraph; its final answer once it has ended."""
    child = session.subagents.get(agent.id)
    path = child.transcript_path if child is not None else agent.transcript_path
    if child is not None and path is not None:
        agent.transcript_path = str(path)
    parts: list[str] = []
    with contextlib.suppress(OSError):
        for line in Path(path).read_text(errors="replace").splitlines() if path else []:
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if event.get("type") in ("user", "assistant") and isinstance(event.get("message"), dict):
                    parts += _blocks(event["type"], event["message"].get("content"))
    if not parts and agent.result is not None:
        parts.append(agent.result.text)
    return "".join(f"{p}\n\n" for p in parts)


def _blocks(role: str, content: Any) -> list[str]:
    if isinstance(content, str):
        return [f"[{role}] {content}"]
    out = []
    for block in content if isinstance(content, list) else []:
        kind = block.get("type")
        if kind == "text" and block.get("text", "").strip():
            out.append(f"[{role}] {block['text'].strip()}")
        elif kind == "tool_use":
            out.append(
                f"[tool call] {block.get('name')} {json.dumps(block.get('input'), ensure_ascii=False)}"
            )
        elif kind == "tool_result":
            body = block.get("content")
            text = body if isinstance(body, str) else "".join(c.get("text", "") for c in body or [])
            out.append(f"[tool {'error' if block.get('is_error') else 'result'}] {text.strip()}")
    return out


async def stop_all(session: claw.SessionContext) -> None:
    """Stop the background sub-agents still running (the parent session is ending)."""
    for agent in listed(session):
        if agent.running:
            await agent.handle.cancel()


async def stop(agent: BackgroundAgent) -> claw.StoppedTask:
    """The Agent SDK's ``stop_task`` for a background sub-agent: cancelled if it still runs; one that
    had ended is reported as it ended."""
    if agent.running:
        agent.stopped_by_sdk = True
        await agent.handle.cancel()
    return ended(agent)


def ended(agent: BackgroundAgent) -> claw.StoppedTask:
    """An ended sub-agent as the Agent SDK hears of it (``completed``, ``failed`` or ``stopped``), its
    summary the one its ``<task-notification>`` gives the model, its transcript the output file."""
    status = agent.status if agent.status in ("completed", "failed") else "stopped"
    return claw.StoppedTask(
        task_id=agent.id,
        task_type="local_agent",
        description=agent.description,
        status=status,
        summary=f'Agent "{agent.description}" {status}',
        output_file=agent.transcript_path or "",
    )
