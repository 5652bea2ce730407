"""Dispatch of the built-in slash commands plugins register (``claw_register_slash_commands``, which says
where they run) for the front ends (``claw.run_builtin``) and ``claw -p "/cost"``. Any other ``/name`` is
the agent loop's (:mod:`claw._loop.slash`); ``/exit`` is the front ends'."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from claw._errors import ClawError
from claw._loop import slash

if TYPE_CHECKING:
    from claw._messages import Message, Usage
    from claw._session_context import SessionContext

#: The built-ins claw-commands registers: while it is missing or disabled, calling one says so.
DEFAULT_NAMES = frozenset({"help", "compact", "cost", "status", "export", "trust"})

#: Commands the interactive front ends (claw-repl, claw-tui) handle themselves: they end the session.
REPL_ONLY: dict[str, str] = {"exit": "end the session (also Ctrl-D)", "quit": "the same as /exit"}


@dataclass(frozen=True)
class BuiltinContext:
    """What a built-in slash command sees, taken as it is called: the ``session``'s id, workspace, env,
    trust, file (``transcript_path``) and commands, with the loop's facts; ``out`` takes the report (stdout
    in ``-p`` text output, else stderr or the UI's note), ``compact()`` summarises the older turns now
    (returns whether it did), ``help_text`` lists every command the prompt accepts."""

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
        if slash.parse(f"/{self.name}") != (self.name, "") or "\n" in self.summary or not callable(self.run):
            raise ValueError(f"needs a name of letters, digits, _.:-, a one-line summary, a run: {self!r}")


def command_names(commands: Mapping[str, Any], loop: Any = None) -> dict[str, str]:
    """Every name a prompt accepts after ``/`` with its description (what completion offers and ``/help``
    lists): the session's ``commands``, the built-ins of ``loop``'s plugins (none without one), ``/exit``."""
    builtins = loop.app.objects("slash_commands") if loop is not None else {}
    return {
        **{name: command.description for name, command in commands.items()},
        **{name: b.summary for name, b in builtins.items()},
        **REPL_ONLY,
    }


def unknown_command(line: str, commands: Mapping[str, Any], loop: Any = None) -> ClawError | None:
    """The error for a line calling a ``/name`` none of :func:`command_names` (its hint names the nearest;
    claw-commands' when missing), else ``None``: what a front end reports instead of starting a turn."""
    call = slash.parse(line)
    known = command_names(commands, loop)
    if call is None or call.name in known:
        return None
    if call.name not in DEFAULT_NAMES:
        return slash.unknown(call.name, known)
    return ClawError(
        f"/{call.name}: built-in slash commands need claw-commands, which is not installed or is disabled "
        "(pip install claw-commands)"
    )


def help_text(loop: Any) -> str:
    """The built-in commands, then the session's slash commands with their argument hints (a session
    command named like a built-in is never reached, so it is not listed)."""
    builtins = loop.app.objects("slash_commands")
    commands = loop.ctx.commands
    lines = [f"{f'/{b.name} {b.argument_hint}'.rstrip():<18} {b.summary}" for b in builtins.values()]
    lines += [f"{'/' + name:<18} {summary}" for name, summary in REPL_ONLY.items()]
    for name in sorted(set(commands) - set(builtins) - set(REPL_ONLY)):
        command = commands[name]
        usage = f"/{name} {command.argument_hint}".rstrip()
        lines.append(f"{usage:<18} {command.description}".rstrip())
    return "\n".join(lines)


def _context(loop: Any, out: TextIO) -> BuiltinContext:
    s, state = loop.status(), loop.session.state
    return BuiltinContext(
        session=loop.ctx,
        messages=list(loop.session.messages),
        model=s["model"],
        usage=state.usage,
        cost_usd=state.cost_usd,
        context_tokens=s["context_tokens"],
        context_window=s["context_window"],
        permission_mode=s["permission_mode"],
        out=out,
        compact=lambda: loop.compact("manual"),
        help_text=help_text(loop),
    )


async def run_builtin(loop: Any, line: str, out: TextIO) -> bool:
    """Run ``line`` if it calls a built-in command, writing its report to ``out``; returns whether it
    did (``False``: the line is a prompt, or another slash command, for the agent loop).

    :raises UnknownCommand: ``line`` calls no command at all (the hint names built-ins as well).
    :raises ClawError: the command failed (``/export`` to a file that exists), or it is a default
        built-in whose plugin (claw-commands) is missing.
    """
    call = slash.parse(line)
    if call is None:
        return False
    builtin = loop.app.objects("slash_commands").get(call.name)
    if builtin is None:
        if error := unknown_command(line, loop.ctx.commands, loop):  # the hint names built-ins too
            raise error
        return False
    await builtin.run(_context(loop, out), call.args)
    out.flush()
    return True
