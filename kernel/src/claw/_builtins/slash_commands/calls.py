"""Slash commands typed as a prompt (``claw -p "/review src/app.py"``): a session's command run as the
turn's prompt, and the error naming the nearest commands; what a call does is in docs/cli.md, "Slash
commands"."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from claw._errors import ClawError
from claw._loop.options import Outcome
from claw._session_context import slash_call


def unknown(name: str, names: Iterable[str]) -> ClawError:
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
    return ClawError(f"unknown slash command /{name}{hint}")


async def run_prompt(loop: Any, prompt: str) -> Outcome:
    """Run ``prompt``, a call of one of the session's commands: its expansion is the prompt, with the
    command's ``allowed-tools`` granted and its ``model`` used for this turn.

    :raises ClawError: no command has that name (the message lists close matches), or the command
        failed to expand, or names a bad rule or model."""
    call = slash_call(prompt)
    assert call is not None  # the loop asks only for calls
    command = loop.ctx.commands.get(call.name)
    if command is None:
        raise unknown(call.name, loop.ctx.commands)
    loop.session.record(
        "slash_command",
        name=command.name,
        args=call.args,
        source=command.source,
        allowed_tools=list(command.allowed_tools),
        model=command.model,
    )
    loop._emit("slash_command", name=command.name, source=command.source)
    grants = loop.permissions.granted(command.allowed_tools, f"/{command.name} allowed-tools")
    with grants, _turn_model(loop, command.model):
        try:
            text = await command.expand(call.args)
        except ClawError:
            raise
        except Exception as exc:
            raise ClawError(f"/{command.name} failed: {type(exc).__name__}: {exc}") from exc
        return await loop._run_turn(text)


@contextlib.contextmanager
def _turn_model(loop: Any, model: str | None) -> Iterator[None]:
    """Use ``model`` (a slash command's frontmatter ``model``) while the block runs."""
    if not model or model == "inherit":
        yield
        return
    session_caller = loop.caller
    _, chain = loop._choose(model, "the command's frontmatter")
    loop._provider(chain[0])  # missing credentials fail before the turn starts
    loop.caller = loop._caller(chain, session_caller.policy)
    try:
        yield
    finally:
        session_caller.api_seconds += loop.caller.api_seconds
        loop.caller = session_caller
