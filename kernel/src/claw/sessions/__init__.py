"""Sessions: durable, append-only transcripts that runs can resume and fork.

A session lives in ``<sessions dir>/<session id>.jsonl`` where the sessions dir is
``claw.paths.sessions_dir(workspace)`` (``$XDG_STATE_HOME/claw/projects/<workspace slug>/``) or
``--session-dir``. See ``docs/sessions.md`` for the event vocabulary.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claw.errors import ClawError
from claw.messages import Message
from claw.sessions.history import SessionState, interrupted_results, replay
from claw.sessions.store import SessionWriter, read_events

__all__ = [
    "Session",
    "SessionState",
    "SessionSummary",
    "find_session",
    "list_sessions",
    "load_state",
    "new_session_id",
    "open_session",
]


def new_session_id() -> str:
    return str(uuid.uuid4())


def _check_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ClawError(f"--session-id must be a UUID, got {value!r}") from None


class Session:
    """A session being written: its id, file, replayed state and writer."""

    def __init__(self, state: SessionState, writer: SessionWriter) -> None:
        self.state = state
        self.writer = writer

    @property
    def id(self) -> str:
        return self.state.session_id

    @property
    def path(self) -> Path | None:
        return self.writer.path

    @property
    def messages(self) -> list[Message]:
        return self.state.messages

    def record(self, type: str, *, sync: bool = True, **fields: Any) -> None:
        """Append one event (``sync`` fsyncs it; see :class:`SessionWriter`)."""
        self.writer.append({"type": type, **fields}, sync=sync)

    def add_message(self, message: Message, **fields: Any) -> None:
        """Append a message to the history and the file (fsynced)."""
        self.state.messages.append(message)
        self.record(message.role, message=message.model_dump(mode="json", exclude_none=True), **fields)

    def close(self) -> None:
        self.writer.close()


def find_session(spec: str, directory: Path) -> Path:
    """The file for ``--resume`` ``spec``: a path, ``latest`` (newest in ``directory``) or a session id.

    :raises ClawError: when nothing matches.
    """
    candidate = Path(spec).expanduser()
    if spec.endswith(".jsonl") or candidate.is_file():
        if not candidate.is_file():
            raise ClawError(f"no such session file: {candidate}")
        return candidate
    if spec == "latest":
        files = (
            sorted(directory.glob("*.jsonl"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []
        )
        if not files:
            raise ClawError(f"no sessions to resume in {directory}")
        return files[-1]
    path = directory / f"{spec}.jsonl"
    if path.is_file():
        return path
    matches = sorted(directory.glob(f"{spec}*.jsonl")) if directory.is_dir() and len(spec) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    raise ClawError(f"no session {spec!r} in {directory}")


def load_state(path: Path, *, messages: bool = True) -> SessionState:
    return replay(read_events(path), session_id=path.stem, path=path, messages=messages)


def open_session(
    directory: Path,
    *,
    resume: str | None = None,
    fork: bool = False,
    session_id: str | None = None,
    persist: bool = True,
    start: dict[str, Any] | None = None,
) -> Session:
    """Start a new session, or resume / fork an existing one.

    :param resume: a ``--resume`` spec (id, ``latest``, path); ``None`` starts a fresh session.
    :param fork: with ``resume``: copy the history into a new session linked to its parent.
    :param session_id: ``--session-id`` for a new (or forked) session.
    :param persist: ``False`` keeps nothing on disk.
    :param start: fields for the ``session_start`` event (model, cwd, claw version).
    """
    start = dict(start or {})
    if session_id is not None:
        session_id = _check_id(session_id)
    if resume is None:
        sid = session_id or new_session_id()
        path = directory / f"{sid}.jsonl" if persist else None
        if path is not None and path.exists():
            raise ClawError(f"session {sid} already exists; use --resume {sid}")
        session = Session(SessionState(session_id=sid, path=path), SessionWriter(path, defer=True))
        session.record("session_start", session_id=sid, **start)
        return session
    source = find_session(resume, directory)
    state = load_state(source)
    repair = interrupted_results(state.messages)
    if fork or (session_id is not None and session_id != state.session_id):
        sid = session_id or new_session_id()
        path = directory / f"{sid}.jsonl" if persist else None
        messages = [*state.messages, *([repair] if repair else [])]
        forked = SessionState(
            session_id=sid,
            path=path,
            messages=messages,
            parent_id=state.session_id,
            title=state.title,
            cache=state.cache,
            model=state.model,
        )
        session = Session(forked, SessionWriter(path))
        session.record("session_start", session_id=sid, source="fork", **start)
        session.record(
            "fork",
            parent_session_id=state.session_id,
            parent_path=str(source),
            title=state.title,
            cache=state.cache.as_dict(),
            messages=[m.model_dump(mode="json", exclude_none=True) for m in messages],
        )
        return session
    session = Session(state, SessionWriter(source if persist else None))
    session.record("session_start", session_id=state.session_id, source="resume", **start)
    if repair is not None:
        session.add_message(repair, repaired=True)
    return session


@dataclass
class SessionSummary:
    session_id: str
    path: Path
    started: str | None
    updated: str | None
    model: str | None
    num_turns: int
    title: str
    parent_id: str | None


def list_sessions(directory: Path) -> list[SessionSummary]:
    """Every session in ``directory``, most recently updated first."""
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True):
        state = load_state(path, messages=False)
        out.append(
            SessionSummary(
                state.session_id or path.stem,
                path,
                state.started,
                state.updated,
                state.model,
                state.num_turns,
                state.title,
                state.parent_id,
            )
        )
    return out
