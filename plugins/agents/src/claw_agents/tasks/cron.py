"""Cron entries: 5-field expressions in local time, parsed by croniter, fired by the supervisor.

Policy (docs/agents.md): a run missed while no supervisor was up fires **once** on catch-up and the rest
are skipped (the next run is computed from now); a firing whose previous run is still going is skipped and
recorded (no overlapping runs). Recurring entries not marked ``durable`` expire seven days after creation,
as Claude Code's do; durable ones last until deleted. A non-recurring entry is deleted once it fires.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from claw import TaskRecord, TaskSpec

from claw_agents.tasks.store import Store

#: Claude Code's lifetime of a recurring, non-durable entry.
SESSION_ENTRY_TTL = 7 * 24 * 3600.0


class CronError(ValueError):
    """A cron expression croniter does not accept (the message names it)."""


def next_fire(expression: str, after: float) -> float:
    """The first time strictly after ``after`` (epoch seconds) that ``expression`` matches, in local time."""
    from croniter import croniter

    if len(expression.split()) != 5:
        raise CronError(
            f"invalid cron expression {expression!r}: expected 5 fields (minute hour day month weekday)"
        )
    try:
        it = croniter(expression, datetime.fromtimestamp(after).astimezone())
        return float(it.get_next(float))
    except (ValueError, KeyError) as e:
        raise CronError(f"invalid cron expression {expression!r}: {e}") from None


def new_entry(
    expression: str,
    prompt: str,
    *,
    recurring: bool = True,
    durable: bool = False,
    cwd: str | None = None,
    model: str | None = None,
    permission_mode: str | None = None,
    session_id: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """A validated entry, its first run computed (raises :class:`CronError` for a bad expression)."""
    now = time.time() if now is None else now
    if not prompt.strip():
        raise CronError("a cron entry needs a prompt")
    return {
        "id": uuid.uuid4().hex[:8],
        "cron": expression,
        "prompt": prompt,
        "recurring": recurring,
        "durable": durable,
        "cwd": cwd,
        "model": model,
        "permissionMode": permission_mode,
        "sessionId": session_id,
        "createdAt": now,
        "expiresAt": None if durable or not recurring else now + SESSION_ENTRY_TTL,
        "nextRun": next_fire(expression, now),
        "lastRun": None,
        "lastTaskId": None,
        "runs": 0,
        "skipped": 0,
        "lastSkipReason": None,
    }


async def fire_due(
    store: Store,
    now: float,
    submit: Callable[[TaskSpec], Awaitable[TaskRecord]],
    is_running: Callable[[str], bool],
) -> list[str]:
    """Fire every entry due at ``now`` through ``submit``; returns the ids of the tasks started.

    ``now`` is a parameter so tests drive the schedule with a fake clock.
    """
    started: list[str] = []
    for entry in store.list_cron():
        if entry.get("expiresAt") and now >= entry["expiresAt"]:
            store.delete_cron(entry["id"])
            continue
        if now < entry["nextRun"]:
            continue
        missed = entry["nextRun"] < now - 60  # more than a minute late: a supervisor was down
        if entry.get("lastTaskId") and is_running(entry["lastTaskId"]):
            entry["skipped"] += 1
            entry["lastSkipReason"] = f"previous run {entry['lastTaskId']} still running at {_stamp(now)}"
        else:
            spec = TaskSpec(
                kind="prompt",
                text=entry["prompt"],
                cwd=entry.get("cwd"),
                name=f"cron {entry['id']}",
                description=f"cron {entry['cron']}" + (" (catch-up of a missed run)" if missed else ""),
                model=entry.get("model"),
                permission_mode=entry.get("permissionMode"),
                parent_session_id=entry.get("sessionId"),
            )
            record = await submit(spec)
            started.append(record.id)
            entry["lastTaskId"] = record.id
            entry["lastRun"] = now
            entry["runs"] += 1
        if not entry["recurring"] and entry["runs"]:
            store.delete_cron(entry["id"])
            continue
        # from now, not from the missed time: the other missed runs are skipped
        entry["nextRun"] = next_fire(entry["cron"], now)
        store.update_cron(entry)
    return started


def _stamp(at: float) -> str:
    return datetime.fromtimestamp(at).astimezone().isoformat(timespec="seconds")
