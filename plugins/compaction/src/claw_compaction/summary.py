"""claw's compactor: keeping a long session inside the model's context window.

When the last request's context (input, cache and output tokens) passes settings
``compaction.threshold`` of the model's ``context_window`` (and ``compaction.auto`` is on), or on
``/compact``, the older part of the conversation is summarised by the model and replaced by that
summary; the most recent ``compaction.keepRecentTurns`` turns (a turn is one model response and the
tool results answering it) stay verbatim. The session records the compacted history in one
``compaction`` event, so a resumed session starts from there. The loop does the rest (the request,
the ``PreCompact``/``PostCompact`` hooks, that record); :func:`claw.compacted_history` shapes the new
history, as for a seed session's summary.
"""

from __future__ import annotations

from typing import Any

from claw import Message, TextBlock, compacted_history
from pydantic import BaseModel, ConfigDict, Field

SUMMARY_PROMPT = """\
Summarise the conversation above so that you can continue the work from the summary alone; the \
messages it covers will be removed from your context. Keep: the user's requests and constraints in \
their own words, decisions made and why, files read or changed (with paths) and what changed, \
commands run and their outcome, errors met and how they were resolved, and what remains to be done \
next. Be complete but terse. Answer with the summary only, and do not call tools."""


class CompactionSettings(BaseModel):
    """Settings ``compaction`` (registered through ``claw_register_settings``)."""

    # extra="allow": unknown keys inside the section are kept, as the kernel's settings sections do.
    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    #: Compact when the context passes this share of the model's window.
    threshold: float = Field(default=0.8, gt=0, le=1)
    #: Recent turns kept verbatim by compaction.
    keepRecentTurns: int = Field(default=4, ge=0)
    auto: bool = True


def should_compact(context_tokens: int, context_window: int, threshold: float) -> bool:
    return context_window > 0 and context_tokens >= threshold * context_window


def split_point(messages: list[Message], keep_recent_turns: int) -> int | None:
    """Index where the kept tail starts: an assistant message, so the tail never opens with tool
    results whose calls were summarised away. ``None`` when there is nothing worth compacting."""
    assistants = [i for i, m in enumerate(messages) if m.role == "assistant"]
    if keep_recent_turns <= 0:
        cut = len(messages)
    elif len(assistants) <= keep_recent_turns:
        return None
    else:
        cut = assistants[-keep_recent_turns]
    return cut if cut >= 2 else None


def summary_request(older: list[Message]) -> list[Message]:
    """The messages sent to have ``older`` summarised: the history plus the instruction, merged into the
    last user message so roles still alternate."""
    messages = list(older)
    if messages and messages[-1].role == "user":
        last = messages[-1]
        messages[-1] = Message(role="user", content=[*last.content, TextBlock(text=SUMMARY_PROMPT)])
    else:
        messages.append(Message.user(SUMMARY_PROMPT))
    return messages


class SummaryCompactor:
    """claw's compactor (the ``compaction`` plugin's): the functions above with settings
    ``compaction`` (``auto``, ``threshold``, ``keepRecentTurns``)."""

    def __init__(self, auto: bool = True, threshold: float = 0.8, keep_recent_turns: int = 4) -> None:
        self.auto = auto
        self.threshold = threshold
        self.keep_recent_turns = keep_recent_turns

    @classmethod
    def from_settings(cls, section: Any) -> SummaryCompactor:
        """The compactor settings ``compaction`` (already validated with the other settings) ask for."""
        cfg = CompactionSettings.model_validate(section or {})
        return cls(auto=cfg.auto, threshold=cfg.threshold, keep_recent_turns=cfg.keepRecentTurns)

    def due(self, context_tokens: int, context_window: int) -> bool:
        return self.auto and should_compact(context_tokens, context_window, self.threshold)

    def split(self, messages: list[Message]) -> int | None:
        return split_point(messages, self.keep_recent_turns)

    def request(self, older: list[Message]) -> list[Message]:
        return summary_request(older)

    def compacted(self, summary: str, kept: list[Message]) -> list[Message]:
        return compacted_history(summary, kept)
