"""The built-in session store: claw's JSONL session files (:class:`claw.sessions.JsonlSessionStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from claw.sessions import SessionStore


@hookimpl(trylast=True)
def claw_session_store(directory: Path, persist: bool) -> SessionStore:
    from claw.sessions import JsonlSessionStore

    return JsonlSessionStore(directory, persist)
