"""The compaction contract (``claw_compactor``; claw-compaction's summarises the older turns): the loop's
:class:`Compactor` and :func:`compacted_history`, which compactors and session stores share."""

from __future__ import annotations

from typing import Protocol

from claw._messages import Message, TextBlock, ToolResultBlock

SUMMARY_HEADER = (
    "This session continues an earlier conversation that was compacted. Summary of the earlier part:"
)


def compacted_history(summary: str, kept: list[Message]) -> list[Message]:
    """The new history: the summary as the first user message, then the kept turns (roles still alternate)."""
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
