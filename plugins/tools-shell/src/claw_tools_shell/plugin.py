"""Entry point of the tools-shell plugin: registers Bash, BashOutput and KillShell, and stops a
session's background jobs when it ends. Only ``claw`` is imported here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from collections.abc import Callable

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    from claw_tools_shell._bash import BashOutputTool, BashTool, KillShellTool

    for tool in (BashTool(), BashOutputTool(), KillShellTool()):
        register(tool)


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> None:
    import sys

    # Only if a job could have been started (the module is loaded once Bash ran).
    process = sys.modules.get("claw_tools_shell._process")
    if process is not None:
        process.JOBS.end_session(session.session_id)
