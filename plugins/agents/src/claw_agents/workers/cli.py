"""``claw workers list | show | events | ledger | lanes | approve | restart | terminate | recover``.

Imported for ``claw --help``: module level holds click definitions only.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click


def _store(ctx: click.Context) -> Any:
    import claw

    from claw_agents.workers.store import Store, db_path

    return Store(db_path(claw.command_context(ctx).env))


def _worker(store: Any, ref: str) -> Any:
    import claw

    from claw_agents.workers import manager

    try:
        return manager.reconcile(store, store.worker(ref))
    except KeyError:
        raise claw.UsageError(f"no worker {ref!r} (see `claw workers list`)") from None


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _when(at: float | None) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at)) if at else "-"


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.group()
def workers() -> None:
    """Long-lived workers, their lanes and the recovery ledger (agents.md)."""


@workers.command("list")
@json_option
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Every worker with its state."""
    import claw

    from claw_agents.workers import manager

    store = _store(ctx)
    rows = [manager.reconcile(store, w) for w in store.workers()]
    if as_json:
        _emit([w.to_json() for w in rows])
        return
    claw.table(
        [(w.id, w.name, w.team or "-", w.state, w.failure_class or "-", w.lane or "-", w.cwd) for w in rows],
        ["ID", "NAME", "TEAM", "STATE", "FAILURE", "LANE", "FOLDER"],
    )


@workers.command("show")
@click.argument("worker")
@json_option
@click.pass_context
def show_cmd(ctx: click.Context, worker: str, as_json: bool) -> None:
    """One worker's record and its prompts."""
    store = _store(ctx)
    record = _worker(store, worker)
    data = {**record.to_json(), "prompts": store.prompts(record.id)}
    if as_json:
        _emit(data)
        return
    for key, value in data.items():
        if key != "prompts":
            click.echo(f"{key}: {value}")
    for prompt in data["prompts"]:
        state = "done" if prompt["finished_at"] else "delivered" if prompt["delivered_at"] else "queued"
        click.echo(f"prompt {prompt['id']} ({state}): {(prompt['summary'] or prompt['text'])[:80]}")


@workers.command("events")
@click.argument("worker")
@json_option
@click.pass_context
def events_cmd(ctx: click.Context, worker: str, as_json: bool) -> None:
    """A worker's events: every transition, prompt, output and recovery step."""
    store = _store(ctx)
    events = store.events(_worker(store, worker).id)
    if as_json:
        _emit(events)
        return
    for e in events:
        click.echo(f"{e['seq']:>4} {_when(e['at'])} {e['state'] or e['kind']:<16} {e['detail']}")


@workers.command("ledger")
@click.option("--subject", help="Only this worker id or lane.")
@json_option
@click.pass_context
def ledger_cmd(ctx: click.Context, subject: str | None, as_json: bool) -> None:
    """The recovery ledger: each automatic attempt, and what was escalated."""
    import claw

    rows = _store(ctx).ledger(subject)
    if as_json:
        _emit(rows)
        return
    claw.table(
        [
            (r["id"], _when(r["at"]), r["scenario"], r["subject"], r["outcome"], r["detail"][:60])
            for r in rows
        ],
        ["ID", "AT", "SCENARIO", "SUBJECT", "OUTCOME", "DETAIL"],
    )


@workers.command("lanes")
@json_option
@click.pass_context
def lanes_cmd(ctx: click.Context, as_json: bool) -> None:
    """Lanes: branch, base, worktree and the worker holding it."""
    import claw

    rows = _store(ctx).lanes()
    if as_json:
        _emit(rows)
        return
    claw.table(
        [(r["branch"], r["base"], r["holder"] or "-", r["worktree"]) for r in rows],
        ["BRANCH", "BASE", "HOLDER", "WORKTREE"],
    )


@workers.command("approve")
@click.argument("worker")
@click.pass_context
def approve_cmd(ctx: click.Context, worker: str) -> None:
    """Approve a worker waiting in trust_required: it goes on to ready_for_prompt."""
    store = _store(ctx)
    record = _worker(store, worker)
    store.update(record.id, approved=1)
    click.echo(f"approved {record.id} ({record.cwd})")


@workers.command("restart")
@click.argument("worker")
@click.pass_context
def restart_cmd(ctx: click.Context, worker: str) -> None:
    """Restart a worker on its session; unfinished prompts are delivered again."""
    import claw

    from claw_agents.workers import manager

    store = _store(ctx)
    record = manager.restart(store, _worker(store, worker).id, claw.command_context(ctx).env)
    click.echo(f"restarted {record.id}")


@workers.command("terminate")
@click.argument("worker")
@click.pass_context
def terminate_cmd(ctx: click.Context, worker: str) -> None:
    """End a worker and release its lane."""
    from claw_agents.workers import manager

    store = _store(ctx)
    record = manager.terminate(store, _worker(store, worker).id)
    click.echo(f"terminated {record.id}")


@workers.command("recover")
@click.argument("worker")
@click.argument("scenario", type=click.Choice(["stale_branch", "compile_red"]))
@click.pass_context
def recover_cmd(ctx: click.Context, worker: str, scenario: str) -> None:
    """Run a lane recipe now (after a fix): rebase the worker's lane, or clean-build it."""
    import claw

    from claw_agents.workers import config, lanes

    store = _store(ctx)
    record = _worker(store, worker)
    lane = store.lane_of(record.id)
    if lane is None:
        raise claw.UsageError(f"worker {record.id} holds no lane")
    settings = config.load(Path(lane["repo"]), claw.command_context(ctx).env)
    ok = (
        lanes.rebase(store, lane, record.id)
        if scenario == "stale_branch"
        else lanes.rebuild(store, lane, settings, record.id)
    )
    click.echo(f"{scenario}: {'recovered' if ok else 'escalated'} (see `claw workers ledger`)")
    if not ok:
        ctx.exit(1)
