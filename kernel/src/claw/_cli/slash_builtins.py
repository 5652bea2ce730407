"""The built-in slash commands, one registry for every place a ``/command`` can be typed: the interactive
front ends (claw-repl, claw-tui: ``claw.run_builtin``), ``claw -p "/cost"`` (stream-json input included)
and ``claw resume-session FILE /compact /cost ...``.

``/help``, ``/compact``, ``/cost``, ``/status``, ``/export [FILE]`` and ``/trust`` act on the session without a
model turn (``/compact`` asks the model for its summary) and print a short report. They take precedence
over a session's slash commands of the same name, as Claude Code's built-ins do; any other ``/name``
is the agent loop's (:mod:`claw._loop.slash`). ``/exit`` belongs to the front ends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from claw._errors import ClawError
from claw._loop import slash


@dataclass(frozen=True)
class Builtin:
    usage: str
    summary: str
    #: How many words after the name ``resume-session`` gives the command (its arguments).
    max_args: int
    run: Callable[[Any, str, TextIO], Awaitable[None]]


async def _help(loop: Any, _args: str, out: TextIO) -> None:
    out.write(help_text(loop.ctx.commands) + "\n")


async def _compact(loop: Any, _args: str, out: TextIO) -> None:
    if await loop.compact("manual"):
        out.write("compacted\n")


async def _cost(loop: Any, _args: str, out: TextIO) -> None:
    state = loop.session.state
    u = state.usage
    out.write(
        f"Total cost:  ${state.cost_usd:.4f}\n"
        f"Tokens:      {u.input_tokens} input, {u.output_tokens} output, "
        f"{u.cache_read_input_tokens} cache read, {u.cache_creation_input_tokens} cache write\n"
    )


async def _status(loop: Any, _args: str, out: TextIO) -> None:
    s = loop.status()
    share = f" ({s['context_tokens'] * 100 // s['context_window']}%)" if s["context_window"] else ""
    out.write(
        f"Session:     {s['session_id']}\n"
        f"File:        {s['path'] or '(not saved)'}\n"
        f"Model:       {s['model']}\n"
        f"Messages:    {s['messages']}\n"
        f"Context:     {s['context_tokens']} of {s['context_window']} tokens{share}\n"
        f"Permissions: {s['permission_mode']}\n"
        f"Workspace:   {s['workspace']}\n"
    )


async def _export(loop: Any, args: str, out: TextIO) -> None:
    from claw import _transcript as transcript

    session = loop.session
    path = Path(args or f"claw-session-{session.id[:8]}.md").expanduser()
    try:
        with path.open("x", encoding="utf-8") as fh:  # never overwrite: an existing file is someone's
            fh.write(transcript.markdown(session.id, session.messages))
    except FileExistsError:
        raise ClawError(f"/export: {path} already exists; give another file name") from None
    except OSError as exc:
        raise ClawError(f"/export: cannot write {path}: {exc.strerror}") from None
    out.write(f"exported the conversation to {path}\n")


async def _trust(loop: Any, _args: str, out: TextIO) -> None:
    from claw._trust import TrustStore

    trust = loop.app.trust
    if trust.trusted and trust.reason == "remembered":
        out.write(f"already trusted: {trust.folder}\n")
        return
    TrustStore(loop.app.env).add(trust.folder)
    out.write(
        f"trusted: {trust.folder}; its hooks, env, MCP servers and commands' !`cmd` lines take effect "
        "when claw next starts here\n"
    )


COMMANDS: dict[str, Builtin] = {
    "help": Builtin("/help", "this list", 0, _help),
    "compact": Builtin("/compact", "summarise older turns now to free context", 0, _compact),
    "cost": Builtin("/cost", "what the session has cost so far, and its tokens", 0, _cost),
    "status": Builtin("/status", "the session, model, context use and permission mode", 0, _status),
    "export": Builtin("/export [FILE]", "write the conversation to FILE as Markdown", 1, _export),
    "trust": Builtin("/trust", "trust this folder (remembered; takes effect at the next start)", 0, _trust),
}


#: Commands the interactive front ends (claw-repl, claw-tui) handle themselves: they end the session.
REPL_ONLY: dict[str, str] = {"exit": "end the session (also Ctrl-D)", "quit": "the same as /exit"}


def names() -> dict[str, str]:
    """Every built-in name with its summary, the REPL's own included."""
    return {**{name: b.summary for name, b in COMMANDS.items()}, **REPL_ONLY}


