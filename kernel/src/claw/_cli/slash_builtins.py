"""The built-in slash commands' contract (``claw_register_slash_commands``, which says where they run) and
the front ends' way to them, through the dispatcher ``claw_slash_dispatcher`` answers (claw's
``slash_commands`` built-in, which runs a session's commands typed as a prompt too, and builds the
:class:`claw.BuiltinContext` each gets)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from claw._session_context import slash_call

if TYPE_CHECKING:
    from claw import BuiltinContext  # the slash_commands built-in's
    from claw._errors import ClawError


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


def _dispatcher(loop: Any) -> Any:
    return loop.app.pm.hook.claw_slash_dispatcher() if loop is not None else None


def command_names(commands: Mapping[str, Any], loop: Any = None) -> dict[str, str]:
    """Every name a prompt accepts after ``/`` with its description (what completion offers and ``/help``
    lists): the session's ``commands``, and with the started ``loop`` the built-ins of its plugins and
    ``/exit``."""
    dispatcher = _dispatcher(loop)
    if dispatcher is None:
        return {name: command.description for name, command in commands.items()}
    return dispatcher.names(loop, commands)


def unknown_command(line: str, commands: Mapping[str, Any], loop: Any = None) -> ClawError | None:
    """The error for a line calling a ``/name`` none of :func:`command_names` (its hint names the nearest;
    claw-commands' when missing), else ``None``: what a front end reports instead of starting a turn."""
    dispatcher = _dispatcher(loop)
    return dispatcher.unknown(loop, line, commands) if dispatcher is not None else None


async def run_builtin(loop: Any, line: str, out: TextIO) -> bool:
    """Run ``line`` if it calls a built-in command, writing its report to ``out``; returns whether it
    did (``False``: the line is a prompt, or another slash command, for the agent loop).

    :raises ClawError: ``line`` calls no command at all (the hint names built-ins as well), the command
        failed (``/export`` to a file that exists), or it is a default built-in whose plugin
        (claw-commands) is missing.
    """
    dispatcher = _dispatcher(loop)
    return dispatcher is not None and await dispatcher.run(loop, line, out)
