"""Rebuilding a conversation from a session's events.

The history is the ``user``/``assistant`` messages in file order, except that a ``compaction`` or
``fork`` event carries the complete message list at that point and replaces everything before it:
a resumed session starts from its last compaction. A run killed mid-turn can leave an assistant
message whose tool calls never got results; :func:`interrupted_results` answers them so the model
(and the API, which rejects an unanswered ``tool_use``) can go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claw.messages import Message, ToolResultBlock, ToolUseBlock, Usage

INTERRUPTED = (
    "interrupted: the run stopped before this tool call finished; it may or may not have taken effect"
)


@dataclass
class CacheStats:
    """Prompt-cache outcomes over a session (see :mod:`claw.loop.cache`)."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    unexpected_breaks: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "writes": self.writes,
            "unexpected_breaks": self.unexpected_breaks,
        }

    def count(self, outcome: dict[str, Any]) -> None:
        status = outcome.get("status")
        if status == "hit":
            self.hits += 1
        elif status == "miss":
            self.misses += 1
        if outcome.get("write"):
            self.writes += 1
        if outcome.get("break"):
            self.unexpected_breaks += 1


@dataclass
class SessionState:
    """What a session file says, replayed."""

    session_id: str
    path: Path | None = None
    messages: list[Message] = field(default_factory=list)
    #: The model in use at the end (after any fallback switch).
    model: str | None = None
    #: The model the last run of the session started with (``--model`` or settings), which a resume
    #: uses unless ``--model`` says otherwise; a fallback is a per-run detour, not a choice.
    chosen_model: str | None = None
    #: :data:`claw.sessions.seed.CLAW` for claw's own JSONL, else the seed format the file is in.
    format: str = "claw"
    cwd: str | None = None
    parent_id: str | None = None
    started: str | None = None
    updated: str | None = None
    #: The first prompt, for listings.
    title: str = ""
    num_events: int = 0
    num_turns: int = 0
    #: The context size the last response reported (0 after a compaction): whether to compact first.
    context_tokens: int = 0
    cache: CacheStats = field(default_factory=CacheStats)
    #: What the session's runs have cost so far (their ``result`` events), for ``/cost``.
    cost_usd: float = 0.0
    usage: Usage = field(default_factory=Usage)
    #: What :func:`claw.sessions.repair.valid_history` changed to make the messages read back valid.
    repairs: list[str] = field(default_factory=list)

    def count_result(self, total_cost_usd: Any, usage: Any) -> None:
        """Add one run's ``result`` (the loop calls it as runs end; :func:`replay` for past ones)."""
        self.cost_usd += float(total_cost_usd or 0)
        if isinstance(usage, dict):
            self.usage = self.usage + Usage.model_validate(usage)


def replay(
    events: list[dict[str, Any]], *, session_id: str = "", path: Path | None = None, messages: bool = True
) -> SessionState:
    """Fold events into a :class:`SessionState`. Messages are validated once, at the end, for speed;
    ``messages=False`` skips them (listings need only the summary)."""
    from pydantic import TypeAdapter

    state = SessionState(session_id=session_id, path=path, num_events=len(events))
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
                state.title = state.title or ev.get("title", "")
                if isinstance(ev.get("cache"), dict):
                    state.cache = CacheStats(**ev["cache"])
        elif kind == "session_start":
            state.session_id = state.session_id or ev.get("session_id", "")
            state.started = state.started or ev.get("ts")
            state.cwd = state.cwd or ev.get("cwd")
            state.model = ev.get("model") or state.model
            state.chosen_model = ev.get("model") or state.chosen_model
            state.parent_id = state.parent_id or ev.get("parent_session_id")  # a sub-agent's session
        elif kind == "result":
            state.count_result(ev.get("total_cost_usd"), ev.get("usage"))
        elif kind == "model_switch":
            state.model = ev.get("to") or state.model
        state.updated = ev.get("ts") or state.updated
    if messages:
        from claw.sessions.repair import valid_history

        state.messages, state.repairs = valid_history(TypeAdapter(list[Message]).validate_python(raw))
    return state


def interrupted_results(messages: list[Message]) -> Message | None:
    """A user message answering the last assistant message's unanswered tool calls, or ``None``."""
    if not messages or messages[-1].role != "assistant":
        return None
    uses: list[ToolUseBlock] = messages[-1].tool_uses
    if not uses:
        return None
    return Message(
        role="user",
        content=[ToolResultBlock(tool_use_id=u.id, content=INTERRUPTED, is_error=True) for u in uses],
    )
