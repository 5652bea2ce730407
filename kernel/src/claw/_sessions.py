"""Sessions as the loop sees them: the contract a session store (``claw_session_store``) fulfils. What stays
here (what the loop itself needs) and what is the store's (claw-sessions): docs/architecture.md, "What the
default plugins hold"."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claw._errors import ConfigError
from claw._messages import Message, Usage

if TYPE_CHECKING:
    from claw._plugins import PluginManager


@dataclass
class CacheStats:
    """Prompt-cache outcomes over a session (see :mod:`claw._builtins.prompt_cache`)."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    unexpected_breaks: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

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
    messages: list[Message] = field(default_factory=list)
    #: The model the last run of the session started with (``--model`` or settings), which a resume
    #: uses unless ``--model`` says otherwise; a fallback is a per-run detour, not a choice.
    chosen_model: str | None = None
    #: What plugins kept in the last run's start record (``LoopOptions.meta``: claw-agents' main-thread agent).
    meta: dict[str, Any] = field(default_factory=dict)
    parent_path: Path | None = None  # a fork's: the file of the session it was forked from
    name: str = ""  # the last -n / /rename (Claude Code's custom-title), for listings and --resume NAME
    #: The context size the last response reported (0 after a compaction): whether to compact first.
    context_tokens: int = 0
    cache: CacheStats = field(default_factory=CacheStats)
    #: What the session's runs have cost so far (their ``result`` events), for ``/cost``.
    cost_usd: float = 0.0
    usage: Usage = field(default_factory=Usage)

    def count_result(self, total_cost_usd: Any, usage: Any) -> None:
        """Add one run's ``result`` (the loop calls it as runs end; a store replaying past ones too)."""
        self.cost_usd += float(total_cost_usd or 0)
        if isinstance(usage, dict):
            self.usage = self.usage + Usage.model_validate(usage)


class EventLog(Protocol):
    """Where a :class:`Session`'s events go: a store's writer (claw-sessions appends JSONL lines)."""

    #: The file the events go to (hooks' ``transcript_path``), ``None`` when nothing is kept.
    path: Path | None

    def append(self, event: dict[str, Any], *, sync: bool = True) -> None:
        """Keep one event; ``sync`` asks that it (and those before) survive the process being killed.

        :raises ClawError: it cannot be kept (a full disk): one line naming the file and the reason.
        """
        ...

    def close(self) -> None:
        """Make everything appended durable and release the file."""
        ...


class Session:
    """A session being written: its id, file, replayed state and event log."""

    def __init__(self, state: SessionState, writer: EventLog) -> None:
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
        """Append one event (``sync``: see :meth:`EventLog.append`)."""
        self.writer.append({"type": type, **fields}, sync=sync)

    def add_message(self, message: Message, **fields: Any) -> None:
        """Append a message to the history and the log (synced)."""
        self.state.messages.append(message)
        self.record(message.role, message=message.stored(), **fields)

    def close(self) -> None:
        self.writer.close()


@dataclass
class SessionSummary:
    """One row of a store's listing (``claw sessions list``, claw-tui's ``/resume`` picker)."""

    session_id: str
    path: Path
    started: str | None
    updated: str | None
    model: str | None
    num_turns: int
    title: str
    parent_id: str | None
    name: str = ""


class SessionStore(Protocol):
    """Where sessions are kept (``claw_session_store``): the loop resumes and opens sessions through it,
    front ends list them."""

    def resume(self, spec: str) -> SessionState:
        """The session a ``--resume`` spec names, loaded (:class:`ClawError` when there is none)."""
        ...

    def open(
        self, *, resume: SessionState | None, fork: bool, session_id: str | None, start: dict[str, Any]
    ) -> Session:
        """A new session (``resume`` is ``None``), or ``resume`` continued or forked."""
        ...

    def list(self) -> list[SessionSummary]:
        """The sessions there are to resume, most recently updated first (empty if the store cannot
        list them)."""
        ...


def session_store(pm: PluginManager, directory: Path, persist: bool) -> SessionStore:
    """The store plugins answer ``claw_session_store`` with (the ``unsaved_sessions`` built-in's, which keeps
    nothing, when no other does).

    :raises ConfigError: nothing answers (that built-in is disabled too)."""
    answer: SessionStore | None = pm.hook.claw_session_store(directory=directory, persist=persist)
    if answer is None:
        raise ConfigError(
            "no session store: claw-sessions and the unsaved_sessions built-in are both disabled "
            "or not installed (settings plugins.disabled)"
        )
    return answer
