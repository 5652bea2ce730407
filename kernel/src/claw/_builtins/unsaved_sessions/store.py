"""A store that keeps nothing, so a run without claw-sessions works; resuming says what to install."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from claw import ClawError, Session, SessionState, SessionSummary


class UnsavedSessions:
    """The store, and its sessions' :class:`claw.Session` writer too (appending keeps nothing)."""

    path: Path | None = None

    def resume(self, spec: str) -> SessionState:
        raise ClawError(
            f"cannot resume session {spec!r}: no session store is installed or enabled "
            "(pip install claw-sessions, or enable its session_store plugin)"
        )

    def open(
        self, *, resume: SessionState | None, fork: bool, session_id: str | None, start: dict[str, Any]
    ) -> Session:
        state = resume or SessionState(session_id=session_id or str(uuid.uuid4()))
        return Session(state, self)

    def list(self) -> list[SessionSummary]:
        return []

    def append(self, event: dict[str, Any], *, sync: bool = True) -> None:
        pass

    def close(self) -> None:
        pass
