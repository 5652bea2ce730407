"""The ``celery`` task backend (client side): records in Redis, work sent to Celery workers.

Every process that uses it (a session's tools, ``claw tasks ...`` on any machine) reads the same Redis,
so a task is visible, pageable and stoppable from anywhere. Settings reach it through
:meth:`claw.TaskBackend.configure` (``agents.celery``); in-process work (``start``) runs here, as in
the kernel's ``local`` backend.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import claw
from claw import TaskBackend, TaskFilter, TaskHandle, TaskOutputChunk, TaskRecord, TaskSpec, TaskStatus

from claw_agents_celery.app import TASK_NAME, make_app
from claw_agents_celery.config import CelerySettings, celery_settings, redacted
from claw_agents_celery.store import RedisStore

if TYPE_CHECKING:
    from celery import Celery

#: Seconds between looks at a task's record while waiting for it.
WAIT_POLL = 0.02


class CeleryTaskBackend(TaskBackend):
    name = "celery"

    def __init__(self, settings: CelerySettings | None = None) -> None:
        self._settings = settings or celery_settings({}, os.environ)
        self._store: RedisStore | None = None
        self._app: Celery | None = None
        self._local = claw.LocalTaskBackend()

    def configure(self, settings: Mapping[str, Any]) -> None:
        chosen = celery_settings(settings, os.environ)
        if chosen != self._settings:
            self._settings, self._store, self._app = chosen, None, None

    @property
    def store(self) -> RedisStore:
        if self._store is None:
            self._store = RedisStore(self._settings)
        return self._store

    @property
    def app(self) -> Celery:
        if self._app is None:
            self._app = make_app(self._settings)
        return self._app

    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        return self._local.start(name, work)

    async def submit(self, spec: TaskSpec) -> TaskRecord:
        task_id = uuid.uuid4().hex[:12]
        where = f"{redacted(self._settings.broker_url)} key {self._settings.prefix}:out:{task_id}"
        record = TaskRecord(id=task_id, spec=spec, backend=self.name, output_path=where)
        record.transition(TaskStatus.PENDING, f"submitted to queue {self._settings.queue}")
        with self.store.reachable():
            self.store.add(record)
            try:
                self.app.send_task(TASK_NAME, args=[task_id], task_id=task_id, queue=self._settings.queue)
            except Exception as e:  # kombu's errors vary by failure; none may leave a pending orphan
                error = f"could not queue: {e}"
                self.store.update(task_id, lambda rec: _failed(rec, error))
                raise
        return record

    async def get(self, task_id: str) -> TaskRecord:
        with self.store.reachable():
            return self.store.reap(self.store.get(task_id))

    async def list(self, filter: TaskFilter | None = None) -> list[TaskRecord]:
        flt = filter or TaskFilter()
        with self.store.reachable():
            records = [self.store.reap(r) for r in self.store.all()]
        return [r for r in records if flt.matches(r)]

    async def output(self, task_id: str, offset: int = 0, limit: int = 64 * 1024) -> TaskOutputChunk:
        with self.store.reachable():
            final = (await self.get(task_id)).status.final
            data = self.store.read_output(task_id, offset, limit)
            size = self.store.output_size(task_id) if final else 0
        text, nxt = claw.decode_task_output(data, offset, limit)
        return TaskOutputChunk(text, nxt, final and nxt >= size)

    async def wait(self, task_id: str, timeout: float | None = None) -> TaskRecord:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            record = await self.get(task_id)
            if record.status.final or (deadline is not None and time.monotonic() >= deadline):
                return record
            await asyncio.sleep(WAIT_POLL)

    async def stop(self, task_id: str) -> TaskRecord:
        def stopped(rec: TaskRecord) -> bool:
            if rec.status.final:
                return False
            rec.transition(TaskStatus.STOPPED, "stopped on request")
            return True

        with self.store.reachable():
            before = self.store.get(task_id)
            record = self.store.update(task_id, stopped)
            if not before.status.final and record.status is TaskStatus.STOPPED:
                self.app.control.revoke(task_id, terminate=True, signal="SIGTERM")
        return record


def _failed(rec: TaskRecord, error: str) -> bool:
    rec.error = error
    rec.transition(TaskStatus.FAILED, error)
    return True
