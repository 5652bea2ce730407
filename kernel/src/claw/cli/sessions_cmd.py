"""``claw sessions list`` and ``claw resume-session FILE [COMMANDS...]``."""

from __future__ import annotations

from pathlib import Path

import click

from claw.cli._output import emit_json, table
from claw.cli._root import state_of


def sessions_dir(ctx: click.Context, session_dir: Path | None) -> Path:
    from claw import paths

    state = state_of(ctx)
    root = ctx.find_root()
    chosen = session_dir or root.params.get("session_dir")
    return chosen or paths.sessions_dir(state.app.workspace, state.app.env)


@click.group()
def sessions() -> None:
    """List saved sessions."""


@sessions.command("list")
@click.option(
    "--session-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where session files live (default: this workspace's folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_cmd(ctx: click.Context, session_dir: Path | None, as_json: bool) -> None:
    """The sessions of this workspace, most recent first."""
    from claw.sessions import list_sessions

    found = list_sessions(sessions_dir(ctx, session_dir))
    if as_json:
        emit_json(
            [
                {
                    "session_id": s.session_id,
                    "path": str(s.path),
                    "started": s.started,
                    "updated": s.updated,
                    "model": s.model,
                    "num_turns": s.num_turns,
                    "title": s.title,
                    "parent_session_id": s.parent_id,
                }
                for s in found
            ]
        )
        return
    if not found:
        click.echo("no sessions")
        return
    rows = [
        (
            s.session_id,
            (s.updated or "")[:19].replace("T", " "),
            str(s.num_turns),
            s.model or "",
            " ".join(s.title.split())[:50],
        )
        for s in found
    ]
    table(rows, ("SESSION", "UPDATED", "TURNS", "MODEL", "FIRST PROMPT"))


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
    from claw.cli.run import run_root
    from claw.cli.slash_builtins import split_words

    root = ctx.find_root()
    params = {**root.params, "resume": str(file.resolve()), "continue_": False}
    lines = split_words(list(commands))
    if lines:
        params["print_mode"] = True
    run_root(root, lines or None, params)
