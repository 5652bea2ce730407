"""Compaction: keeping a long session inside the model's context window.

When the last request's context (input, cache and output tokens) passes settings
``compaction.threshold`` of the model's ``context_window`` (and ``compaction.auto`` is on), or on
``/compact``, the older part of the conversation is summarised by the model and replaced by that
summary; the most recent ``compaction.keepRecentTurns`` turns (a turn is one model response and the
tool results answering it) stay verbatim. The session records the compacted history in one
``compaction`` event, so a resumed session starts from there.
"""

from __future__ import annotations

from typing import Protocol

from claw.messages import Message, TextBlock, ToolResultBlock

SUMMARY_PROMPT = """\
Summarise the conversation above so that you can continue the work from the summary alone; the \
messages it covers will be removed from your context. Keep: the user's requests and constraints in \
their own words, decisions made and why, files read or changed (with paths) and what changed, \
commands run and their outcome, errors met and how they were resolved, and what remains to be done \
next. Be complete but terse. Answer with the summary only, and do not call tools."""

SUMMARY_HEADER = (
    "This session continues an earlier conversation that was compacted. Summary of the earlier part:"
)


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


def compacted(summary: str, kept: list[Message]) -> list[Message]:
    """The new history: the summary as the first user message, then the kept turns."""
    head = Message.user(f"{SUMMARY_HEADER}\n\n{summary.strip()}")
    if kept and kept[0].role == "user":
        if any(isinstance(b, ToolResultBlock) for b in kept[0].content):
            return [head, Message(role="assistant", content=[TextBlock(text="(continuing)")]), *kept]
        return [Message(role="user", content=[*head.content, *kept[0].content]), *kept[1:]]
    return [head, *kept]


class Compactor(Protocol):
    """How a session is compacted (``claw_compactor``); the loop sends the summary request itself."""

    def due(self, context_tokens: int, context_window: int) -> bool:
        """Whether to compact automatically before the next request."""
        ...

    def split(self, messages: list[Message]) -> int | None:
        """Where the kept tail of ``messages`` starts; ``None`` when there is nothing to compact."""
        ...

    def request(self, older: list[Message]) -> list[Message]:
        """The messages that ask the model to summarise ``older``."""
        ...

    def compacted(self, summary: str, kept: list[Message]) -> list[Message]:
        """The history that replaces the session's: ``summary`` then the ``kept`` tail."""
        ...


class SummaryCompactor:
    """claw's compactor (the built-in ``compaction`` plugin's): the functions above with settings
    ``compaction`` (``auto``, ``threshold``, ``keepRecentTurns``)."""

    def __init__(self, auto: bool = True, threshold: float = 0.8, keep_recent_turns: int = 4) -> None:
        self.auto = auto
        self.threshold = threshold
        self.keep_recent_turns = keep_recent_turns

    def due(self, context_tokens: int, context_window: int) -> bool:
        return self.auto and should_compact(context_tokens, context_window, self.threshold)

    def split(self, messages: list[Message]) -> int | None:
        return split_point(messages, self.keep_recent_turns)

    def request(self, older: list[Message]) -> list[Message]:
        return summary_request(older)

    def compacted(self, summary: str, kept: list[Message]) -> list[Message]:
        return compacted(summary, kept)
