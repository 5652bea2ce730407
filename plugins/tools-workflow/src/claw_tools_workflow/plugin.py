"""Entry point of the tools-workflow plugin: registers TodoWrite, Sleep, AskUser, ToolSearch and
Skill, and offers each session the Markdown slash commands of its workspace and user config.
Only ``claw`` is imported here; the tools load inside the hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

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


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> None:
    from claw_tools_workflow._commands import register_all

    register_all(session)
