"""``claw resume-session FILE [COMMANDS...]`` (claw-code-go's spelling): ``claw --resume FILE`` with the
built-in slash commands and a prompt to run in order. A root option, not a store feature: the session
store (``claw_session_store``) reads FILE, or says which to install when there is none."""

from __future__ import annotations

from pathlib import Path

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
    from claw._cli.slash_builtins import split_words

    root = ctx.find_root()
    params = {**root.params, "resume": str(file.resolve()), "continue_": False}
    lines = split_words(state_of(ctx).app, list(commands))
    if lines:
        params["print_mode"] = True
    run_root(root, lines or None, params)
