"""What a built-in slash command sees (``claw.BuiltinContext``): the ``slash_commands`` built-in's dispatcher
builds it for each call, so it is that built-in's, not the kernel's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from claw._messages import Message, Usage
    from claw._session_context import SessionContext


@dataclass(frozen=True)
class BuiltinContext:
    """What a built-in slash command sees, taken as it is called: the ``session``'s id, workspace, env,
    trust, file (``transcript_path``) and commands, with the loop's facts; ``out`` takes the report (stdout
    in ``-p`` text output, else stderr or the UI's note), ``compact()`` summarises the older turns now
    (returns whether it did), ``help_text`` lists every command the prompt accepts, ``trust_store()`` is
    where trusted folders are remembered (``claw_trust_store``; ``None`` when no plugin keeps them, the
    ``trust_store`` built-in disabled): what ``/trust`` writes to."""

    session: SessionContext
    messages: list[Message]
    model: str  # its provider/model address
    usage: Usage
    cost_usd: float
    context_tokens: int
    context_window: int
    permission_mode: str
    out: TextIO
    compact: Callable[[], Awaitable[bool]]
    help_text: str
    trust_store: Callable[[], Any]