def command_names(commands: Mapping[str, Any]) -> dict[str, str]:
    """Every name an interactive prompt accepts after ``/`` (built-in and the session's ``commands``)
    with its description: what completion offers, and what an unknown name is matched against (the
    same list ``/help`` prints)."""
    return {**{name: command.description for name, command in commands.items()}, **names()}


def unknown_command(line: str, commands: Mapping[str, Any]) -> ClawError | None:
    """The error for an input line calling a ``/name`` that is neither built in nor among the session's
    ``commands`` (its hint names the nearest of :func:`command_names`), else ``None``: what an interactive
    front end reports instead of starting a turn."""
    call = slash.parse(line)
    if call is None or call.name in commands or call.name in names():
        return None
    return slash.unknown(call.name, command_names(commands))


def help_text(commands: Mapping[str, Any]) -> str:
    """The built-in commands, then the session's slash commands with their argument hints (a session
    command named like a built-in is never reached, so it is not listed)."""
    lines = [f"{b.usage:<18} {b.summary}" for b in COMMANDS.values()]
    lines += [f"{'/' + name:<18} {summary}" for name, summary in REPL_ONLY.items()]
    for name in sorted(set(commands) - set(COMMANDS) - set(REPL_ONLY)):
        command = commands[name]
        usage = f"/{name} {command.argument_hint}".rstrip()
        lines.append(f"{usage:<18} {command.description}".rstrip())
    return "\n".join(lines)


async def run_builtin(loop: Any, line: str, out: TextIO) -> bool:
    """Run ``line`` if it calls a built-in command, writing its report to ``out``; returns whether it
    did (``False``: the line is a prompt, or another slash command, for the agent loop).

    :raises UnknownCommand: ``line`` calls no command at all (the hint names built-ins as well).
    :raises ClawError: the command failed (``/export`` to a file that exists).
    """
    call, builtin = _builtin(line)
    if call is None:
        return False
    if builtin is None:
        slash.lookup(loop.ctx.commands, call.name, also=COMMANDS)  # an unknown name: hint built-ins too
        return False
    await builtin.run(loop, call.args, out)
    out.flush()
    return True


def _builtin(line: str) -> tuple[slash.Call | None, Builtin | None]:
    call = slash.parse(line)
    return call, COMMANDS.get(call.name) if call else None


def is_builtin(line: str) -> bool:
    return _builtin(line)[1] is not None


def split_words(words: list[str]) -> list[str]:
    """``resume-session`` arguments as the lines to run in order, as the seed takes them: a word
    naming a built-in (``/cost``) is that command, with its arguments from the next words
    (``/export notes.md``); the words between commands form one prompt (which may be another
    ``/command``)."""
    lines: list[str] = []
    prompt: list[str] = []
    i = 0
    while i < len(words):
        call, builtin = _builtin(words[i])
        i += 1
        if call is None or builtin is None:
            prompt.append(words[i - 1])
            continue
        if prompt:
            lines.append(" ".join(prompt))
            prompt = []
        args = [call.args] if call.args else []
        while len(args) < builtin.max_args and i < len(words) and _builtin(words[i])[1] is None:
            args.append(words[i])  # /export /tmp/notes.md: a path, not a command
            i += 1
        lines.append(" ".join([f"/{call.name}", *args]))
    if prompt:
        lines.append(" ".join(prompt))
    return lines
