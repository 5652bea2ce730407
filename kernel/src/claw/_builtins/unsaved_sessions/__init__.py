"""``unsaved_sessions``: the session store when no plugin answered ``claw_session_store`` (claw-sessions
disabled or not installed): a wrapper, so any plugin's store comes first; runs keep nothing (:mod:`.store`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Generator
    from pathlib import Path

    from claw import SessionStore


@hookimpl(wrapper=True)
def claw_session_store(directory: Path, persist: bool) -> Generator[None, SessionStore | None, SessionStore]:
    store = yield
    if store is not None:
        return store
    from claw._builtins.unsaved_sessions.store import UnsavedSessions

    return UnsavedSessions()
