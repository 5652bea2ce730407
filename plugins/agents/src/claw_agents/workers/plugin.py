"""Entry point of claw-agents' workers: the ``Worker*``, ``Team*`` and ``SendMessage`` tools and
``claw workers``. Only ``claw`` is imported here; the implementation loads inside the hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    from claw_agents.workers.tools import TOOLS

    for tool in TOOLS:
        register(tool)


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_agents.workers.cli import workers

    cli.add_command(workers)
