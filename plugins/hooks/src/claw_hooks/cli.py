"""``claw hooks``: the hooks in effect and where each came from."""

from __future__ import annotations

import json

import click


@click.group()
def hooks() -> None:
    """Inspect hooks."""


@hooks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_hooks(ctx: click.Context, as_json: bool) -> None:
    """List the command hooks from every settings file, and plugins with programmatic handlers."""
    import claw

    from claw_hooks.config import disabled_by, effective_hooks

    run = claw.command_context(ctx)
    settings = run.settings
    configured = effective_hooks(settings)
    handlers = run.implementers("claw_hook_event")
    held = [line for h in settings.held_back if h.key == "hooks" for line in h.lines()]
    off = disabled_by(getattr(settings, "layers", []) or [])
    if as_json:
        data = {
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
            "disabledBy": off.label if off is not None else None,
        }
        click.echo(json.dumps(data, indent=2, default=str))
        return
    if off is not None:
        but = "" if off.scope == "managed" else " but the managed settings' ones"
        click.echo(f"command hooks{but} are off: disableAllHooks in {off.label}")
    if not configured and not handlers and not held:
        click.echo("no hooks configured")
        return
    if configured:
        rows = [
            (h.event, h.matcher or "*", h.condition or "", h.command, f"{h.timeout:g}s", h.source)
            for h in configured
        ]
        claw.table(rows, ["EVENT", "MATCHER", "IF", "COMMAND", "TIMEOUT", "SOURCE"])
    for label in handlers:
        click.echo(f"programmatic handler: {label}")
    if held:
        how = settings.trust.how_to_trust if settings.trust is not None else "claw trust"
        click.echo(f"held back until the folder is trusted ({how}):")
        for line in held:
            click.echo(f"  {line}")
