"""The workers' record: one SQLite file under the state dir, shared by every ``claw`` process.

A worker's host process writes its transitions here, tools and ``claw workers`` read them, and prompts
travel through the ``inbox`` table, so a worker can be driven and observed from any terminal. WAL mode
and a busy timeout let several processes write at once; claims (lanes) use ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The observable states, in the order a healthy worker walks them.
STATES = ("spawning", "trust_required", "ready_for_prompt", "running", "finished", "failed")
#: Why a worker failed (the seed's failure classes).
FAILURE_CLASSES = ("trust_gate", "prompt_delivery", "protocol", "provider")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workers (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, team TEXT, cwd TEXT NOT NULL, model TEXT,
    permission_mode TEXT, lane TEXT, state TEXT NOT NULL, failure_class TEXT, failure TEXT,
    host_pid INTEGER, pid INTEGER, session_id TEXT, approved INTEGER NOT NULL DEFAULT 0,
    stop_requested INTEGER NOT NULL DEFAULT 0, last_result TEXT, mcp TEXT,
    created_at REAL NOT NULL, updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, worker_id TEXT NOT NULL, at REAL NOT NULL,
    kind TEXT NOT NULL, state TEXT, detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS events_worker ON events (worker_id, seq);
CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, worker_id TEXT NOT NULL, text TEXT NOT NULL,
    sender TEXT, summary TEXT, created_at REAL NOT NULL, delivered_at REAL, attempts INTEGER NOT NULL DEFAULT 0,
    finished_at REAL, result TEXT, is_error INTEGER
);
CREATE TABLE IF NOT EXISTS teams (name TEXT PRIMARY KEY, description TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS lanes (
    branch TEXT NOT NULL, repo TEXT NOT NULL, base TEXT NOT NULL, worktree TEXT NOT NULL,
    holder TEXT, claimed_at REAL, PRIMARY KEY (repo, branch)
);
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, scenario TEXT NOT NULL, subject TEXT NOT NULL,
    outcome TEXT NOT NULL, steps TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
);
"""


def db_path(env: Mapping[str, str] | None = None) -> Path:
    """``<state dir>/agents/workers.db`` (``claw.state_dir``: ``$CLAW_STATE_DIR`` or ``$XDG_STATE_HOME/claw``)."""
    import claw

    return claw.state_dir(env) / "agents" / "workers.db"


