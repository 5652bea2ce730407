"""Slash commands typed as a prompt: ``claw -p "/review src/app.py"`` or ``/review src/app.py`` in the REPL.

A prompt is a command call when it starts with ``/`` followed by a name made of letters, digits and
``_ - . :`` and then a space or the end (so ``/usr/bin/env is missing`` is an ordinary prompt). The
command comes from :attr:`claw.SessionContext.commands` (Markdown commands, skills, MCP prompts); the
agent loop expands it and runs the result as the prompt, with the command's ``allowed-tools`` granted
and its ``model`` used for that turn only.
"""

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
