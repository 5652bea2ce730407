"""The built-in slash commands' contract (``claw_register_slash_commands``, which says where they run). The
front ends reach them through the dispatcher ``claw_slash_dispatcher`` answers (claw's ``slash_commands``
built-in, which runs a session's commands typed as a prompt too, and builds the
:class:`claw.BuiltinContext` each gets)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claw._session_context import slash_call

if TYPE_CHECKING:
    from claw import BuiltinContext  # the slash_commands built-in's


@dataclass(frozen=True)
class BuiltinCommand:
    """A built-in slash command (``claw_register_slash_commands``): ``/name`` with a one-line
    ``summary``; ``await run(context, args)`` writes its report to ``context.out`` or raises
    :class:`claw.ClawError`. Each word of ``argument_hint`` (``[FILE]``) is one argument
    ``claw resume-session FILE /export notes.md`` gives it."""

    name: str
    summary: str
    run: Callable[[BuiltinContext, str], Awaitable[None]]
    argument_hint: str = ""

    def __post_init__(self) -> None:
        if slash_call(f"/{self.name}") != (self.name, "") or "\n" in self.summary or not callable(self.run):
            raise ValueError(f"needs a name of letters, digits, _.:-, a one-line summary, a run: {self!r}")
