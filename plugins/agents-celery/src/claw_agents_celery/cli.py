"""``claw celery worker``: serve the celery task backend's queue on this machine.

Imported for ``claw --help``: module level holds click definitions only; Celery loads in the callback.
"""

from __future__ import annotations

import click


@click.group(name="celery")
def celery_group() -> None:
    """Claw's Celery fleet: workers that run detached tasks for agents.backend = celery."""


@celery_group.command()
@click.option(
    "-c", "--concurrency", type=click.IntRange(min=1), default=None, help="Tasks run at once (default: CPUs)."
)
@click.option(
    "-n", "--hostname", default=None, help="Worker name (default: celery@<host>, unique per worker)."
)
@click.option("--loglevel", default="INFO", show_default=True, help="Celery's log level.")
@click.pass_context
def worker(ctx: click.Context, concurrency: int | None, hostname: str | None, loglevel: str) -> None:
    """Run a Celery worker for agents.celery's broker and queue until Ctrl-C (or SIGTERM).

    First it ends the task processes a previous worker of the same name left when it was killed."""
    from claw import command_context

    from claw_agents_celery.app import make_app
    from claw_agents_celery.config import celery_settings

    cc = command_context(ctx)
    settings = celery_settings(cc.settings.data, cc.env)
    argv = [
        "worker",
        "--pool=prefork",
        f"--queues={settings.queue}",
        f"--loglevel={loglevel}",
        "--without-gossip",
        "--without-mingle",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if hostname:
        argv.append(f"--hostname={hostname}")
    from celery.utils.nodenames import default_nodename, host_format

    from claw_agents_celery.runner import end_orphans  # loaded once here, not in each pool process
    from claw_agents_celery.store import RedisStore

    store = RedisStore(settings)
    with store.reachable():
        for task_id in end_orphans(store, host_format(default_nodename(hostname))):
            click.echo(f"task {task_id}: ended what a previous run of this worker left", err=True)
    make_app(settings).worker_main(argv)


def register(cli: click.Group) -> None:
    cli.add_command(celery_group)
