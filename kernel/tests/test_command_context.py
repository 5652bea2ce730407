"""``claw.command_context(ctx)``: what a plugin's subcommand sees of its run, through the public API only."""

from __future__ import annotations

import json

import claw

PLUGIN = """
import json
from contextlib import asynccontextmanager

import claw
import click


class Pipe(claw.Transport):
    name = "pipe"
    aliases = ("tube",)

    @asynccontextmanager
    async def connect(self, config):
        yield None, None


@claw.hookimpl
def claw_register_transports(register):
    register(Pipe)


@claw.hookimpl
def claw_hook_event(event):
    if event.hook_event_name == "PrePluginInstall":
        return claw.HookOutcome(action="block", reason=f"no installs in {event.cwd}")


@claw.hookimpl
def claw_register_commands(cli):
    @cli.command("show-context")
    @click.pass_context
    def show(ctx):
        import asyncio

        context = claw.command_context(ctx)
        event = claw.HookEvent(hook_event_name="PrePluginInstall", cwd=str(context.workspace), plugin={})
        outcome = asyncio.run(context.run_hook(event))
        click.echo(json.dumps({
            "workspace": str(context.workspace),
            "marker": context.env.get("CONTEXT_MARKER"),
            "model": context.settings.get("model"),
            "transports": sorted(n for n, t in context.transports.items() if t.__name__ == "Pipe"),
            "hook": [outcome.action, outcome.reason],
        }))
"""


def test_a_plugin_command_sees_workspace_env_settings_registries_and_hooks(
    claw, claw_env, plugin_module, workspace
):
    plugin_module("context_cmd", PLUGIN)
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text('{"model": "m-from-project"}')
    claw_env["CONTEXT_MARKER"] = "seen"
    result = claw("show-context").assert_success()
    assert json.loads(result.stdout) == {
        "workspace": str(workspace.resolve()),
        "marker": "seen",
        "model": "m-from-project",
        "transports": ["pipe", "tube"],
        "hook": ["block", f"no installs in {workspace.resolve()}"],
    }


def test_create_builds_a_context_for_a_workspace_outside_the_cli(claw_env, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text('{"model": "m-created"}')
    context = claw.CommandContext.create(workspace, env=claw_env)
    assert context.workspace == workspace.resolve()
    assert context.env is claw_env
    assert context.settings.get("model") == "m-created"
    assert context.settings.sources["model"].endswith(".claw/settings.json")
