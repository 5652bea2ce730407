"""The embedded backend's supervisor: the one process that starts detached tasks and fires cron entries.

One per state directory (an exclusive ``flock`` on ``supervisor.lock``, released by the kernel however the
process dies). Each task runs in its own session (process group) under a small ``sh`` wrapper that writes
the exit code next to the output file, so a task outlives the supervisor and its result is still known.
On start it recovers what a previous supervisor left (after ``kill -9``): a running task whose process is
still alive (same pid *and* start time) is re-adopted and watched; one whose process is gone is finished
from its exit-code file, or marked failed when there is none; either way an event records it.

Run in the foreground with ``claw agents serve``; started on demand (detached) by ``submit``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import claw
from claw import TaskBackend, TaskRecord, TaskSpec, TaskStatus, process_start

from claw_agents.tasks import cron
from claw_agents.tasks.embedded import lock_path
from claw_agents.tasks.store import Store, agents_dir

#: How often the supervisor looks for new tasks, finished re-adopted processes and due cron entries; a
#: ``submit`` wakes it at once with SIGUSR1, so this bounds only the other checks.
POLL_SECONDS = 0.25
#: Runs the task and keeps its exit code in ``$0`` (the ``.exit`` file), for whoever outlives whom.
_WRAPPER = '"$@"; c=$?; echo $c > "$0"; exit $c'


def _log() -> Any:
    """The structlog logger, fetched after the first round of work: importing it costs an on-demand
    supervisor more than starting the task it was started for."""
    return claw.get_logger("claw_agents.supervisor")


class AlreadyRunning(claw.ClawError):
    """Another supervisor holds the lock for this state directory."""


def exit_file(record: TaskRecord) -> Path:
    return Path(f"{record.output_path}.exit")


class Supervisor:
    def __init__(
        self,
        store: Store,
        *,
        idle_exit: float | None = None,
        clock: Callable[[], float] = time.time,
        lock_fd: int | None = None,
    ):
        self.store = store
        self.idle_exit = idle_exit
        self.clock = clock
        self._children: dict[str, asyncio.Task[None]] = {}
        self._adopted: dict[str, int] = {}
        #: Cron runs fired on another backend (settings ``agents.backend``), until they end.
        self._remote: dict[str, TaskBackend] = {}
        #: A lock already taken for us by whoever started us on demand (``ensure_supervisor``).
        self._lock: int | None = lock_fd

    def acquire(self) -> None:
        """Take the lock (unless handed one) and write our pid into it, or raise :class:`AlreadyRunning`."""
        if self._lock is None:
            fd = os.open(lock_path(self.store.root), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = os.read(fd, 32).decode().strip()
                os.close(fd)
                raise AlreadyRunning(
                    f"a supervisor is already running for {self.store.root} (pid {pid})"
                ) from None
            self._lock = fd
        os.ftruncate(self._lock, 0)
        os.pwrite(self._lock, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    # -- recovery ---------------------------------------------------------------------------------------

    def recover(self) -> None:
        """Re-adopt or finish every task a previous supervisor left running; never drop one silently."""
        for record in self.store.list_tasks(claw.TaskFilter(statuses=[TaskStatus.RUNNING])):
            pid = record.pid
            started = process_start(pid) if pid else None
            if pid and started is not None and started == self.store.pid_start(record.id):
                self._adopted[record.id] = pid
                self._note(
                    record.id, f"re-adopted by supervisor pid {os.getpid()} (process {pid} still running)"
                )
            else:
                self._finish(record, None, "recovered after the supervisor stopped: ")

    def _note(self, task_id: str, detail: str) -> None:
        def add(record: TaskRecord) -> bool:
            record.events.append(claw.TaskEvent(at=time.time(), status=record.status, detail=detail))
            return True

        self.store.update_task(task_id, add)

    def _finish(self, record: TaskRecord, code: int | None, prefix: str = "") -> None:
        """Record how a task ended: from ``code`` (our own child) or its exit-code file (an adopted or
        orphaned one); a task with neither is failed with the reason said."""
        if code is None:
            with contextlib.suppress(OSError, ValueError):
                code = int(exit_file(record).read_text().strip())

        def end(rec: TaskRecord) -> bool:
            if rec.status.final:  # stopped meanwhile: keep that, add the exit code
                rec.exit_code = rec.exit_code if code is None else code
                return code is not None
            rec.exit_code = code
            if code == 0:
                rec.transition(TaskStatus.COMPLETED, prefix + "exit 0")
            else:
                if code is None:
                    rec.error = "the process ended while no supervisor watched it; exit code unknown"
                elif code < 0:
                    rec.error = f"killed by signal {-code}"
                else:
                    rec.error = f"exit code {code}"
                rec.transition(TaskStatus.FAILED, prefix + rec.error)
            return True

        self.store.update_task(record.id, end)

    # -- running tasks ----------------------------------------------------------------------------------

    async def _spawn(self, record: TaskRecord) -> None:
        spec = record.spec
        out = Path(record.output_path or self.store.output_path(record.id))
        try:
            with open(out, "ab") as sink:
                proc = await asyncio.create_subprocess_exec(
                    "/bin/sh",
                    "-c",
                    _WRAPPER,
                    str(exit_file(record)),
                    *claw.task_argv(spec),
                    cwd=spec.cwd,
                    env=claw.task_env(spec),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=sink,
                    stderr=asyncio.subprocess.STDOUT,
                    start_new_session=True,
                )
        except OSError as e:
            error = f"could not start: {e}"

            def fail(rec: TaskRecord) -> bool:
                if rec.status.final:
                    return False
                rec.error = error
                rec.transition(TaskStatus.FAILED, error)
                return True

            self.store.update_task(record.id, fail)
            return

        def run(rec: TaskRecord) -> bool:
            if rec.status is not TaskStatus.PENDING:
                return False
            rec.pid = proc.pid
            rec.transition(TaskStatus.RUNNING, f"started as pid {proc.pid}")
            return True

        _, started = self.store.update_task(record.id, run, pid_start=process_start(proc.pid))
        if not started:  # stopped between the claim and the start
            claw.kill_process_group(proc.pid, signal.SIGKILL)
        self._children[record.id] = asyncio.get_running_loop().create_task(self._watch(record, proc))

    async def _watch(self, record: TaskRecord, proc: asyncio.subprocess.Process) -> None:
        code = await proc.wait()
        self._finish(record, code)
        self._children.pop(record.id, None)

    def _check_adopted(self) -> None:
        for task_id, pid in list(self._adopted.items()):
            if process_start(pid) is None:
                del self._adopted[task_id]
                self._finish(self.store.get_task(task_id), None)

    async def tick(self, now: float | None = None) -> None:
        """One round: start pending tasks, finish re-adopted ones that ended, fire due cron entries."""
        for record in self.store.claim_pending():
            if record.id not in self._children:
                await self._spawn(record)
        self._check_adopted()
        await self._refresh_remote()
        await cron.fire_due(self.store, self.clock() if now is None else now, self._submit, self._is_open)

    async def _submit(self, spec: TaskSpec) -> TaskRecord:
        """A cron firing runs on the backend the entry's workspace settings select: with
        ``agents.backend: celery`` this supervisor is the fleet's scheduler (docs/agents.md)."""
        backend = self._backend_for(spec)
        if backend is None:
            return self.store.add_task(spec, "embedded")
        record = await backend.submit(spec)
        self._remote[record.id] = backend
        return record

    def _backend_for(self, spec: TaskSpec) -> TaskBackend | None:
        """The backend settings select for ``spec.cwd``, or None for this supervisor's own (embedded, or
        ``local``, which would die with it). Settings that cannot be used are logged and run here."""
        try:
            backend = claw.CommandContext.create(Path(spec.cwd) if spec.cwd else None).task_backend()
        except claw.ClawError as e:
            _log().error("cron firing runs on the embedded backend", reason=str(e), task=spec.name)
            return None
        return None if backend.name in ("embedded", "local") else backend

    async def _refresh_remote(self) -> None:
        """Forget fired remote runs that have ended (kept while their backend cannot say: no overlap)."""
        for task_id, backend in list(self._remote.items()):
            try:
                if (await backend.get(task_id)).status.final:
                    del self._remote[task_id]
            except KeyError:
                del self._remote[task_id]
            except claw.ClawError as e:
                _log().warning("cannot reach a task backend", backend=backend.name, reason=str(e))

    def _is_open(self, task_id: str) -> bool:
        if task_id in self._remote:
            return True
        try:
            return not self.store.get_task(task_id).status.final
        except KeyError:
            return False

    def _idle(self) -> bool:
        return (
            not self._children
            and not self._adopted
            and not self.store.count_open_tasks()
            and not (self.store.list_cron())
        )

    async def serve(self) -> None:
        """Run until signalled (SIGTERM/SIGINT) or, with ``idle_exit``, idle that long. Tasks keep running
        when it ends: they are in their own sessions, and the next supervisor re-adopts them."""
        stop, wake = asyncio.Event(), asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        # before the lock shows our pid: a SIGUSR1 must never find its default action (terminate)
        loop.add_signal_handler(signal.SIGUSR1, wake.set)
        self.acquire()
        try:
            self.recover()
            await self.tick()
            _log().info("supervisor started", root=str(self.store.root), pid=os.getpid())
            idle_since = time.monotonic()
            while not stop.is_set():
                wake.clear()
                await self.tick()
                if not self._idle():
                    idle_since = time.monotonic()
                elif self.idle_exit is not None and time.monotonic() - idle_since >= self.idle_exit:
                    _log().info("supervisor idle; exiting")
                    break
                waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
                await asyncio.wait(waiters, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED)
                for waiter in waiters:
                    waiter.cancel()
        finally:
            self.release()


def main(argv: list[str] | None = None) -> None:
    """``python -m claw_agents.tasks.supervisor``: how ``submit`` starts one on demand."""
    parser = argparse.ArgumentParser(prog="claw-agents-supervisor")
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--idle-exit", type=float, default=None)
    parser.add_argument("--lock-fd", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        store = Store(args.root or agents_dir())
        asyncio.run(Supervisor(store, idle_exit=args.idle_exit, lock_fd=args.lock_fd).serve())
    except AlreadyRunning:
        return


if __name__ == "__main__":
    main()
