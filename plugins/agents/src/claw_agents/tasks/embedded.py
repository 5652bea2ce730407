"""The ``embedded`` task backend: detached tasks run by a supervisor process, state in SQLite.

This is the client side every process uses (a session's tools, ``claw tasks ...``): ``submit`` records a
pending task and makes sure a supervisor is up (starting one detached when none is), which starts it;
``get``/``list``/``output`` read the shared state, ``stop`` records the stop and ends the task's process
group itself, so it works even while no supervisor runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import claw
from claw import (
    TaskBackend,
    TaskFilter,
    TaskHandle,
    TaskOutputChunk,
    TaskRecord,
    TaskSpec,
    TaskStatus,
    process_start,
)

from claw_agents.tasks.store import Store, agents_dir

#: Seconds an on-demand supervisor lingers with nothing to run and no cron entry before it exits.
IDLE_EXIT_SECONDS = 60.0


def lock_path(root: Path) -> Path:
    return root / "supervisor.lock"


def supervisor_pid(root: Path) -> int | None:
    """The pid of the supervisor holding the lock under ``root``, or None when none runs."""
    path = lock_path(root)
    if not path.exists():
        return None
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            text = f.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(f, fcntl.LOCK_UN)
    return None


def ensure_supervisor(root: Path) -> int | None:
    """Start a supervisor for ``root`` unless one runs; returns the pid of the one started, else None.

    Detached (its own session, output to ``supervisor.log``) so it outlives the caller's terminal. The
    caller takes the lock and hands it to the child (an inherited descriptor keeps an ``flock``), so there is
    no moment in which a second caller could start a second supervisor.
    """
    fd = os.open(lock_path(root), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        os.ftruncate(fd, 0)
        with open(root / "supervisor.log", "ab") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "claw_agents.tasks.supervisor",
                    "--root",
                    str(root),
                    "--lock-fd",
                    str(fd),
                    "--idle-exit",
                    str(IDLE_EXIT_SECONDS),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                pass_fds=(fd,),
            )
        return proc.pid
    finally:
        os.close(fd)


def wake_supervisor(root: Path) -> None:
    """Ask the running supervisor to look for work now (SIGUSR1) rather than at its next poll."""
    pid = supervisor_pid(root)
    if pid and pid > 0:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGUSR1)


class EmbeddedTaskBackend(TaskBackend):
    """Detached tasks under a local supervisor process; in-process work as the kernel's ``local`` does."""

    name = "embedded"

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._store: Store | None = None
        self._local = claw.LocalTaskBackend()

    @property
    def root(self) -> Path:
        return self._root or agents_dir()

    @property
    def store(self) -> Store:
        if self._store is None or self._store.root != self.root:
            self._store = Store(self.root)
        return self._store

    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        return self._local.start(name, work)

    async def submit(self, spec: TaskSpec) -> TaskRecord:
        record = self.store.add_task(spec, self.name)
        if ensure_supervisor(self.root) is None:
            wake_supervisor(self.root)
        return record

    async def get(self, task_id: str) -> TaskRecord:
        return self.store.get_task(task_id)

    async def list(self, filter: TaskFilter | None = None) -> list[TaskRecord]:
        return self.store.list_tasks(filter)

    async def output(self, task_id: str, offset: int = 0, limit: int = 64 * 1024) -> TaskOutputChunk:
        record = self.store.get_task(task_id)
        path = record.output_path or str(self.store.output_path(task_id))
        text, nxt = claw.read_task_output(path, offset, limit)
        done = record.status.final and nxt >= (os.path.getsize(path) if os.path.exists(path) else 0)
        return TaskOutputChunk(text, nxt, done)

    async def wait(self, task_id: str, timeout: float | None = None) -> TaskRecord:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            record = self.store.get_task(task_id)
            if record.status.final or (deadline is not None and time.monotonic() >= deadline):
                return record
            await asyncio.sleep(0.05)

    async def stop(self, task_id: str) -> TaskRecord:
        def mark(record: TaskRecord) -> bool:
            if record.status.final:
                return False
            record.transition(TaskStatus.STOPPED, "stopped on request")
            return True

        record, changed = self.store.update_task(task_id, mark)
        if changed and record.pid and process_start(record.pid) == self.store.pid_start(task_id):
            await claw.stop_process_group(record.pid)
        return record
