"""``claw agents list|show NAME`` (``--json``): the sub-agent types this workspace can use."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import claw
import click

if TYPE_CHECKING:
    from claw_agents.subagents.definitions import AgentDefinition


def _found(ctx: click.Context) -> dict[str, AgentDefinition]:
    """The definitions, ``--agents`` (given before the subcommand) and the agents of the Claude Code
    plugin folders a run would load (``--plugin-dir``, settings ``enabledPlugins``) included."""
    from claw_agents.subagents import definitions

    run, given = claw.command_context(ctx), ctx.find_root().params
    folders = [f for found in run.hook.claw_plugin_folders(extra=given, context=run) for f in found or ()]
    return definitions.discover(run.workspace, run.env, given.get("agents"), tuple(folders))


@click.group("agents")
def agents() -> None:
    """Sub-agent types (.claw/agents, .claude/agents, the user's, --agents, Claude Code plugins',
    built-in), and the supervisor of background tasks (serve)."""


def _add_serve() -> None:
    """``claw agents serve`` (the task supervisor) lives with the tasks code; this group owns the name."""
    from claw_agents.tasks.cli import serve

    agents.add_command(serve)


_add_serve()


@agents.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Every sub-agent type, the one that wins for each name."""
    found = _found(ctx)
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in found.values()], indent=2))
        return
    rows = [
        [d.name, d.source, ", ".join(d.tools) if d.tools is not None else "*", d.model or "inherit"]
        for d in found.values()
    ]
    claw.table(rows, ["name", "source", "tools", "model"])


@agents.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show_cmd(ctx: click.Context, name: str, as_json: bool) -> None:
    """One sub-agent type: where it is defined, its tools, model and system prompt."""
    found = _found(ctx)
    definition = found.get(name)
    if definition is None:
        raise claw.UsageError(f"no sub-agent type {name!r}; available: {', '.join(sorted(found))}")
    data = definition.as_dict()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key in (
        "name",
        "description",
        "source",
        "path",
        "tools",
        "disallowedTools",
        "model",
        "permissionMode",
    ):
        value = data[key]
        shown = ", ".join(value) if isinstance(value, list) else value
        click.echo(f"{key}: {shown if shown not in (None, '') else '-'}")
    click.echo("")
    click.echo(data["prompt"])
