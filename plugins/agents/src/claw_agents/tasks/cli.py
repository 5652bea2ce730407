"""``claw tasks list|show|output|stop``, ``claw cron list|add|rm`` and ``claw agents serve``.

Imported for ``claw --help``: module level holds click definitions only. Tasks go through the backend
settings ``agents.backend`` select; cron entries and the supervisor are the embedded store's.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click
from claw import ClawError, UsageError

if TYPE_CHECKING:
    from claw import TaskBackend, TaskRecord

T = TypeVar("T")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _run(awaitable: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``, imported here: this module loads for ``claw --help``, which must stay light."""
    import asyncio

    return asyncio.run(awaitable)


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def _backend(ctx: click.Context) -> TaskBackend:
    from claw import command_context

    return command_context(ctx).task_backend()


def _get(backend: TaskBackend, task_id: str) -> TaskRecord:
    try:
        return _run(backend.get(task_id))
    except KeyError:
        raise ClawError(f"no task {task_id!r}") from None


def _when(at: float | None) -> str:
    return datetime.fromtimestamp(at).astimezone().isoformat(timespec="seconds") if at else "-"


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


@click.group()
def tasks() -> None:
    """Background tasks (prompts and commands run detached; docs/agents.md)."""


@tasks.command("list")
@click.option("--status", "statuses", multiple=True, help="Only these statuses (repeatable).")
@_JSON
@click.pass_context
def tasks_list(ctx: click.Context, statuses: tuple[str, ...], as_json: bool) -> None:
    """List background tasks, oldest first, then the background sub-agents running in claw sessions."""
    from claw import TaskFilter, TaskStatus, table

    try:
        wanted = [TaskStatus(s) for s in statuses] or None
    except ValueError as e:
        raise UsageError(f"--status: {e}; one of {', '.join(s.value for s in TaskStatus)}") from None
    from claw import command_context

    from claw_agents.subagents.background import running_elsewhere

    records = _run(_backend(ctx).list(TaskFilter(statuses=wanted)))
    # background sub-agents run inside their parent's claw process, not on the backend: listed apart
    agents = running_elsewhere(command_context(ctx).env) if not wanted or TaskStatus.RUNNING in wanted else []
    if as_json:
        _dump(
            [r.model_dump(mode="json") for r in records]
            + [{**a, "kind": "agent", "status": "running"} for a in agents]
        )
        return
    rows = [
        [r.id, r.status.value, r.spec.kind, _when(r.created_at), r.spec.name or r.spec.text[:50]]
        for r in records
    ]
    rows += [
        [a["id"], "running", "agent", _when(a["started_at"]), a.get("name") or a["description"]]
        for a in agents
    ]
    table(rows, ["ID", "STATUS", "KIND", "CREATED", "NAME"])


@tasks.command("show")
@click.argument("task_id")
@_JSON
@click.pass_context
def tasks_show(ctx: click.Context, task_id: str, as_json: bool) -> None:
    """Show a task's record and every state transition."""
    record = _get(_backend(ctx), task_id)
    if as_json:
        _dump(record.model_dump(mode="json"))
        return
    click.echo(
        f"id: {record.id}\nstatus: {record.status.value}\nkind: {record.spec.kind}\ntext: {record.spec.text}"
    )
    for key in ("cwd", "model", "permission_mode"):
        if getattr(record.spec, key):
            click.echo(f"{key}: {getattr(record.spec, key)}")
    click.echo(f"exit code: {'-' if record.exit_code is None else record.exit_code}")
    if record.error:
        click.echo(f"error: {record.error}")
    click.echo(f"output: {record.output_path}\nevents:")
    for event in record.events:
        click.echo(f"  {_when(event.at)}  {event.status.value:<9}  {event.detail}")


@tasks.command("output")
@click.argument("task_id")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Byte offset to start at.")
@click.option("--follow", "-f", is_flag=True, help="Keep printing until the task ends.")
@_JSON
@click.pass_context
def tasks_output(ctx: click.Context, task_id: str, offset: int, follow: bool, as_json: bool) -> None:
    """Print a task's output (from --offset); --json gives {text, next_offset, done}."""
    backend = _backend(ctx)
    _get(backend, task_id)

    async def read() -> None:
        nonlocal offset
        while True:
            text, offset, done = await backend.output(task_id, offset)
            if as_json:
                _dump({"text": text, "next_offset": offset, "done": done})
                return
            sys.stdout.write(text)
            sys.stdout.flush()
            if done or (not follow and not text):
                return
            if not text:
                await _sleep(0.2)

    _run(read())


