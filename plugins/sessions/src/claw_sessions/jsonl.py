"""claw's JSONL session store: one file per session, resumed, forked and listed.

A session lives in ``<sessions dir>/<session id>.jsonl`` where the sessions dir is
``claw.sessions_dir(workspace)`` (``$XDG_STATE_HOME/claw/projects/<workspace slug>/``) or
``--session-dir``. See ``docs/sessions.md`` for the event vocabulary.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import claw
from claw import ClawError, Message, Session, SessionState, SessionSummary

from claw_sessions import cleanup, naming
from claw_sessions.store import SessionWriter, parse_events, read_bytes

if TYPE_CHECKING:
    from claw_sessions.history import StoredState

__all__ = [
    "JsonlSessionStore",
    "find_session",
    "list_sessions",
    "load_state",
    "new_session_id",
    "open_session",
    "resume_state",
]


def new_session_id() -> str:
    return str(uuid.uuid4())


def _check_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ClawError(f"--session-id must be a UUID, got {value!r}") from None


def find_session(spec: str, directory: Path) -> Path:
    """The file for ``--resume`` ``spec``: a path, ``latest`` (newest in ``directory``), a session id (or
    its first characters) or a session's name (:mod:`claw_sessions.naming`), as Claude Code's ``--resume``.

    :raises ClawError: when nothing matches, or several sessions have that name.
    """
    candidate = Path(spec).expanduser()
    if spec.endswith(".jsonl") or candidate.is_file():
        if not candidate.is_file():
            raise ClawError(f"no such session file: {candidate}")
        return candidate
    if spec == "latest":
        files = (
            sorted(directory.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True)
            if directory.is_dir()
            else []
        )
        # A sub-agent's transcript is no conversation to go on with (Claude Code's --continue skips its
        # sidechains): it is the newest file when the parent was killed while the sub-agent ran.
        latest = next((f for f in files if not _is_subagent(f)), None)
        if latest is None:
            raise ClawError(f"no sessions to resume in {directory}")
        return latest
    with contextlib.suppress(ValueError):  # an id is a UUID, in any case (a UUID's hex digits are)
        spec = str(uuid.UUID(spec))
    path = directory / f"{spec}.jsonl"
    if path.is_file():
        return path
    matches = sorted(directory.glob(f"{spec}*.jsonl")) if directory.is_dir() and len(spec) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    from claw_sessions.naming import named

    found = named(spec, directory)
    if len(found) > 1:
        ids = ", ".join(p.stem for p in found)
        raise ClawError(f"{len(found)} sessions are named {spec!r} ({ids}); resume one by its id")
    if found:
        return found[0]
    if matches:
        ids = ", ".join(p.stem for p in matches)
        raise ClawError(f"{len(matches)} sessions start with {spec!r} ({ids}); give more of the id")
    raise ClawError(f"no session {spec!r} in {directory}")


def _is_subagent(path: Path) -> bool:
    """Whether ``path`` is a sub-agent's transcript: its first line, a ``session_start``, names the
    parent session (only its first line is read)."""
    try:
        with path.open("rb") as fh:
            first = json.loads(fh.readline(65536))
    except (OSError, ValueError):
        return False
    return isinstance(first, dict) and first.get("type") == "session_start" and "parent_session_id" in first


def load_state(path: Path, *, messages: bool = True) -> StoredState:
    """A session file replayed: claw's JSONL, or the seed's legacy JSON or JSONL (detected from the
    content, as the seed's ``LoadSessionAuto`` does; :attr:`StoredState.format` says which).

    :raises ClawError: the file cannot be read or is no session file (one line naming it).
    """
    # Reading a session back is for resuming and listing only: a new session never needs these.
    from claw_sessions import seed
    from claw_sessions.history import replay

    data = read_bytes(path)
    kind = seed.detect(path, data)
    if kind != seed.CLAW:
        return seed.load(path, data, kind, messages=messages)
    return replay(parse_events(path, data), session_id=path.stem, path=path, messages=messages)


def resume_state(spec: str, directory: Path) -> StoredState:
    """The session ``--resume spec`` names (see :func:`find_session`), loaded."""
    return load_state(find_session(spec, directory))


def open_session(
    directory: Path,
    *,
    resume: str | StoredState | None = None,
    fork: bool = False,
    session_id: str | None = None,
    persist: bool = True,
    start: dict[str, Any] | None = None,
) -> Session:
    """Start a new session, or resume / fork an existing one.

    :param resume: a ``--resume`` spec (id, ``latest``, path) or the state :func:`resume_state` loaded
        for one; ``None`` starts a fresh session.
    :param fork: with ``resume``: copy the history into a new session linked to its parent. A seed
        (claw-code-go) session is always forked, with a notice: claw appends only to its own files.
    :param session_id: ``--session-id`` for a new (or forked) session.
    :param persist: ``False`` keeps nothing on disk.
    :param start: fields for the ``session_start`` event (model, cwd; the store adds claw's version).
    """
    start = {**(start or {}), "claw_version": claw.VERSION}
    if session_id is not None:
        session_id = _check_id(session_id)
    if resume is None:
        sid = session_id or new_session_id()
        path = _new_path(directory, sid, persist)
        session = Session(SessionState(session_id=sid), SessionWriter(path, defer=True))
        session.record("session_start", session_id=sid, **start)
        return session
    from claw_sessions import seed
    from claw_sessions.repair import interrupted_results

    state = resume_state(resume, directory) if isinstance(resume, str) else resume
    source = state.path
    assert source is not None
    repair = interrupted_results(state.messages)
    foreign = state.format != seed.CLAW
    if fork or foreign or (session_id is not None and session_id != state.session_id):
        _say_repairs(state, repair)
        sid = session_id or new_session_id()
        path = _new_path(directory, sid, persist)
        if foreign:
            where = f"new claw session {sid}" + (f" ({path})" if path else "")
            claw.warn(
                f"{source} is a claw-code-go session; continuing in a {where} forked from it, "
                "leaving the file unchanged",
                once=False,
            )
        messages = [*state.messages, *([repair] if repair else [])]
        forked = SessionState(
            session_id=sid,
            messages=messages,
            parent_path=source,
            cache=state.cache,
            chosen_model=state.chosen_model,
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
    # The writer locks the file first: a session another claw is running is refused before its
    # unanswered calls (still running there) are called interrupted here.
    session = Session(state, SessionWriter(source if persist else None))
    _say_repairs(state, repair)
    session.record("session_start", session_id=state.session_id, source="resume", **start)
    if repair is not None:
        session.add_message(repair, repaired=True)
    return session


def _new_path(directory: Path, sid: str, persist: bool) -> Path | None:
    """The file of a new (or forked) session ``sid``, which must not exist: appending a fork to an
    existing session's file (``--fork-session --session-id`` of one) would replace its history."""
    path = directory / f"{sid}.jsonl" if persist else None
    if path is not None and path.exists():
        raise ClawError(f"session {sid} already exists; use --resume {sid}")
    return path


def _say_repairs(state: StoredState, interrupted: Message | None) -> None:
    """One warning naming what a resume changed in the history it read back, so that nothing is
    repaired silently."""
    what = list(state.repairs)
    if interrupted is not None:
        what.append(
            f"answered tool calls the last run left unfinished as interrupted ({len(interrupted.content)})"
        )
    if what:
        claw.warn(f"session {state.session_id}: repaired on resume: {'; '.join(what)}", once=False)


class JsonlSessionStore:
    """claw's own store: one JSONL file per session in ``directory`` (nothing on disk unless
    ``persist``); what the ``session_store`` plugin answers."""

    def __init__(self, directory: Path, persist: bool = True) -> None:
        self.directory = directory
        self.persist = persist

    def resume(self, spec: str) -> SessionState:
        return resume_state(spec, self.directory)

    def open(
        self, *, resume: SessionState | None, fork: bool, session_id: str | None, start: dict[str, Any]
    ) -> Session:
        kept = cast("StoredState | None", resume)  # what this store's resume() read back
        session = open_session(
            self.directory, resume=kept, fork=fork, session_id=session_id, persist=self.persist, start=start
        )
        if self.persist and "parent_session_id" not in start:  # a sub-agent's start cleans nothing
            keep = frozenset(p for p in (session.path, resume and resume.path) if p is not None)
            cleanup.PENDING[session.id] = cleanup.Sweep(self.directory, keep)
        if "parent_session_id" not in start:
            naming.OPEN[session.id] = session
        return session

    def list(self) -> list[SessionSummary]:
        return list_sessions(self.directory)


def list_sessions(directory: Path) -> list[SessionSummary]:
    """Every session in ``directory``, most recently updated first."""
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            state = load_state(path, messages=False)
        except ClawError as exc:  # a stray file must not hide the other sessions
            claw.warn(f"skipped: {exc}")
            continue
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
                state.name,
            )
        )
    return out
