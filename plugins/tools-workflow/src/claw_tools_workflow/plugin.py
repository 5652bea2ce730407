"""Entry point of the tools-workflow plugin: registers TodoWrite, Sleep, AskUser, ToolSearch and
Skill, and offers each session the Markdown slash commands of its workspace and user config (none, and
no Skill tool, with ``--disable-slash-commands``, Claude Code's flag). Only ``claw`` is imported here
(and ``click`` when the run options are asked for); the tools load inside the hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    from claw_tools_workflow._interaction import AskUserTool, SleepTool
    from claw_tools_workflow._skill import SkillTool
    from claw_tools_workflow._todo import TodoWriteTool
    from claw_tools_workflow._toolsearch import ToolSearchTool

    for tool in (TodoWriteTool(), SleepTool(), AskUserTool(), ToolSearchTool(), SkillTool()):
        register(tool)


@claw.hookimpl
def claw_trust_items(workspace: Path, env: dict[str, str]) -> list[str]:
    from claw_tools_workflow._commands import project_commands_running

    return project_commands_running(workspace, env)


#: ``--disable-slash-commands``' parameter name: its value reaches the run as ``extra[...]``.
DISABLE = "disable_slash_commands"


@claw.hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    register(
        click.Option(
            ["--disable-slash-commands", DISABLE],
            is_flag=True,
            help="Disable all skills and custom slash commands, and the Skill tool (as Claude Code's).",
        )
    )


@claw.hookimpl
def claw_adjust_run(options: claw.LoopOptions) -> None:
    """``--disable-slash-commands`` takes the Skill tool away, as Claude Code's does."""
    if options.extra.get(DISABLE):
        options.disallowed_tools.append("Skill")


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> None:
    from claw_tools_workflow._commands import register_all

    if not (session.extra or {}).get(DISABLE):  # ``--disable-slash-commands``: none offered
        register_all(session)
