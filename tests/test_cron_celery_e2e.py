"""Cron with ``agents.backend: celery``: the claw-agents supervisor is the fleet's scheduler (a
beat-equivalent): entries the cron tools create fire as tasks on the Celery workers, with the overlap
policy kept across machines. Real Redis, a real worker, a fake clock."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import claw
from claw import TaskStatus
from claw.testing.script import Reply, Text
from claw_agents.tasks import cron
from claw_agents.tasks.store import Store, agents_dir
from claw_agents.tasks.supervisor import Supervisor
from claw_agents_celery.testing import RedisServer, kill_worker, start_worker, use_celery


def test_a_cron_entry_fires_on_the_fleet_without_overlapping_runs(
    scripted, claw_env: dict[str, str], workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    worker: subprocess.Popen[bytes] | None = None
    try:
        use_celery(claw_env, redis, model="scripted/default")
        scripted.script(Reply(Text("fleet cron ran")))
        store = Store(agents_dir(claw_env))
        entry = cron.new_entry("0 3 * * *", "nightly chores", cwd=str(workspace), durable=True)
        store.put_cron(entry)
        fleet = claw.CommandContext.create(workspace, claw_env).task_backend()
        assert fleet.name == "celery"
        day = 24 * 3600.0

        async def scenario() -> None:
            nonlocal worker
            supervisor = Supervisor(store)
            await supervisor.tick(now=entry["nextRun"])  # no worker yet: the run waits on the queue
            [fired] = await fleet.list()
            assert fired.status is TaskStatus.PENDING and fired.spec.text == "nightly chores"
            assert store.list_tasks() == []  # nothing ran on the embedded backend

            await supervisor.tick(now=entry["nextRun"] + day)  # still open on the fleet: skipped
            [kept] = store.list_cron()
            assert kept["skipped"] == 1 and fired.id in kept["lastSkipReason"]
            assert len(await fleet.list()) == 1

            worker = start_worker(claw_env, redis, "cron", cwd=workspace)
            done = await fleet.wait(fired.id, timeout=90)
            assert done.status is TaskStatus.COMPLETED, (await fleet.output(fired.id)).text
            assert "fleet cron ran" in (await fleet.output(fired.id)).text

            scripted.script(Reply(Text("second night")))
            await supervisor.tick(now=entry["nextRun"] + 2 * day)  # the last run ended: fires again
            assert len(await fleet.list()) == 2 and store.list_cron()[0]["runs"] == 2

        asyncio.run(scenario())
        assert scripted.requests[0]["messages"][0]["content"][0]["text"] == "nightly chores"
    finally:
        if worker is not None:
            kill_worker(worker)
        redis.stop()
