"""Entry point of the tools-shell plugin: registers Bash, BashOutput and KillShell, and stops a
session's background jobs when it ends. Only ``claw`` is imported here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    # By reference: _bash (the parser, the confinement analysis, the process manager) is imported
    # at the first call of one of these tools, not on every start.
    from claw_tools_shell import _specs

    for spec, cls in (
        (_specs.BASH, "BashTool"),
        (_specs.BASH_OUTPUT, "BashOutputTool"),
        (_specs.KILL_SHELL, "KillShellTool"),
    ):
        register(claw.ToolRef(spec, f"claw_tools_shell._bash:{cls}"))


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> None:
    import sys

    # Only if a job could have been started (the module is loaded once Bash ran).
    process = sys.modules.get("claw_tools_shell._process")
    if process is not None:
        process.JOBS.end_session(session.session_id)


@claw.hookimpl
def claw_stop_task(task_id: str, session: claw.SessionContext) -> Awaitable[claw.StoppedTask] | None:
    import sys

    # Only a background job can have this id, and only once Bash has loaded the process manager.
    process = sys.modules.get("claw_tools_shell._process")
    job = process.JOBS.get(session.session_id, task_id) if process is not None else None
    if job is None:
        return None
    from claw_tools_shell._bash import stop_job

    return stop_job(job)