@tasks.command("stop")
@click.argument("task_id")
@_JSON
@click.pass_context
def tasks_stop(ctx: click.Context, task_id: str, as_json: bool) -> None:
    """Stop a task and every process it started."""
    backend = _backend(ctx)
    if _get(backend, task_id).status.final:
        raise ClawError(f"task {task_id} is not running")
    record = _run(backend.stop(task_id))
    if as_json:
        _dump(record.model_dump(mode="json"))
    else:
        click.echo(f"stopped {record.id}")


@click.group()
def cron() -> None:
    """Scheduled prompts (5-field cron expressions, local time; docs/agents.md)."""


def _store(ctx: click.Context) -> Any:
    from claw import command_context

    from claw_agents.tasks.store import open_store

    return open_store(command_context(ctx).env)


@cron.command("list")
@_JSON
@click.pass_context
def cron_list(ctx: click.Context, as_json: bool) -> None:
    """List cron entries."""
    from claw import table

    entries = _store(ctx).list_cron()
    if as_json:
        _dump(entries)
        return
    rows = [
        [
            e["id"],
            e["cron"],
            "yes" if e["recurring"] else "no",
            _when(e["nextRun"]),
            str(e["runs"]),
            e["prompt"][:50],
        ]
        for e in entries
    ]
    table(rows, ["ID", "CRON", "RECURRING", "NEXT", "RUNS", "PROMPT"])


@cron.command("add")
@click.argument("expression")
@click.argument("prompt")
@click.option("--once", is_flag=True, help="Fire once, not on every match.")
@click.option("--model", default=None, help="The model for the runs.")
@_JSON
@click.pass_context
def cron_add(
    ctx: click.Context, expression: str, prompt: str, once: bool, model: str | None, as_json: bool
) -> None:
    """Schedule PROMPT on EXPRESSION ("*/5 * * * *"). Entries added here are durable."""
    from claw import command_context

    from claw_agents.tasks.cron import CronError, new_entry
    from claw_agents.tasks.cron_tools import describe
    from claw_agents.tasks.embedded import ensure_supervisor

    try:
        entry = new_entry(
            expression,
            prompt,
            recurring=not once,
            durable=True,
            cwd=str(command_context(ctx).workspace),
            model=model,
        )
    except CronError as e:
        raise UsageError(str(e)) from None
    store = _store(ctx)
    store.put_cron(entry)
    ensure_supervisor(store.root)
    if as_json:
        _dump(entry)
    else:
        click.echo(f"scheduled {describe(entry)}")


@cron.command("rm")
@click.argument("entry_id")
@_JSON
@click.pass_context
def cron_rm(ctx: click.Context, entry_id: str, as_json: bool) -> None:
    """Delete a cron entry."""
    if not _store(ctx).delete_cron(entry_id):
        raise ClawError(f"no cron entry {entry_id!r}")
    if as_json:
        _dump({"id": entry_id, "deleted": True})
    else:
        click.echo(f"deleted {entry_id}")


@click.command("serve")
@_JSON
@click.pass_context
def serve(ctx: click.Context, as_json: bool) -> None:
    """Run the embedded supervisor in the foreground (tasks and cron) until interrupted."""
    from claw_agents.tasks.supervisor import AlreadyRunning, Supervisor

    store = _store(ctx)
    if as_json:
        _dump({"root": str(store.root), "started": time.time()})
    else:
        click.echo(f"supervisor for {store.root}; Ctrl-C to stop", err=True)
    try:
        _run(Supervisor(store).serve())
    except AlreadyRunning as e:
        raise ClawError(str(e)) from None


def register(cli: click.Group) -> None:
    """Add the commands. ``serve`` goes under ``claw agents``, the group the sub-agents module registers
    (one owner per command name): :mod:`claw_agents.subagents.cli` adds it there."""
    cli.add_command(tasks)
    cli.add_command(cron)
