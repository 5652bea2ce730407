"""claw-agents' task hooks: the Task*/Cron* tools, the ``embedded`` backend, the CLI commands and ``--bg``.

Imports only ``claw`` at module level; the implementations load when a hook asks for them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    # The Task* tools by reference: their implementation (the task backend contract, the store, the
    # background-agent bookkeeping) is imported at the first call of one of them, not on every start.
    from claw_agents.tasks import specs
    from claw_agents.tasks.cron_tools import CronCreateTool, CronDeleteTool, CronListTool

    for spec, cls in (
        (specs.TASK_CREATE, "TaskCreateTool"),
        (specs.TASK_GET, "TaskGetTool"),
        (specs.TASK_LIST, "TaskListTool"),
        (specs.TASK_UPDATE, "TaskUpdateTool"),
        (specs.TASK_OUTPUT, "TaskOutputTool"),
        (specs.TASK_STOP, "TaskStopTool"),
    ):
        register(claw.ToolRef(spec, f"claw_agents.tasks.tools:{cls}"))
    for tool in (CronCreateTool(), CronListTool(), CronDeleteTool()):
        register(tool)


@claw.hookimpl
def claw_stop_task(task_id: str, session: claw.SessionContext) -> Awaitable[claw.StoppedTask] | None:
    """The Agent SDK's ``stop_task`` for a detached task this session's ``TaskCreate`` started."""
    from claw_agents.tasks import announce

    return announce.stop(session, task_id) if announce.owns(session, task_id) else None


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> None:
    import sys

    announce = sys.modules.get("claw_agents.tasks.announce")  # loaded once a detached task was started
    if announce is not None:
        announce.end_session(session)


@claw.hookimpl
def claw_register_task_backends(register: Callable[[claw.TaskBackend], None]) -> None:
    from claw_agents.tasks.embedded import EmbeddedTaskBackend

    register(EmbeddedTaskBackend())


@claw.hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    register(
        click.Option(
            ["--bg", "--background", "background"],
            is_flag=True,
            help="Run in print mode as a background task and return at once (follow it with `claw tasks`).",
        )
    )


@claw.hookimpl(tryfirst=True)
def claw_adjust_run(options: claw.LoopOptions) -> str | None:
    """``--bg``: hand the run to the task backend before any other plugin acts on it (``-w`` would make
    its worktree here, then again in the task)."""
    if not options.extra.get("background"):
        return None
    from claw_agents.tasks.bg import hand_off

    return hand_off(options)


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_agents.tasks.cli import register

    register(cli)


@claw.hookimpl
def claw_doctor_checks(settings: claw.EffectiveSettings, env: dict[str, str]) -> list[claw.DoctorCheck]:
    """Which task backend settings select, and whether the embedded supervisor is up (and where)."""
    from claw_agents.tasks.embedded import supervisor_pid
    from claw_agents.tasks.store import agents_dir

    agents = settings.data.get("agents")
    backend = (agents.get("backend") if isinstance(agents, dict) else None) or "embedded"
    root = agents_dir(env)
    pid = supervisor_pid(root) if root.is_dir() else None
    running = f"running (pid {pid})" if pid else "not running (starts on demand)"
    return [
        claw.DoctorCheck(section="agents", name="task backend", status="info", detail=backend),
        claw.DoctorCheck(
            section="agents", name="supervisor", status="info", detail=f"{running}; state {root}"
        ),
    ]
