"""``claw hooks``: the hooks in effect and where each came from."""

from __future__ import annotations

import click

from claw.cli._output import emit_json, table
from claw.cli._root import state_of


@click.group()
def hooks() -> None:
    """Inspect hooks."""


@hooks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_hooks(ctx: click.Context, as_json: bool) -> None:
    """List the command hooks from every settings file, and plugins with programmatic handlers."""
    from claw.hooks import effective_hooks

    app = state_of(ctx).app
    configured = effective_hooks(app.settings)
    handlers = [record.label for record in app.pm.implementers("claw_hook_event")]
    held = [line for h in app.settings.held_back if h.key == "hooks" for line in h.lines()]
    if as_json:
        emit_json(
            {
                "hooks": [
                    {
                        "event": h.event,
                        "matcher": h.matcher,
                        "type": "command",
                        "command": h.command,
                        "timeout": h.timeout,
                        "if": h.condition,
                        "source": h.source,
                    }
                    for h in configured
                ],
                "handlers": handlers,
                "heldBack": held,
            }
        )
        return
    if not configured and not handlers and not held:
        click.echo("no hooks configured")
        return
    if configured:
        rows = [
            (h.event, h.matcher or "*", h.condition or "", h.command, f"{h.timeout:g}s", h.source)
            for h in configured
        ]
        table(rows, ["EVENT", "MATCHER", "IF", "COMMAND", "TIMEOUT", "SOURCE"])
    for label in handlers:
        click.echo(f"programmatic handler: {label}")
    if held:
        click.echo(f"held back until the folder is trusted ({app.trust.how_to_trust}):")
        for line in held:
            click.echo(f"  {line}")
