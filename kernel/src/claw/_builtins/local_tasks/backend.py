"""The ``local`` task backend: in-process work on the running event loop, detached tasks as child
processes of this process (so they end with it). :mod:`claw._tasks` holds the contract; :mod:`.processes`
the process helpers it shares with other backends."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from claw._builtins.local_tasks.processes import read_task_output, stop_process_group, task_argv, task_env
from claw._tasks import (
    TaskBackend,
    TaskFilter,
    TaskHandle,
    TaskOutputChunk,
    TaskRecord,
    TaskSpec,
    TaskStatus,
)


class _LocalHandle(TaskHandle):
    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.id = task.get_name()
        self._task = task

    def done(self) -> bool:
        return self._task.done()

    async def result(self) -> Any:
        return await self._task

    async def cancel(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class LocalTaskBackend(TaskBackend):
    """Runs tasks on the running event loop (the handle's id is the ``name`` given to :meth:`start`:
    make it unique; a sub-agent's is its session id); detached tasks are child processes of this
    process, their records kept in memory and their output in a temporary directory (so they end with it)."""

    name = "local"

    def __init__(self) -> None:
        self._records: dict[str, TaskRecord] = {}
        self._procs: dict[str, asyncio.subprocess.Process] = {}
        self._watchers: dict[str, asyncio.Task[None]] = {}
        self._dir: Path | None = None
        self._handles: dict[str, TaskHandle] = {}

    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        async def _run() -> Any:
            return await work()

        handle = _LocalHandle(asyncio.get_running_loop().create_task(_run(), name=name))
        self._handles[handle.id] = handle
        return handle

    def handle(self, task_id: str) -> TaskHandle | None:
        """The handle of in-process work started here (:meth:`start`), or ``None``: how a tool finds a
        background sub-agent by its id (``claw_register_task_backends``)."""
        return self._handles.get(task_id)

    def handles(self) -> list[TaskHandle]:
        """Every piece of in-process work started here, oldest first."""
        return list(self._handles.values())

    async def submit(self, spec: TaskSpec) -> TaskRecord:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="claw-tasks-"))
        task_id = uuid.uuid4().hex[:12]
        out = self._dir / f"{task_id}.log"
        record = TaskRecord(id=task_id, spec=spec, backend=self.name, output_path=str(out))
        record.transition(TaskStatus.PENDING, "submitted")
        self._records[task_id] = record
        with open(out, "wb") as sink:
            try:
                proc = await asyncio.create_subprocess_exec(
                    *task_argv(spec),
                    cwd=spec.cwd,
                    env=task_env(spec),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=sink,
                    stderr=asyncio.subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as e:
                record.error = f"could not start: {e}"
                record.transition(TaskStatus.FAILED, record.error)
                return record.model_copy(deep=True)
        record.pid = proc.pid
        record.transition(TaskStatus.RUNNING, f"pid {proc.pid}")
        self._procs[task_id] = proc
        self._watchers[task_id] = asyncio.get_running_loop().create_task(self._watch(record, proc))
        return record.model_copy(deep=True)

    async def _watch(self, record: TaskRecord, proc: asyncio.subprocess.Process) -> None:
        record.exit_code = code = await proc.wait()
        if record.status.final:  # stopped meanwhile
            return
        if code == 0:
            record.transition(TaskStatus.COMPLETED, "exit 0")
        else:
            record.error = f"exit code {code}"
            record.transition(TaskStatus.FAILED, record.error)

    def _record(self, task_id: str) -> TaskRecord:
        try:
            return self._records[task_id]
        except KeyError:
            raise KeyError(f"no task {task_id!r}") from None

    async def get(self, task_id: str) -> TaskRecord:
        return self._record(task_id).model_copy(deep=True)

    async def list(self, filter: TaskFilter | None = None) -> list[TaskRecord]:
        flt = filter or TaskFilter()
        return [r.model_copy(deep=True) for r in self._records.values() if flt.matches(r)]

    async def output(self, task_id: str, offset: int = 0, limit: int = 64 * 1024) -> TaskOutputChunk:
        record = self._record(task_id)
        final = record.status.final
        text, nxt = read_task_output(record.output_path or "", offset, limit)
        size = os.path.getsize(record.output_path) if record.output_path and final else 0
        return TaskOutputChunk(text, nxt, final and nxt >= size)

    async def wait(self, task_id: str, timeout: float | None = None) -> TaskRecord:
        record = self._record(task_id)
        watcher = self._watchers.get(task_id)
        if watcher is not None and not record.status.final:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(watcher), timeout)
        return record.model_copy(deep=True)

    async def stop(self, task_id: str) -> TaskRecord:
        record = self._record(task_id)
        proc = self._procs.get(task_id)
        if not record.status.final and proc is not None:
            record.transition(TaskStatus.STOPPED, "stopped on request")
            await stop_process_group(proc.pid)
            with contextlib.suppress(ProcessLookupError):
                await proc.wait()
            record.exit_code = proc.returncode
        return record.model_copy(deep=True)
