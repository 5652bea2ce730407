"""What a Celery worker does with one task: run its spec in its own process group on this machine,
stream the output to Redis as it comes, keep a heartbeat, and record every state transition.

Stopping has two paths, so it works whichever lands first: ``stop`` marks the record ``stopped`` (this loop
sees it within :data:`HEARTBEAT_EVERY` s and ends the group) and revokes the Celery task with SIGTERM (the handler
installed here ends the group at once).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

import claw
from claw import TaskEvent, TaskRecord, TaskStatus

from claw_agents_celery.store import HEARTBEAT_EVERY, RedisStore

T = TypeVar("T")

#: Seconds the loop waits for output before it looks at the process and the clock again.
POLL = 0.2
#: Seconds between SIGTERM and SIGKILL when a task is stopped.
GRACE = 3.0
#: How long the final record write is retried while Redis is unreachable.
FINAL_WRITE_PATIENCE = 120.0


def run(store: RedisStore, task_id: str, hostname: str) -> TaskRecord:
    """Run the task ``task_id`` to its end and return its final record."""
    claimed = False

    def claim(rec: TaskRecord) -> bool:
        nonlocal claimed
        if rec.status is not TaskStatus.PENDING:  # stopped before a worker took it, or delivered twice
            return False
        claimed = True
        rec.transition(TaskStatus.RUNNING, f"worker {hostname}")
        return True

    record = store.update(task_id, claim)
    if not claimed:
        return record
    store.beat(task_id)
    stop = _Stopper()
    previous = signal.signal(signal.SIGTERM, stop.on_signal)  # before the start: a revoke may come at once
    try:
        try:
            proc = subprocess.Popen(
                claw.task_argv(record.spec),
                cwd=record.spec.cwd,
                env=claw.task_env(record.spec),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as e:
            error = f"could not start on {hostname}: {e}"
            store.forget_run(task_id)
            return store.update(task_id, lambda rec: _fail(rec, error))

        def started(rec: TaskRecord) -> bool:
            rec.pid = proc.pid
            if not rec.status.final:
                rec.events[-1].detail = f"worker {hostname} pid {proc.pid}"
            return True

        store.note_process(task_id, hostname, proc.pid, claw.process_start(proc.pid))
        if store.update(task_id, started).status.final:  # stopped between the claim and the start
            stop.requested = True
        stop.attach(proc.pid)
        _pump(store, task_id, proc, stop)
        code = proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return _finish(store, task_id, code)


class _Stopper:
    """Ends the task's process group: SIGTERM, then SIGKILL after :data:`GRACE` s. A stop asked for
    before the process exists is kept and carried out when it is attached."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.requested = False
        self.since: float | None = None

    def attach(self, pid: int) -> None:
        self.pid = pid
        if self.requested:
            self.now()

    def now(self) -> None:
        self.requested = True
        if self.pid is not None and self.since is None:
            self.since = time.monotonic()
            claw.kill_process_group(self.pid, signal.SIGTERM)

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.now()

    def escalate(self) -> None:
        if self.pid is not None and self.since is not None and time.monotonic() - self.since > GRACE:
            claw.kill_process_group(self.pid, signal.SIGKILL)


def _pump(store: RedisStore, task_id: str, proc: subprocess.Popen[bytes], stop: _Stopper) -> None:
    """Copy the output to Redis until the process has exited and its pipe is drained (output kept in
    memory while Redis is unreachable, written once it is back)."""
    import redis

    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    pending = b""
    last_check = 0.0
    eof = False
    while not eof:
        ready, _, _ = select.select([fd], [], [], POLL)
        if ready:
            data = os.read(fd, 65536)
            pending += data
            eof = not data
        elif proc.poll() is not None:
            eof = True  # exited; whatever still holds the pipe open is its own business
        now = time.monotonic()
        due = now - last_check >= HEARTBEAT_EVERY
        if not pending and not due and not eof:
            stop.escalate()
            continue
        try:
            if pending:
                store.append_output(task_id, pending)
                pending = b""
            if due:
                last_check = now
                store.beat(task_id)
                if store.get(task_id).status is TaskStatus.STOPPED:
                    stop.now()
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # kept; retried on the next round
        stop.escalate()
    if pending:
        _patiently(lambda: store.append_output(task_id, pending))


def _finish(store: RedisStore, task_id: str, code: int) -> TaskRecord:
    def end(rec: TaskRecord) -> bool:
        rec.exit_code = code
        if rec.status.final:  # stopped (or given up on) meanwhile: keep that, add the exit code
            return True
        if code == 0:
            rec.transition(TaskStatus.COMPLETED, "exit 0")
        else:
            _fail(rec, f"exit code {code}" if code > 0 else f"killed by signal {-code}")
        return True

    record = _patiently(lambda: store.update(task_id, end))
    _patiently(lambda: store.forget_run(task_id))
    return record


def end_orphans(store: RedisStore, worker: str) -> list[str]:
    """Run by a worker as it starts: end the process groups a previous worker of the same name left
    running when it was killed (``kill -9``: their tasks outlive it in their own sessions), and record it.
    A task whose heartbeat still beats belongs to a live worker of that name and is left alone; a pid is
    only trusted with the start time noted for it. Returns the ids of the tasks seen to."""
    seen = []
    for task_id, pid, started in store.processes_of(worker):
        if store.alive(task_id):
            continue
        ended = bool(started) and claw.process_start(pid) == started
        if ended:
            claw.kill_process_group(pid, signal.SIGKILL)
        detail = f"{worker} restarted: " + (
            f"ended the process group {pid} its previous run left"
            if ended
            else "the task's process had ended"
        )

        def note(rec: TaskRecord, detail: str = detail) -> bool:
            if rec.status is TaskStatus.RUNNING:
                rec.error = f"worker lost: {worker} was restarted (exit code unknown)"
                rec.transition(TaskStatus.FAILED, detail)
            else:
                rec.events.append(TaskEvent(at=time.time(), status=rec.status, detail=detail))
            return True

        with contextlib.suppress(KeyError):
            store.update(task_id, note)
        store.forget_run(task_id)
        seen.append(task_id)
    return seen


def _fail(rec: TaskRecord, error: str) -> bool:
    rec.error = error
    rec.transition(TaskStatus.FAILED, error)
    return True


def _patiently(write: Callable[[], T]) -> T:
    """``write`` retried while Redis is unreachable (a restart), for up to :data:`FINAL_WRITE_PATIENCE` s."""
    import redis

    deadline = time.monotonic() + FINAL_WRITE_PATIENCE
    while True:
        try:
            return write()
        except (redis.ConnectionError, redis.TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
