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
    # By reference: the implementations (the file walker, the search engine, the text-file helpers)
    # are imported at the first call of one of these tools, not on every start.
    from claw_tools_files import _specs

    for spec, target in (
        (_specs.READ, "_read:ReadTool"),
        (_specs.WRITE, "_write:WriteTool"),
        (_specs.EDIT, "_write:EditTool"),
        (_specs.MULTI_EDIT, "_write:MultiEditTool"),
        (_specs.GLOB, "_glob:GlobTool"),
        (_specs.GREP, "_grep:GrepTool"),
        (_specs.NOTEBOOK_EDIT, "_notebook:NotebookEditTool"),
    ):
        register(claw.ToolRef(spec, f"claw_tools_files.{target}"))
