"""The embedded backend's state: one SQLite database under ``$XDG_STATE_HOME/claw/agents``.

Every process (the supervisor, ``claw tasks list`` in another terminal, a session's tools) opens the same
file; WAL mode lets readers run beside the supervisor's writes, and every read-modify-write of a task runs
in one ``BEGIN IMMEDIATE`` transaction so a stop and a process exit cannot overwrite each other. Three
tables: detached tasks (a :class:`claw.TaskRecord` as JSON), cron entries, and the shared task list.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import claw
from claw import TaskFilter, TaskRecord, TaskSpec, TaskStatus

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    -- the start time of ``pid`` (from /proc), so a recycled pid is never mistaken for the task
    pid_start TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status);
CREATE TABLE IF NOT EXISTS cron (
    id TEXT PRIMARY KEY,
    entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    list_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (list_id, id)
);
"""


def agents_dir(env: Mapping[str, str] | None = None) -> Path:
    """``<state dir>/agents``: the database, task output files and the supervisor's lock and log."""
    return claw.state_dir(env) / "agents"


def open_store(env: Mapping[str, str] | None = None) -> Store:
    """The store of the state directory ``env`` (default: this process's environment) names."""
    return Store(agents_dir(env))


class Store:
    """The SQLite file plus the directory of output files beside it."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or agents_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "output").mkdir(exist_ok=True)
        self._db = sqlite3.connect(self.root / "agents.db", timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so concurrent read-modify-writes serialise."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- detached tasks -------------------------------------------------------------------------------

    def output_path(self, task_id: str) -> Path:
        return self.root / "output" / f"{task_id}.log"

    def add_task(self, spec: TaskSpec, backend: str) -> TaskRecord:
        task_id = uuid.uuid4().hex[:12]
        record = TaskRecord(
            id=task_id, spec=spec, backend=backend, output_path=str(self.output_path(task_id))
        )
        record.transition(TaskStatus.PENDING, "submitted")
        with self.transaction() as db:
            db.execute(
                "INSERT INTO tasks (id, status, created_at, record) VALUES (?, ?, ?, ?)",
                (task_id, record.status.value, record.created_at, record.model_dump_json()),
            )
        return record

    def get_task(self, task_id: str) -> TaskRecord:
        row = self._db.execute("SELECT record FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            raise KeyError(f"no task {task_id!r}")
        return TaskRecord.model_validate_json(row[0])

    def list_tasks(self, flt: TaskFilter | None = None) -> list[TaskRecord]:
        flt = flt or TaskFilter()
        sql, args = "SELECT record FROM tasks", []
        if flt.statuses is not None:
            sql += f" WHERE status IN ({','.join('?' * len(flt.statuses))})"
            args = [s.value for s in flt.statuses]
        rows = self._db.execute(sql + " ORDER BY created_at, id", args).fetchall()
        return [r for r in (TaskRecord.model_validate_json(row[0]) for row in rows) if flt.matches(r)]

    def update_task(
        self, task_id: str, change: Callable[[TaskRecord], bool], pid_start: str | None = None
    ) -> tuple[TaskRecord, bool]:
        """Apply ``change`` to the stored record atomically; it returns False to leave the record as it
        was. Returns the record as it now stands and whether it changed."""
        with self.transaction() as db:
            row = db.execute("SELECT record FROM tasks WHERE id = ?", (task_id,)).fetchone()
            if row is None:
                raise KeyError(f"no task {task_id!r}")
            record = TaskRecord.model_validate_json(row[0])
            if not change(record):
                return TaskRecord.model_validate_json(row[0]), False
            db.execute(
                "UPDATE tasks SET status = ?, record = ?, pid_start = COALESCE(?, pid_start) WHERE id = ?",
                (record.status.value, record.model_dump_json(), pid_start, task_id),
            )
        return record, True

    def pid_start(self, task_id: str) -> str | None:
        row = self._db.execute("SELECT pid_start FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return row[0] if row else None

    def claim_pending(self) -> list[TaskRecord]:
        """The pending tasks, oldest first (only the supervisor starts them, so no claim race)."""
        rows = self._db.execute(
            "SELECT record FROM tasks WHERE status = ? ORDER BY created_at", (TaskStatus.PENDING.value,)
        ).fetchall()
        return [TaskRecord.model_validate_json(r[0]) for r in rows]

    def count_open_tasks(self) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM tasks WHERE status IN (?, ?)",
            (TaskStatus.PENDING.value, TaskStatus.RUNNING.value),
        ).fetchone()
        return int(row[0])

    # -- cron entries -----------------------------------------------------------------------------------

    def put_cron(self, entry: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO cron (id, entry) VALUES (?, ?)", (entry["id"], json.dumps(entry))
            )

    def update_cron(self, entry: dict[str, Any]) -> None:
        """Save a changed entry unless it was deleted meanwhile (a ``CronDelete`` wins over a firing)."""
        with self.transaction() as db:
            db.execute("UPDATE cron SET entry = ? WHERE id = ?", (json.dumps(entry), entry["id"]))

    def list_cron(self) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT entry FROM cron ORDER BY rowid").fetchall()
        return [json.loads(r[0]) for r in rows]

    def delete_cron(self, entry_id: str) -> bool:
        with self.transaction() as db:
            return db.execute("DELETE FROM cron WHERE id = ?", (entry_id,)).rowcount > 0

    # -- the shared task list ---------------------------------------------------------------------------

    def list_items(self, list_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT item FROM items WHERE list_id = ? ORDER BY id", (list_id,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def add_item(self, list_id: str, item: dict[str, Any]) -> dict[str, Any]:
        with self.transaction() as db:
            row = db.execute(
                "SELECT COALESCE(MAX(id), 0) FROM items WHERE list_id = ?", (list_id,)
            ).fetchone()
            item = {"id": str(int(row[0]) + 1), **item, "createdAt": time.time()}
            db.execute(
                "INSERT INTO items (list_id, id, item) VALUES (?, ?, ?)",
                (list_id, int(item["id"]), json.dumps(item)),
            )
        return item

    def edit_items(
        self, list_id: str, change: Callable[[dict[str, dict[str, Any]]], set[str]]
    ) -> dict[str, dict[str, Any]]:
        """Run ``change`` on the whole list (id -> item) in one transaction; it returns the ids it changed
        (an item it removed from the mapping is deleted)."""
        with self.transaction() as db:
            rows = db.execute("SELECT item FROM items WHERE list_id = ?", (list_id,)).fetchall()
            items = {i["id"]: i for i in (json.loads(r[0]) for r in rows)}
            for item_id in change(items):
                if item_id in items:
                    db.execute(
                        "UPDATE items SET item = ? WHERE list_id = ? AND id = ?",
                        (json.dumps(items[item_id]), list_id, int(item_id)),
                    )
                else:
                    db.execute("DELETE FROM items WHERE list_id = ? AND id = ?", (list_id, int(item_id)))
        return items
