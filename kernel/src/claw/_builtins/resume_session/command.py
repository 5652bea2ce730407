"""``claw resume-session FILE [COMMANDS...]`` (claw-code-go's spelling): ``claw --resume FILE`` with the
built-in slash commands and a prompt to run in order. A root option, not a store feature: the session
store (``claw_session_store``) reads FILE, or says which to install when there is none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


@click.command("resume-session")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("commands", nargs=-1)
@click.pass_context
def resume_session(ctx: click.Context, file: Path, commands: tuple[str, ...]) -> None:
    """Continue the session saved in FILE: run COMMANDS in order and exit, else go on interactively.

    \b
    COMMANDS are built-in slash commands and a prompt, as in claw-code-go:
      claw resume-session FILE /compact /cost /status /export notes.md "next step"
    Root options apply: claw --output-format json resume-session FILE "next step"."""
    from claw._cli._root import state_of
    from claw._cli.run import run_root

    root = ctx.find_root()
    params = {**root.params, "resume": str(file.resolve()), "continue_": False}
    lines = split_words(state_of(ctx).app, list(commands))
    if lines:
        params["print_mode"] = True
    run_root(root, lines or None, params)


def split_words(app: Any, words: list[str]) -> list[str]:
    """``resume-session`` arguments as the lines to run in order, as the seed takes them: a word
    naming a built-in (``/cost``) is that command, with its arguments from the next words
    (``/export notes.md``, as many as its argument hint has words); the words between commands form one
    prompt (which may be another ``/command``)."""
    from claw._session_context import slash_call

    builtins = app.objects("slash_commands")

    def is_builtin(word: str) -> bool:
        call = slash_call(word)
        return call is not None and call.name in builtins

    lines: list[str] = []
    prompt: list[str] = []
    i = 0
    while i < len(words):
        call = slash_call(words[i])
        builtin = builtins.get(call.name) if call else None
        i += 1
        if call is None or builtin is None:
            prompt.append(words[i - 1])
            continue
        if prompt:
            lines.append(" ".join(prompt))
            prompt = []
        args, wanted = [call.args] if call.args else [], len(builtin.argument_hint.split())
        while len(args) < wanted and i < len(words) and not is_builtin(words[i]):
            args.append(words[i])  # /export /tmp/notes.md: a path, not a command
            i += 1
        lines.append(" ".join([f"/{call.name}", *args]))
    if prompt:
        lines.append(" ".join(prompt))
    return lines
