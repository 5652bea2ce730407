"""Task records and output in Redis, shared by clients on any machine and the workers running the tasks.

Keys (under the ``prefix`` setting): ``task:<id>`` the record as JSON, ``tasks`` a sorted set of ids by
creation time, ``out:<id>`` the output as one string (``APPEND`` by the worker, ``GETRANGE`` pages it by
byte offset, like a file), ``alive:<id>`` the running worker's heartbeat (expires when the worker dies),
``proc:<id>`` which worker runs it as which process (so that worker, restarted, can end what it left).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from claw import ClawError, TaskRecord, TaskStatus

from claw_agents_celery.config import CelerySettings, redacted

if TYPE_CHECKING:
    import redis

#: A running task's heartbeat lives this long; the worker renews it (and looks for a stop in the record)
#: every :data:`HEARTBEAT_EVERY` s.
HEARTBEAT_TTL = 5.0
HEARTBEAT_EVERY = 0.5


class RedisUnavailable(ClawError):
    """Redis cannot be reached: the message names the URL and the cause."""


class RedisStore:
    def __init__(self, settings: CelerySettings) -> None:
        import redis

        self.settings = settings
        self._p = settings.prefix
        self.redis: redis.Redis = redis.Redis.from_url(
            settings.broker_url, socket_connect_timeout=2, socket_timeout=10
        )

    @contextlib.contextmanager
    def reachable(self) -> Iterator[None]:
        """Turn a connection failure into one clear line (Redis is down, or the URL is wrong)."""
        import redis

        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise RedisUnavailable(
                f"celery backend: Redis at {redacted(self.settings.broker_url)} is unreachable ({e})"
            ) from None

    def _key(self, kind: str, task_id: str = "") -> str:
        return f"{self._p}:{kind}:{task_id}" if task_id else f"{self._p}:{kind}"

    def add(self, record: TaskRecord) -> None:
        pipe = self.redis.pipeline()
        pipe.set(self._key("task", record.id), record.model_dump_json())
        pipe.zadd(self._key("tasks"), {record.id: record.created_at})
        pipe.execute()

    def get(self, task_id: str) -> TaskRecord:
        raw = self.redis.get(self._key("task", task_id))
        if raw is None:
            raise KeyError(f"no task {task_id!r}")
        return TaskRecord.model_validate_json(raw)  # pyright: ignore[reportArgumentType]

    def all(self) -> list[TaskRecord]:
        ids = [i.decode() for i in self.redis.zrange(self._key("tasks"), 0, -1)]  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownVariableType]
        if not ids:
            return []
        raws = self.redis.mget([self._key("task", i) for i in ids])  # pyright: ignore[reportUnknownArgumentType]
        return [TaskRecord.model_validate_json(r) for r in raws if r is not None]  # pyright: ignore[reportGeneralTypeIssues,reportUnknownVariableType,reportArgumentType]

    def update(self, task_id: str, change: Callable[[TaskRecord], bool]) -> TaskRecord:
        """Apply ``change`` atomically (optimistic: retried when another writer got there first); it
        returns False to leave the record as it is. Returns the record as stored afterwards."""
        import redis

        key = self._key("task", task_id)
        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    if raw is None:
                        raise KeyError(f"no task {task_id!r}")
                    record = TaskRecord.model_validate_json(raw)  # pyright: ignore[reportArgumentType]
                    if not change(record):
                        pipe.unwatch()
                        return record
                    pipe.multi()
                    pipe.set(key, record.model_dump_json())
                    pipe.execute()
                    return record
                except redis.WatchError:
                    continue

    def append_output(self, task_id: str, data: bytes) -> None:
        self.redis.append(self._key("out", task_id), data)

    def read_output(self, task_id: str, offset: int, limit: int) -> bytes:
        if limit <= 0:
            return b""
        return self.redis.getrange(self._key("out", task_id), offset, offset + limit - 1)  # pyright: ignore[reportReturnType]

    def output_size(self, task_id: str) -> int:
        return int(self.redis.strlen(self._key("out", task_id)))  # pyright: ignore[reportArgumentType]

    def beat(self, task_id: str) -> None:
        self.redis.set(self._key("alive", task_id), "1", px=int(HEARTBEAT_TTL * 1000))

    def note_process(self, task_id: str, worker: str, pid: int, started: str | None) -> None:
        self.redis.hset(
            self._key("proc", task_id), mapping={"worker": worker, "pid": pid, "start": started or ""}
        )

    def forget_run(self, task_id: str) -> None:
        """The run has ended: no heartbeat, no process to see to."""
        self.redis.delete(self._key("alive", task_id), self._key("proc", task_id))

    def processes_of(self, worker: str) -> list[tuple[str, int, str]]:
        """``(task id, pid, start)`` of every task process ``worker`` started and has not seen end."""
        found = []
        for key in self.redis.scan_iter(match=self._key("proc", "*"), count=500):
            raw = {k.decode(): v.decode() for k, v in self.redis.hgetall(key).items()}  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownVariableType]
            if raw.get("worker") == worker:
                found.append((key.decode().rsplit(":", 1)[1], int(raw["pid"]), raw.get("start", "")))  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownArgumentType]
        return found

    def alive(self, task_id: str) -> bool:
        return bool(self.redis.exists(self._key("alive", task_id)))

    def reap(self, record: TaskRecord) -> TaskRecord:
        """A running task whose worker stopped beating (killed, machine gone) is marked failed, so no
        task stays ``running`` for ever; returns the record as it now stands."""
        now = time.time()
        if record.status is not TaskStatus.RUNNING or now - (record.started_at or now) < HEARTBEAT_TTL:
            return record
        if self.alive(record.id):
            return record

        def lost(rec: TaskRecord) -> bool:
            if rec.status is not TaskStatus.RUNNING or self.alive(rec.id):
                return False
            rec.error = f"worker lost: no heartbeat for {HEARTBEAT_TTL:g} s (exit code unknown)"
            rec.transition(TaskStatus.FAILED, rec.error)
            return True

        return self.update(record.id, lost)
