"""Session names, as Claude Code's: ``claw -n NAME`` names a new session, ``/rename NAME`` the running one,
``--resume NAME`` finds it again, ``claw sessions list`` shows it.

A name is one appended ``{"type": "custom-title", "customTitle": NAME, "sessionId": ID}`` line, the record
Claude Code's ``/rename`` writes; the last one in the file wins (``docs/sessions.md``, "Names").
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import ClawError

if TYPE_CHECKING:
    from claw import BuiltinContext, Session

#: The event type, Claude Code's.
CUSTOM_TITLE = "custom-title"
#: The sessions this store opened in this process, by id, until they end: where a name is recorded.
OPEN: dict[str, Session] = {}


def name_of(text: Any) -> str:
    """``text`` as a session name: one line, trimmed (a name titles the terminal's window, so it holds no
    control character).

    :raises ClawError: an empty name, or one holding a control character.
    """
    name = " ".join(str(text or "").split())
    if not name:
        raise ClawError("a session name cannot be empty")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise ClawError(f"a session name cannot hold control characters: {name!r}")
    return name


def record(session: Session, name: str) -> None:
    """Name ``session``: its state (for the front ends) and its file."""
    session.state.name = name
    session.record(CUSTOM_TITLE, customTitle=name, sessionId=session.id)


def named(spec: str, directory: Path) -> list[Path]:
    """The session files in ``directory`` whose name is ``spec``, newest first; read only when a
    ``--resume`` value is no id, so the name costs nothing otherwise."""
    from claw_sessions.jsonl import list_sessions

    return [s.path for s in list_sessions(directory) if s.name == spec]


async def rename(context: BuiltinContext, args: str) -> None:
    """``/rename NAME``: Claude Code's command (without a name, Claude Code asks a model for one; claw
    asks the user)."""
    if not args.strip():
        raise ClawError("usage: /rename NAME")
    session = OPEN.get(context.session.session_id)
    if session is None:
        raise ClawError("this session is not claw's JSONL store's; it cannot be renamed here")
    name = name_of(args)
    record(session, name)
    context.out.write(f"Session renamed to: {name}\n")
