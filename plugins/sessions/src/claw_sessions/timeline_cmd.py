"""``claw timeline``: the chronological view of a session."""

from __future__ import annotations

from pathlib import Path

import click
from claw import command_context


@click.command()
@click.option(
    "--session",
    "session",
    default="latest",
    show_default=True,
    metavar="ID|latest|PATH",
    help="The session to show.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["pretty", "json", "md"]), default="pretty", show_default=True
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the last N events.")
@click.option(
    "--session-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where session files live (default: this workspace's folder).",
)
@click.pass_context
def timeline(ctx: click.Context, session: str, fmt: str, limit: int | None, session_dir: Path | None) -> None:
    """Show what happened in a session: messages, tool calls, permissions, hooks, retries, compactions."""
    from claw_sessions import timeline as tl
    from claw_sessions.jsonl import find_session
    from claw_sessions.sessions_cmd import session_dir_of
    from claw_sessions.store import read_events

    path = find_session(session, session_dir_of(ctx, session_dir))
    events = read_events(path)
    sid = str(next((e.get("session_id") for e in events if e.get("type") == "session_start"), path.stem))
    if fmt == "json":
        click.echo(tl.render_json(sid, events, limit))
    elif fmt == "md":
        click.echo(tl.render_md(sid, events, limit))
    elif not command_context(ctx).hook.claw_render_timeline(session_id=sid, events=events, limit=limit):
        tl.render_pretty(sid, events, limit)  # no plugin draws it (claw-tui does): the table
