"""The session flags' table and their mapping onto :class:`claw.LoopOptions` (imported for ``claw --help``:
click only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from claw._cli.run_options import RESUME_PICK

if TYPE_CHECKING:
    from claw._loop.options import LoopOptions


def options() -> list[click.Option]:
    """The options, in the order ``claw --help`` lists them."""
    return [
        click.Option(
            ["--session-dir"],
            type=click.Path(file_okay=False, path_type=Path),
            help="Where session files live (default: the workspace's folder in the state dir).",
        ),
        click.Option(
            ["-r", "--resume"],
            is_flag=False,
            flag_value=RESUME_PICK,
            metavar="[ID|NAME|latest|PATH]",
            help="Resume a session; without an id, pick one (in the full-screen UI, claw-tui).",
        ),
        click.Option(["--session"], metavar="ID", help="claw-code-go's spelling of --resume ID."),
        click.Option(
            ["-c", "--continue", "continue_"], is_flag=True, help="Resume this folder's latest session."
        ),
        click.Option(
            ["--fork-session"], is_flag=True, help="With --resume/--continue: continue in a new session."
        ),
        click.Option(["--session-id"], metavar="UUID", help="Use this id for the new session."),
        click.Option(["--no-session-persistence"], is_flag=True, help="Do not save the session."),
    ]


def adjust(options: LoopOptions) -> str | None:
    """The flags' values (``options.extra``) onto ``options``; a contradictory combination refused."""
    given = options.extra
    resume = given.get("resume")
    if given.get("session"):
        if resume not in (None, given["session"]) or given.get("continue_"):
            return "--session is --resume: give only one of --session, --resume, --continue"
        resume = given["session"]
    if given.get("continue_"):
        if resume is not None:
            return "--continue and --resume cannot be used together"
        resume = "latest"
    if given.get("fork_session") and resume is None:
        return "--fork-session needs --resume or --continue"
    if given.get("session_id") and resume is not None and not given.get("fork_session"):  # as Claude Code
        return "--session-id can only be used with --continue or --resume if --fork-session is also specified"
    options.resume, options.fork = resume, bool(given.get("fork_session"))
    options.session_dir, options.session_id = given.get("session_dir"), given.get("session_id")
    options.persist = not given.get("no_session_persistence")
    return None
