"""Rebuilding a conversation from a session's events.

The history is the ``user``/``assistant`` messages in file order, except that a ``compaction`` or
``fork`` event carries the complete message list at that point and replaces everything before it:
a resumed session starts from its last compaction. A run killed mid-turn can leave an assistant
message whose tool calls never got results; :func:`.repair.interrupted_results` answers them so the model
(and the API, which rejects an unanswered ``tool_use``) can go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claw import CacheStats, Message, SessionState


@dataclass
class StoredState(SessionState):
    """A :class:`claw.SessionState` with what only this store reads back: its listings' columns, the
    format it forks from and the repairs a resume names."""

    #: The file read (what a resume appends to).
    path: Path | None = None
    #: The model in use at the end (after any fallback switch).
    model: str | None = None
    #: ``"claw"`` for claw's own JSONL, else the claw-code-go format read (:mod:`claw_sessions.seed`): the
    #: store forks such a session rather than appending to a file it did not write.
    format: str = "claw"
    parent_id: str | None = None
    started: str | None = None
    updated: str | None = None
    #: The first prompt, for listings.
    title: str = ""
    num_turns: int = 0
    #: What the store changed to make the messages it read back valid (said once on resume).
    repairs: list[str] = field(default_factory=list)


def replay(
    events: list[dict[str, Any]], *, session_id: str = "", path: Path | None = None, messages: bool = True
) -> StoredState:
    """Fold events into a :class:`StoredState`. Messages are validated once, at the end, for speed;
    ``messages=False`` skips them (listings need only the summary)."""

    state = StoredState(session_id=session_id, path=path)
    raw: list[dict[str, Any]] = []
    for ev in events:
        kind = ev.get("type")
        if kind in ("user", "assistant"):
            msg = ev.get("message")
            if isinstance(msg, dict):
                if ev.get("replaces_last") and raw:
                    raw.pop()  # a prompt merged into the trailing user message
                raw.append(msg)
            if kind == "assistant":
                state.num_turns += 1
                u = ev.get("usage") or {}
                state.context_tokens = sum(
                    int(u.get(k) or 0)
                    for k in (
                        "input_tokens",
                        "cache_creation_input_tokens",
                        "cache_read_input_tokens",
                        "output_tokens",
                    )
                )
                if ev.get("model"):
                    state.model = ev["model"]
                if isinstance(ev.get("cache"), dict):
                    state.cache.count(ev["cache"])
            elif not state.title and ev.get("prompt"):
                state.title = str(ev["prompt"])
        elif kind in ("compaction", "fork") and isinstance(ev.get("messages"), list):
            raw = list(ev["messages"])
            if kind == "compaction":
                state.context_tokens = 0
                state.count_result(ev.get("total_cost_usd"), ev.get("usage"))  # a manual one's own cost
            if kind == "fork":
                state.parent_id = ev.get("parent_session_id")
                state.parent_path = Path(ev["parent_path"]) if ev.get("parent_path") else None
                state.title = state.title or ev.get("title", "")
                if isinstance(ev.get("cache"), dict):
                    state.cache = CacheStats(**ev["cache"])
        elif kind == "session_start":
            state.session_id = state.session_id or ev.get("session_id", "")
            state.started = state.started or ev.get("ts")
            state.model = ev.get("model") or state.model
            state.chosen_model = ev.get("model") or state.chosen_model
            meta = ev.get("meta")  # the last run's own (a run that keeps none clears it)
            state.meta = dict(meta) if isinstance(meta, dict) else {}
            state.parent_id = state.parent_id or ev.get("parent_session_id")  # a sub-agent's session
        elif kind == "result":
            state.count_result(ev.get("total_cost_usd"), ev.get("usage"))
        elif kind == "model_switch":
            state.model = ev.get("to") or state.model
        elif kind == "custom-title" and isinstance(ev.get("customTitle"), str):  # -n, /rename
            state.name = ev["customTitle"]
        state.updated = ev.get("ts") or state.updated
    if messages:
        from claw_sessions.repair import valid_history

        read, unreadable = _messages(raw)
        state.messages, state.repairs = valid_history(read)
        if unreadable:
            state.repairs.append(f"dropped messages that could not be read ({unreadable})")
    return state


def _messages(raw: list[dict[str, Any]]) -> tuple[list[Message], int]:
    """The messages of ``raw`` that validate, and how many did not (a damaged or hand-edited file: the
    rest of the conversation still resumes). All at once first, the fast way for a sound file."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(list[Message]).validate_python(raw), 0
    except ValidationError:
        pass
    one = TypeAdapter(Message)
    read: list[Message] = []
    for data in raw:
        try:
            read.append(one.validate_python(data))
        except ValidationError:
            continue
    return read, len(raw) - len(read)
