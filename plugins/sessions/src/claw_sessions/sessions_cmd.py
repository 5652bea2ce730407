"""``claw sessions list``: the sessions of this workspace."""

from __future__ import annotations

import json
from pathlib import Path

import click
from claw import command_context, sessions_dir, table


def session_dir_of(ctx: click.Context, session_dir: Path | None) -> Path:
    """The sessions directory a command reads: its ``--session-dir``, the root's, else the workspace's."""
    chosen = session_dir or ctx.find_root().params.get("session_dir")
    if chosen:
        return chosen
    context = command_context(ctx)
    return sessions_dir(context.workspace, context.env)


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
    found = command_context(ctx).session_store(session_dir_of(ctx, session_dir)).list()
    if as_json:
        data = [
            {
                "session_id": s.session_id,
                "path": str(s.path),
                "started": s.started,
                "updated": s.updated,
                "model": s.model,
                "num_turns": s.num_turns,
                "title": s.title,
                "name": s.name,
                "parent_session_id": s.parent_id,
            }
            for s in found
        ]
        click.echo(json.dumps(data, indent=2, default=str))
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
            s.name[:30],
            " ".join(s.title.split())[:50],
        )
        for s in found
    ]
    table(rows, ("SESSION", "UPDATED", "TURNS", "MODEL", "NAME", "FIRST PROMPT"))
