"""The session file: one append-only JSONL file per session, ``<sessions dir>/<session id>.jsonl``.

Each line is one event ``{"type": ..., "ts": ..., ...}``. Lines are only ever appended: a file is
never rewritten in place, so a crash can at worst leave a torn last line, which :func:`read_events`
skips with a warning. Events that matter (messages, compactions, the end of a turn) are flushed and
fsynced before the loop goes on, so ``kill -9`` loses at most the step in flight.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claw import console


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SessionWriter:
    """Appends events to one session file.

    :param path: the file; created with its directory. ``None`` keeps nothing
        (``--no-session-persistence``).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fh: Any = None
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "ab")  # noqa: SIM115 - kept open for the session's lifetime
        # A crash mid-write leaves a line without its newline: start on a fresh line so the torn
        # line stays one (skipped) line instead of corrupting the next event.
        if self._fh.tell() > 0:
            with open(path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    self._fh.write(b"\n")

    def append(self, event: dict[str, Any], *, sync: bool = True) -> None:
        """Write one event. ``sync`` flushes and fsyncs it (and everything written before it)."""
        if self._fh is None:
            return
        event.setdefault("ts", now_iso())
        self._fh.write(
            json.dumps(event, separators=(",", ":"), ensure_ascii=False, default=str).encode() + b"\n"
        )
        if sync:
            self.sync()

    def sync(self) -> None:
        if self._fh is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None


def read_events(path: Path) -> list[dict[str, Any]]:
    """All events of a session file. Unparseable lines (a torn last line after a crash) are skipped
    with a warning naming the line."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    events: list[dict[str, Any]] = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            where = "torn last line" if i >= last - 1 else f"unreadable line {i + 1}"
            console.warn(f"{path}: {where} skipped")
            continue
        if isinstance(event, dict):
            events.append(event)
    return events
