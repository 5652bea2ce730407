"""What ``claw_slash_dispatcher`` answers: each method does what the public function it serves says
(:func:`claw.command_names`, :func:`claw.unknown_command`, :func:`claw.run_builtin`, below: the front ends'
way to it, which asks whatever answers the hook; with none, no line is a built-in). A built-in beats a
session's slash command of its name, as Claude Code's do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from claw._builtins.slash_commands.calls import run_prompt, unknown
from claw._builtins.slash_commands.context import BuiltinContext
from claw._errors import ClawError
from claw._plugins import missing_plugin
from claw._session_context import slash_call

#: The built-ins claw-commands registers: while it is missing or disabled, calling one says so.
DEFAULT_NAMES = frozenset({"help", "compact", "cost", "status", "export", "trust"})

#: Commands the interactive front ends (claw-repl, claw-tui) handle themselves: they end the session.
REPL_ONLY: dict[str, str] = {"exit": "end the session (also Ctrl-D)", "quit": "the same as /exit"}


class Dispatcher:
    def names(self, loop: Any, commands: Mapping[str, Any]) -> dict[str, str]:
        return {
            **{name: command.description for name, command in commands.items()},
            **{name: b.summary for name, b in loop.app.objects("slash_commands").items()},
            **REPL_ONLY,
        }

    def unknown(self, loop: Any, line: str, commands: Mapping[str, Any]) -> ClawError | None:
        call = slash_call(line)
        known = self.names(loop, commands)
        if call is None or call.name in known:
            return None
        if call.name not in DEFAULT_NAMES:
            return unknown(call.name, known)
        return ClawError(missing_plugin(f"/{call.name}: built-in slash commands need", "claw-commands"))

    async def run(self, loop: Any, line: str, out: TextIO) -> bool:
        call = slash_call(line)
        if call is None:
            return False
        builtin = loop.app.objects("slash_commands").get(call.name)
        if builtin is None:
            if error := self.unknown(loop, line, loop.ctx.commands):  # the hint names built-ins too
                raise error
            return False
        await builtin.run(_context(loop, out), call.args)
        out.flush()
        return True

    prompt = staticmethod(run_prompt)


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
        trust_store=lambda: loop.app.pm.hook.claw_trust_store(env=dict(loop.env)),
    )


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
