"""Celery backend benchmark: throughput of trivial tasks with 2 workers, and overhead per task.

Starts a throwaway ``redis-server`` on a free loopback port and one ``claw celery worker -c 2`` (two pool
processes, so two tasks run at once), then for the trivial command task ``true``:

- bare: running ``true`` as its own process group here, without claw (what no backend can save);
- throughput: ``--tasks`` tasks submitted at once, until every record is final: tasks/s;
- overhead per task: the busy time each worker slot spends per task beyond the bare run
  (``elapsed * 2 / tasks - bare``): queueing, the record's transitions, output and heartbeat in Redis;
- latency: one task at a time, submit to the record saying ``completed`` (includes the client's polling).

Run: ``uv run python benchmarks/tasks_celery.py [--tasks 200]`` (needs redis-server:
``bash tests/setup.d/redis.sh``). Target: overhead per task under 20 ms; exits 1 when missed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from claw import TaskSpec, TaskStatus
from claw.testing import isolated_env
from claw_agents_celery.backend import CeleryTaskBackend
from claw_agents_celery.config import CelerySettings
from claw_agents_celery.testing import RedisServer, kill_worker, start_worker

OVERHEAD_TARGET = 0.020
SLOTS = 2


def bare_run(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["bash", "-c", "true"], start_new_session=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def throughput(backend: CeleryTaskBackend, tasks: int, cwd: str) -> float:
    start = time.perf_counter()
    ids = [(await backend.submit(TaskSpec(kind="command", text="true", cwd=cwd))).id for _ in range(tasks)]
    for task_id in ids:
        record = await backend.wait(task_id, timeout=120)
        assert record.status is TaskStatus.COMPLETED, record.events
    return time.perf_counter() - start


async def latency(backend: CeleryTaskBackend, runs: int, cwd: str) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        record = await backend.submit(TaskSpec(kind="command", text="true", cwd=cwd))
        assert (await backend.wait(record.id, timeout=60)).status is TaskStatus.COMPLETED
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp) / "redis")
        redis.start()
        env = isolated_env(Path(tmp) / "env")
        worker = start_worker(env, redis, "bench", concurrency=SLOTS, cwd=Path(tmp))
        try:
            backend = CeleryTaskBackend(CelerySettings(broker_url=redis.url))
            asyncio.run(throughput(backend, 10, tmp))  # warm: pool processes, connections
            bare = bare_run(20)
            elapsed = asyncio.run(throughput(backend, args.tasks, tmp))
            single = asyncio.run(latency(backend, 20, tmp))
        finally:
            kill_worker(worker)
            redis.stop()
    rate = args.tasks / elapsed
    overhead = elapsed * SLOTS / args.tasks - bare
    ok = overhead < OVERHEAD_TARGET
    print(f"celery backend, 1 worker with {SLOTS} pool processes, {args.tasks} trivial tasks ('true')")
    print(f"bare run of the command          {bare * 1000:7.1f} ms")
    print(f"throughput                       {rate:7.1f} tasks/s")
    print(
        f"overhead per task                {overhead * 1000:7.1f} ms   target < {OVERHEAD_TARGET * 1000:.0f} ms"
        f"   {'ok' if ok else 'MISSED'}"
    )
    print(
        f"latency submit->completed        {statistics.median(single) * 1000:7.1f} ms median (one at a time)"
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
