"""``claw print-system-prompt``: exactly the system prompt a session here would send."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from claw import UsageError, command_context


@click.command("print-system-prompt")
@click.option(
    "--cwd",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The workspace to build it for (default: --work-dir or the current directory).",
)
@click.option(
    "--date", "date", default=None, metavar="YYYY-MM-DD", help="The date to state (default: today)."
)
@click.pass_context
def print_system_prompt(ctx: click.Context, cwd: Path | None, date: str | None) -> None:
    """Print the system prompt: claw's instructions, the environment and the instruction files
    (CLAUDE.md / AGENTS.md, with @imports). Root --system-prompt / --append-system-prompt (and their
    -file forms) / --add-dir / --exclude-dynamic-system-prompt-sections apply, and settings
    permissions.additionalDirectories, as in a run."""
    root = ctx.find_root().params
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise UsageError(f"--date: not a YYYY-MM-DD date: {date}") from None
    click.echo(
        command_context(ctx).system_prompt(
            cwd,
            date=day,
            system_prompt=root.get("system_prompt"),
            append=root.get("append_system_prompt"),
            add_dirs=root.get("add_dir") or (),
            exclude_dynamic=bool(root.get("exclude_dynamic_system_prompt_sections")),
        )
    )
