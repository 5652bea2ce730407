"""Helpers for the task tests (processes, waiting, records as other processes see them)."""

from __future__ import annotations

import json
from pathlib import Path

from claw import TaskRecord, TaskStatus, process_start
from claw.testing import wait_for
from claw_agents.tasks.embedded import supervisor_pid
from claw_agents.tasks.store import Store


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    return process_start(pid) is not None


def record_of(claw_runner, task_id: str) -> TaskRecord:  # type: ignore[no-untyped-def]
    """The record as ``claw tasks show --json`` prints it from another process."""
    result = claw_runner.subprocess("tasks", "show", task_id, "--json")
    assert result.exit_code == 0, result.stderr
    return TaskRecord.model_validate(json.loads(result.stdout))


def final_statuses(root: Path) -> list[TaskStatus]:
    store = Store(root)
    try:
        return [r.status for r in store.list_tasks()]
    finally:
        store.close()


def running_supervisor(root: Path) -> int:
    """The pid of the supervisor for ``root`` once it has written it (never -1: ``kill(-1)`` is everyone)."""
    wait_for(lambda: (supervisor_pid(root) or 0) > 0, what="a supervisor")
    pid = supervisor_pid(root)
    assert pid and pid > 0
    return pid
