"""Reading the seed's (claw-code-go's) session files, so ``--resume`` can continue them.

The seed wrote two formats, which its ``LoadSessionAuto`` tells apart: a legacy single JSON object
``{"id", "messages": [...], "model"?, "compaction_summary"?, ...}`` and, later, JSONL whose first line
is ``{"type": "session_meta", ...}`` followed by ``{"type": "message", "message": {...}}`` records.
Messages are in the Anthropic Messages shape in both. claw never appends to either (its events would
corrupt them): a resumed seed session continues in a new claw session forked from it
(:func:`claw_sessions.jsonl.open_session`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import ClawError

if TYPE_CHECKING:
    from claw_sessions.history import StoredState

#: :attr:`claw_sessions.history.StoredState.format` of each kind of file.
CLAW, SEED_JSON, SEED_JSONL = "claw", "seed-json", "seed-jsonl"

#: A claw file's first line, even torn by a crash during the very first write.
_CLAW_START = re.compile(rb'\A\s*\{\s*"type"\s*:\s*"session_start"')


def detect(path: Path, data: bytes) -> str:
    """Which kind of session file ``data`` (the bytes of ``path``) is: :data:`CLAW`, :data:`SEED_JSON`
    or :data:`SEED_JSONL`. An empty file counts as claw's (there is nothing in it to corrupt).

    :raises ClawError: one line naming the file when it is none of them.
    """
    if not data.strip():
        return CLAW
    first = data.lstrip().split(b"\n", 1)[0]
    if _CLAW_START.match(first):
        return CLAW
    head = _json(first)
    if isinstance(head, dict) and head.get("type") == "session_meta":
        return SEED_JSONL
    whole = _json(data)
    if isinstance(whole, dict) and isinstance(whole.get("messages"), list):
        return SEED_JSON
    raise ClawError(
        f"{path} is not a session file: neither claw's JSONL (a session_start line first) "
        'nor a claw-code-go session ({"messages": [...]} or session_meta JSONL)'
    )


def load(path: Path, data: bytes, kind: str, *, messages: bool = True) -> StoredState:
    """The :class:`~claw_sessions.history.StoredState` of a seed session file of ``kind`` (see :func:`detect`)."""
    from claw_sessions.history import StoredState

    if kind == SEED_JSON:
        obj: dict[str, Any] = json.loads(data)
        raw, meta, summary = obj["messages"], obj, obj.get("compaction_summary")
    else:
        records = [r for r in map(_json, data.splitlines()) if isinstance(r, dict)]
        meta = next((r for r in records if r.get("type") == "session_meta"), {})
        raw = [r["message"] for r in records if r.get("type") == "message" and "message" in r]
        summary = next((r.get("summary") for r in reversed(records) if r.get("type") == "compaction"), None)
    model = meta.get("model") if isinstance(meta.get("model"), str) else None
    state = StoredState(
        session_id=str(meta.get("id") or meta.get("session_id") or path.stem),
        path=path,
        model=model or None,
        chosen_model=model or None,
        format=kind,
    )
    state.num_turns = sum(1 for m in raw if isinstance(m, dict) and m.get("role") == "assistant")
    first = next((m for m in raw if isinstance(m, dict) and m.get("role") == "user"), None)
    state.title = _text(first) if first else ""
    if messages:
        state.messages = _messages(path, raw, summary if isinstance(summary, str) else None)
    return state


def _messages(path: Path, raw: list[Any], summary: str | None) -> list[Any]:
    from claw import Message, compacted_history
    from pydantic import TypeAdapter, ValidationError

    try:
        history = TypeAdapter(list[Message]).validate_python(raw)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise ClawError(f"{path}: message {where}: {exc.errors()[0]['msg']}") from None
    # The seed kept its compaction summary beside the messages (it went into the system prompt);
    # claw keeps it in the history, as its own compactions do.
    return compacted_history(summary, history) if summary and summary.strip() else history


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(
        b.get("text", "") for b in content or [] if isinstance(b, dict) and b.get("type") == "text"
    )


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None
