"""Slash commands typed as a prompt (``claw -p "/review src/app.py"``): which prompt is a command call,
and the error naming the nearest commands; what a call does is in docs/cli.md, "Slash commands"."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from claw._errors import ClawError
from claw._session_context import SlashCommand

_CALL = re.compile(r"/([A-Za-z0-9_][A-Za-z0-9_.:-]*)(?:\s+(.*))?\Z", re.S)


class Call(NamedTuple):
    name: str
    args: str


class UnknownCommand(ClawError):
    """A ``/name`` no plugin offers; the message lists close matches."""


def parse(prompt: str) -> Call | None:
    """The command call ``prompt`` is, or ``None`` for an ordinary prompt."""
    m = _CALL.match(prompt.strip())
    return Call(m.group(1), (m.group(2) or "").strip()) if m else None


def lookup(commands: Mapping[str, SlashCommand], name: str) -> SlashCommand:
    """The command called ``name``.

    :raises UnknownCommand: naming close matches (or every command when there are few).
    """
    command = commands.get(name)
    if command is None:
        raise unknown(name, commands)
    return command


def unknown(name: str, names: Iterable[str]) -> UnknownCommand:
    """The error for ``/name``, which is none of ``names``: it suggests the nearest ones (difflib), so
    every place that rejects a name (``-p``, the REPL with its own commands) says the same thing."""
    names = sorted(set(names))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        hint = "; did you mean " + ", ".join(f"/{c}" for c in close) + "?"
    elif names:
        hint = "; available: " + ", ".join(f"/{c}" for c in names[:8]) + (", ..." if len(names) > 8 else "")
    else:
        hint = "; no slash commands are defined"
    return UnknownCommand(f"unknown slash command /{name}{hint}")
