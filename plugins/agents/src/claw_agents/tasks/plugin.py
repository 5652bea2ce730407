"""claw-agents' task hooks: the Task*/Cron* tools, the ``embedded`` backend and the CLI commands.

Imports only ``claw`` at module level; the implementations load when a hook asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    from claw_agents.tasks.cron_tools import CronCreateTool, CronDeleteTool, CronListTool
    from claw_agents.tasks.tools import (
        TaskCreateTool,
        TaskGetTool,
        TaskListTool,
        TaskOutputTool,
        TaskStopTool,
        TaskUpdateTool,
    )

    for tool in (
        TaskCreateTool(),
        TaskGetTool(),
        TaskListTool(),
        TaskUpdateTool(),
        TaskOutputTool(),
        TaskStopTool(),
        CronCreateTool(),
        CronListTool(),
        CronDeleteTool(),
    ):
        register(tool)


@claw.hookimpl
def claw_register_task_backends(register: Callable[[claw.TaskBackend], None]) -> None:
    from claw_agents.tasks.embedded import EmbeddedTaskBackend

    register(EmbeddedTaskBackend())


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_agents.tasks.cli import register

    register(cli)
