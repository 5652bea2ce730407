"""``claw plugins``: the installed plugins, their status, load time and registrations (cached between
runs, :mod:`.cache`). A command like any plugin's (``claw_register_commands``); a plugin replaces it with
settings ``plugins.overrides`` ``{"plugins": "my-dist"}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw._builtins.plugin_list.command import plugins

    cli.add_command(plugins)
