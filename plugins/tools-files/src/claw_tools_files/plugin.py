"""Entry point of the tools-files plugin: registers Read, Write, Edit, MultiEdit, Glob, Grep and
NotebookEdit. Only ``claw`` is imported here; the tools load inside the hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from collections.abc import Callable

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    from claw_tools_files._glob import GlobTool
    from claw_tools_files._grep import GrepTool
    from claw_tools_files._notebook import NotebookEditTool
    from claw_tools_files._read import ReadTool
    from claw_tools_files._write import EditTool, MultiEditTool, WriteTool

    for tool in (
        ReadTool(),
        WriteTool(),
        EditTool(),
        MultiEditTool(),
        GlobTool(),
        GrepTool(),
        NotebookEditTool(),
    ):
        register(tool)
