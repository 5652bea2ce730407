"""The session file: one append-only JSONL file per session, ``<sessions dir>/<session id>.jsonl``.

Each line is one event ``{"type": ..., "ts": ..., ...}``. Lines are only ever appended: a file is
never rewritten in place, so a crash can at worst leave a torn last line, which :func:`read_events`
skips with a warning.

Durability: every event that matters (messages, compactions, retries, the end of a turn) is written and
flushed to the operating system before the loop goes on, so killing claw (``kill -9``) loses at most
the step in flight. The ``fsync`` that makes it survive a machine crash is issued right away too, but by
a background thread, so the loop does not wait ~1 ms on the disk twice per turn; :meth:`close` waits
for the last one.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import claw
from claw import ClawError, dumps


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SessionWriter:
    """Appends events to one session file.

    :param path: the file; created with its directory. ``None`` keeps nothing
        (``--no-session-persistence``).
    :param defer: create the file only when the first event that is not bookkeeping
        (:data:`BOOKKEEPING`) arrives, writing the held events first; a new session that ends with
        nothing recorded (an unknown ``/command`` in ``-p``, empty stream-json input) leaves no file.
        The directory is still created (and checked) at once, so a bad ``--session-dir`` fails early.
    """

    #: Events that alone do not make a session worth keeping.
    BOOKKEEPING = frozenset({"session_start", "session_end", "custom-title"})

    def __init__(self, path: Path | None, *, defer: bool = False) -> None:
        self.path = path
        self._fh: Any = None
        self._syncer: _Syncer | None = None
        #: Lines appended with ``sync=False``, written at the next sync.
        self._pending: list[bytes] = []
        #: The write error that stopped this writer (the file was left as it was before that write).
        self.failed: ClawError | None = None
        #: Events held back while the file is deferred (``None`` once it is open or never deferred).
        self._held: list[bytes] | None = None
        if path is None:
            return
        if defer:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _unwritable(path, exc) from None
            if not os.access(path.parent, os.W_OK):
                read_only = os.statvfs(path.parent).f_flag & os.ST_RDONLY
                why = (
                    OSError(30, "Read-only file system")
                    if read_only
                    else PermissionError(13, "Permission denied")
                )
                raise _unwritable(path, why)
            self._held = []
            return
        self._open()

    def _open(self) -> None:
        path = self.path
        assert path is not None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Unbuffered: each sync is one write this class controls, so a failed one can be undone.
            self._fh = open(path, "ab", buffering=0)  # noqa: SIM115 - kept open for the session's lifetime
        except OSError as exc:
            raise _unwritable(path, exc) from None
        _lock(self._fh, path)
        # A crash mid-write leaves a line without its newline: start on a fresh line so the torn
        # line stays one (skipped) line instead of corrupting the next event.
        if self._fh.tell() > 0:
            with open(path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    self._pending.append(b"\n")
        self._syncer = _Syncer(self._fh.fileno())

    def append(self, event: dict[str, Any], *, sync: bool = True) -> None:
        """Write one event. ``sync`` flushes it (and everything before it) and schedules an fsync."""
        event.setdefault("ts", now_iso())
        line = dumps(event, separators=(",", ":"), default=str).encode() + b"\n"
        if self._held is not None:
            self._held.append(line)
            if event.get("type") in self.BOOKKEEPING:
                return
            self._open()
            line, self._held = b"".join(self._held), None
        if self._fh is None:
            return
        self._pending.append(line)
        if sync:
            self.sync()

    def sync(self) -> None:
        """Write the pending lines, whole or not at all, and schedule an fsync.

        :raises ClawError: the write failed (a full disk, a removed mount): one line naming the file and
            the reason. The lines are cut off again so no torn line is left, and the writer stops: later
            events are dropped, since the run is ending with this error anyway.
        """
        if self._fh is None or not self._pending:
            return
        data, self._pending = b"".join(self._pending), []
        fd = self._fh.fileno()
        start = os.lseek(fd, 0, os.SEEK_END)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:
            self._stop(start, exc)
            raise self.failed from None  # type: ignore[misc]
        if self._syncer is not None:
            self._syncer.request()

    def _stop(self, start: int, exc: OSError) -> None:
        """Cut the file back to ``start`` (dropping a half-written line) and stop writing."""
        assert self.path is not None and self._fh is not None
        with contextlib.suppress(OSError):
            os.ftruncate(self._fh.fileno(), start)
        self.failed = ClawError(f"cannot write the session file {self.path}: {exc.strerror or exc}")
        if self._syncer is not None:
            self._syncer.stop()
            self._syncer = None
        with contextlib.suppress(OSError):
            self._fh.close()
        self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(ClawError):  # already raised to the run, which reports it
                self.sync()
        if self._fh is not None:
            if self._syncer is not None:
                self._syncer.stop()
            with contextlib.suppress(OSError):
                os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
            if self.path is not None and not self.path.exists():
                claw.warn(
                    f"the session file {self.path} was removed while claw ran; this session cannot be resumed",
                    once=False,
                )


def _unwritable(path: Path, exc: OSError) -> ClawError:
    return ClawError(
        f"cannot write the session file {path}: {exc.strerror}; "
        "use --session-dir, --fork-session or --no-session-persistence"
    )


def _lock(fh: Any, path: Path) -> None:
    """One writer per session: a second claw resuming the same session would interleave its events.
    The lock is advisory and dies with the process, so a killed run never leaves a session locked."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; sessions are still append-only
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise ClawError(
            f"session {path.stem} is in use by another claw process; use --fork-session"
        ) from None


class _Syncer(threading.Thread):
    """fsyncs a file descriptor whenever asked, coalescing requests that arrive while it works."""

    def __init__(self, fd: int) -> None:
        super().__init__(name="claw-session-fsync", daemon=True)
        self.fd = fd
        self._wake = threading.Event()
        self._done = False
        self.start()

    def request(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._done = True
        self._wake.set()
        self.join()

    def run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._done:
                return
            try:
                os.fsync(self.fd)
            except OSError:  # the file was closed under us: nothing left to sync
                return


def read_bytes(path: Path) -> bytes:
    """A session file's content. :raises ClawError: one line naming the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ClawError(f"cannot read the session file {path}: {exc.strerror}") from None


def read_events(path: Path) -> list[dict[str, Any]]:
    """All events of a session file. Unparseable lines (a torn last line after a crash) are skipped
    with a warning naming the line."""
    return parse_events(path, read_bytes(path))


def parse_events(path: Path, data: bytes) -> list[dict[str, Any]]:
    """:func:`read_events` for bytes already read from ``path``."""
    from pydantic_core import from_json

    lines = [line for line in data.split(b"\n") if line.strip()]
    try:  # one parse of the whole file, in Rust: about 4x faster than json.loads per line
        events = from_json(b"[" + b",".join(lines) + b"]")
    except ValueError:
        events = _read_lines(path, lines)
    objects = [e for e in events if isinstance(e, dict)]
    if len(objects) < len(events):
        claw.warn(f"{path}: {len(events) - len(objects)} line(s) that are not JSON objects skipped")
    return objects


def _read_lines(path: Path, lines: list[bytes]) -> list[Any]:
    events: list[Any] = []
    for i, line in enumerate(lines):
        try:
            events.append(json.loads(line))
        except ValueError:
            where = "torn last line" if i == len(lines) - 1 else f"unreadable line {i + 1} (of {len(lines)})"
            claw.warn(f"{path}: {where} skipped")
    return events
