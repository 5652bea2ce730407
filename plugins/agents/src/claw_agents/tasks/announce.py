"""Detached tasks (``TaskCreate`` with ``prompt`` or ``command``) as the Agent SDK hears of them.

A detached task runs on the task backend and may outlive the session; while the session that started it
runs, its end is announced to that session (:meth:`claw.SessionContext.task_ended`, what claw-sdk reports
as ``task_updated``/``task_notification``) and the SDK's ``stop_task`` ends it (``claw_stop_task``). The
backend is asked for the task's record every :data:`POLL_SECONDS` (any backend can answer that; the
records of the embedded and Celery ones live in another process). A detached command is reported as
Claude Code's ``local_bash`` task, a detached prompt (a ``claw -p`` run) as ``local_agent``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import claw

#: Seconds between two looks at a running detached task's record.
POLL_SECONDS = 0.5


@dataclass
class Watched:
    """The detached tasks a session started and still watches: task id -> its watcher; the ids whose
    end the SDK's ``stop_task`` announces (its answer), not the watcher."""

    watchers: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    stopped_by_sdk: set[str] = field(default_factory=set)


WATCHED = claw.StashKey[Watched]()


def ended(record: claw.TaskRecord) -> claw.StoppedTask:
    """A final detached task as the Agent SDK hears of it, its summary said as Claude Code says a
    background command's (``Background command "x" failed with exit code 3``)."""
    spec = record.spec
    description = spec.description or spec.name or spec.text
    status = record.status.value if record.status.final else "stopped"
    if spec.kind == "command":
        ending = {"stopped": "was stopped", "completed": "completed (exit code 0)"}.get(
            status, f"failed with exit code {record.exit_code}"
        )
        summary = f'Background command "{description}" {ending}'
    else:
        summary = f'Task "{description}" ' + ("was stopped" if status == "stopped" else status)
    return claw.StoppedTask(
        task_id=record.id,
        task_type="local_bash" if spec.kind == "command" else "local_agent",
        description=description,
        status=status,  # pyright: ignore[reportArgumentType]  # final: completed, failed or stopped
        summary=summary,
        output_file=record.output_path or "",
    )


def watch(session: claw.SessionContext, backend: claw.TaskBackend, task_id: str) -> None:
    """Announce the end of detached task ``task_id`` to ``session`` once the backend records it."""
    watched = session.stash.setdefault(WATCHED, Watched())

    async def run() -> None:
        # A first look only after a pause: the tool call that started the task has been reported by then
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                record = await backend.get(task_id)
            except KeyError:  # the backend lost it (its state was removed): nothing to announce
                watched.watchers.pop(task_id, None)
                return
            if record.status.final:
                break
        watched.watchers.pop(task_id, None)
        if task_id not in watched.stopped_by_sdk:
            session.task_ended(ended(record))

    watched.watchers[task_id] = asyncio.get_running_loop().create_task(run(), name=f"claw-watch-{task_id}")


def owns(session: claw.SessionContext, task_id: str) -> bool:
    """Whether ``session`` started detached task ``task_id`` and watches it."""
    watched = session.stash.get(WATCHED)
    return watched is not None and task_id in watched.watchers


async def stop(session: claw.SessionContext, task_id: str) -> claw.StoppedTask:
    """The SDK's ``stop_task`` for a detached task: ended (its whole process group) if it still runs;
    one that had ended is reported as it ended."""
    watched = session.stash[WATCHED]
    watched.stopped_by_sdk.add(task_id)
    watcher = watched.watchers.pop(task_id, None)
    if watcher is not None:
        watcher.cancel()
    return ended(await session.task_backend().stop(task_id))


def end_session(session: claw.SessionContext) -> None:
    """Stop watching (the session is ending; the tasks themselves go on, detached)."""
    watched = session.stash.get(WATCHED)
    if watched is None:
        return
    for watcher in watched.watchers.values():
        watcher.cancel()
    watched.watchers.clear()