@dataclass(frozen=True)
class Worker:
    """A worker's record as stored (times are Unix epoch seconds)."""

    id: str
    name: str
    team: str | None
    cwd: str
    model: str | None
    permission_mode: str | None
    lane: str | None
    state: str
    failure_class: str | None
    failure: str | None
    host_pid: int | None
    pid: int | None
    session_id: str | None
    approved: int
    stop_requested: int
    last_result: str | None
    mcp: str | None
    created_at: float
    updated_at: float

    def to_json(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["approved"] = bool(self.approved)
        data["stop_requested"] = bool(self.stop_requested)
        data["mcp"] = json.loads(self.mcp) if self.mcp else None
        return data


class Store:
    """The SQLite file, opened per call site (connections are cheap; each process opens its own)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            yield db
        finally:
            db.close()

    # -- workers ----------------------------------------------------------------------------------

    def create_worker(
        self,
        *,
        name: str,
        cwd: str,
        model: str | None = None,
        permission_mode: str | None = None,
        team: str | None = None,
        lane: str | None = None,
    ) -> Worker:
        now = time.time()
        worker_id = "w-" + uuid.uuid4().hex[:10]
        with self.connect() as db:
            db.execute(
                "INSERT INTO workers (id, name, team, cwd, model, permission_mode, lane, state, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'spawning', ?, ?)",
                (worker_id, name, team, cwd, model, permission_mode, lane, now, now),
            )
            db.execute(
                "INSERT INTO events (worker_id, at, kind, state, detail) VALUES (?, ?, 'created', NULL, ?)",
                (worker_id, now, f"in {cwd}"),
            )
        return self.worker(worker_id)

    def worker(self, ref: str) -> Worker:
        """The worker with id or name ``ref`` (the newest of that name).

        :raises KeyError: no such worker.
        """
        with self.connect() as db:
            row = db.execute(
                "SELECT * FROM workers WHERE id = ? OR name = ? ORDER BY created_at DESC LIMIT 1", (ref, ref)
            ).fetchone()
        if row is None:
            raise KeyError(ref)
        return Worker(**dict(row))

    def workers(self, team: str | None = None) -> list[Worker]:
        with self.connect() as db:
            if team is None:
                rows = db.execute("SELECT * FROM workers ORDER BY created_at").fetchall()
            else:
                rows = db.execute(
                    "SELECT * FROM workers WHERE team = ? ORDER BY created_at", (team,)
                ).fetchall()
        return [Worker(**dict(r)) for r in rows]

    def update(self, worker_id: str, **fields: Any) -> None:
        """Set record fields that are not the state (pids, session id, approval, results)."""
        cols = ", ".join(f"{k} = ?" for k in fields)
        with self.connect() as db:
            db.execute(
                f"UPDATE workers SET {cols}, updated_at = ? WHERE id = ?",
                (*fields.values(), time.time(), worker_id),
            )

    def transition(
        self, worker_id: str, state: str, detail: str = "", failure_class: str | None = None
    ) -> None:
        """Move ``worker_id`` to ``state``, recording the transition as an event."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            _transition(db, worker_id, state, detail, failure_class)
            db.execute("COMMIT")

    def finish(self, worker_id: str, prompt_id: int, result: str, is_error: bool) -> None:
        """Record a prompt's result and the worker ``finished`` at once, so nobody sees one without the other."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "UPDATE inbox SET finished_at = ?, result = ?, is_error = ? WHERE id = ?",
                (time.time(), result, int(is_error), prompt_id),
            )
            db.execute("UPDATE workers SET last_result = ? WHERE id = ?", (result, worker_id))
            _transition(db, worker_id, "finished", f"prompt {prompt_id}: {result[:200]}")
            db.execute("COMMIT")

    def note(self, worker_id: str, kind: str, detail: str) -> None:
        """Record an event that is not a transition (a prompt delivered, output, a recovery step)."""
        with self.connect() as db:
            db.execute(
                "INSERT INTO events (worker_id, at, kind, state, detail) VALUES (?, ?, ?, NULL, ?)",
                (worker_id, time.time(), kind, detail),
            )

    def events(self, worker_id: str, after: int = 0) -> list[dict[str, Any]]:
        with self.connect() as db:
            rows = db.execute(
                "SELECT seq, at, kind, state, detail FROM events WHERE worker_id = ? AND seq > ? ORDER BY seq",
                (worker_id, after),
            ).fetchall()
        return [dict(r) for r in rows]

    # -- prompts ----------------------------------------------------------------------------------

    def enqueue(
        self, worker_id: str, text: str, *, sender: str | None = None, summary: str | None = None
    ) -> int:
        with self.connect() as db:
            cursor = db.execute(
                "INSERT INTO inbox (worker_id, text, sender, summary, created_at) VALUES (?, ?, ?, ?, ?)",
                (worker_id, text, sender, summary, time.time()),
            )
        return int(cursor.lastrowid or 0)

    def next_prompt(self, worker_id: str) -> dict[str, Any] | None:
        """The oldest prompt not yet finished (a delivered one that never finished comes first: it is
        re-delivered after a restart)."""
        with self.connect() as db:
            row = db.execute(
                "SELECT * FROM inbox WHERE worker_id = ? AND finished_at IS NULL ORDER BY id LIMIT 1",
                (worker_id,),
            ).fetchone()
        return dict(row) if row else None

    def mark_prompt(self, prompt_id: int, **fields: Any) -> None:
        cols = ", ".join(f"{k} = ?" for k in fields)
        with self.connect() as db:
            db.execute(f"UPDATE inbox SET {cols} WHERE id = ?", (*fields.values(), prompt_id))

    def prompt(self, prompt_id: int) -> dict[str, Any]:
        with self.connect() as db:
            row = db.execute("SELECT * FROM inbox WHERE id = ?", (prompt_id,)).fetchone()
        if row is None:
            raise KeyError(prompt_id)
        return dict(row)

    def prompts(self, worker_id: str) -> list[dict[str, Any]]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM inbox WHERE worker_id = ? ORDER BY id", (worker_id,)).fetchall()
        return [dict(r) for r in rows]

    # -- teams ------------------------------------------------------------------------------------

    def create_team(self, name: str, description: str = "") -> None:
        """:raises ValueError: a team of that name exists."""
        with self.connect() as db:
            try:
                db.execute(
                    "INSERT INTO teams (name, description, created_at) VALUES (?, ?, ?)",
                    (name, description, time.time()),
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"team {name!r} already exists") from None

    def team(self, name: str) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM teams WHERE name = ?", (name,)).fetchone()
        return dict(row) if row else None

    def delete_team(self, name: str) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM teams WHERE name = ?", (name,))

    # -- lanes ------------------------------------------------------------------------------------

    def claim_lane(self, *, repo: str, branch: str, base: str, worktree: str, holder: str) -> dict[str, Any]:
        """Give the lane ``(repo, branch)`` to ``holder``, creating it on first claim.

        :raises LaneHeld: another live holder has it.
        """
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT * FROM lanes WHERE repo = ? AND branch = ?", (repo, branch)).fetchone()
            if row is not None and row["holder"] and row["holder"] != holder and _holds(db, row["holder"]):
                db.execute("ROLLBACK")
                raise LaneHeld(branch, row["holder"])
            if row is None:
                db.execute(
                    "INSERT INTO lanes (branch, repo, base, worktree, holder, claimed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (branch, repo, base, worktree, holder, time.time()),
                )
            else:
                db.execute(
                    "UPDATE lanes SET holder = ?, claimed_at = ? WHERE repo = ? AND branch = ?",
                    (holder, time.time(), repo, branch),
                )
            db.execute("COMMIT")
        return self.lane(repo, branch)

    def lane(self, repo: str, branch: str) -> dict[str, Any]:
        with self.connect() as db:
            row = db.execute("SELECT * FROM lanes WHERE repo = ? AND branch = ?", (repo, branch)).fetchone()
        if row is None:
            raise KeyError(branch)
        return dict(row)

    def lane_of(self, holder: str) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM lanes WHERE holder = ?", (holder,)).fetchone()
        return dict(row) if row else None

    def lanes(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            return [dict(r) for r in db.execute("SELECT * FROM lanes ORDER BY repo, branch").fetchall()]

    def release_lane(self, holder: str) -> None:
        with self.connect() as db:
            db.execute("UPDATE lanes SET holder = NULL, claimed_at = NULL WHERE holder = ?", (holder,))

    # -- ledger -----------------------------------------------------------------------------------

    def record(
        self, scenario: str, subject: str, outcome: str, steps: list[dict[str, Any]], detail: str = ""
    ) -> int:
        with self.connect() as db:
            cursor = db.execute(
                "INSERT INTO ledger (at, scenario, subject, outcome, steps, detail) VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), scenario, subject, outcome, json.dumps(steps), detail),
            )
        return int(cursor.lastrowid or 0)

    def ledger(self, subject: str | None = None) -> list[dict[str, Any]]:
        with self.connect() as db:
            if subject is None:
                rows = db.execute("SELECT * FROM ledger ORDER BY id").fetchall()
            else:
                rows = db.execute("SELECT * FROM ledger WHERE subject = ? ORDER BY id", (subject,)).fetchall()
        return [{**dict(r), "steps": json.loads(r["steps"])} for r in rows]


def _transition(
    db: sqlite3.Connection, worker_id: str, state: str, detail: str, failure_class: str | None = None
) -> None:
    assert state in STATES, state
    assert failure_class is None or failure_class in FAILURE_CLASSES, failure_class
    now = time.time()
    db.execute(
        "UPDATE workers SET state = ?, failure_class = ?, failure = ?, updated_at = ? WHERE id = ?",
        (state, failure_class, detail if state == "failed" else None, now, worker_id),
    )
    text = f"{failure_class}: {detail}" if failure_class else detail
    db.execute(
        "INSERT INTO events (worker_id, at, kind, state, detail) VALUES (?, ?, 'transition', ?, ?)",
        (worker_id, now, state, text),
    )


class LaneHeld(Exception):
    """A second claim on a lane whose holder is alive."""

    def __init__(self, branch: str, holder: str) -> None:
        super().__init__(f"lane {branch!r} is held by worker {holder}; one worker per lane at a time")
        self.branch = branch
        self.holder = holder


def _holds(db: sqlite3.Connection, worker_id: str) -> bool:
    """Whether ``worker_id`` still holds its lane: its host process is alive and it was not terminated."""
    row = db.execute("SELECT host_pid, stop_requested FROM workers WHERE id = ?", (worker_id,)).fetchone()
    return bool(row) and not row["stop_requested"] and alive(row["host_pid"])


def alive(pid: int | None) -> bool:
    """Whether process ``pid`` exists (and is not a zombie waiting for its parent)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def store(env: Mapping[str, str] | None = None) -> Store:
    return Store(db_path(env))
