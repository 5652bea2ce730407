"""The celery backend's faults against a real Redis and real Celery workers: a worker killed with
``kill -9`` mid-task, Redis stopped and restarted, and a stop ending the task's tree on the worker."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from claw import TaskSpec, TaskStatus
from claw.testing import process_alive, wait_for
from claw_agents_celery.backend import CeleryTaskBackend
from claw_agents_celery.store import HEARTBEAT_TTL, RedisUnavailable
from claw_agents_celery.testing import kill_worker


def _status(backend: CeleryTaskBackend, task_id: str) -> TaskStatus:
    return asyncio.run(backend.get(task_id)).status


def test_a_worker_killed_with_sigkill_mid_task_leaves_the_task_failed_not_lost(
    celery: CeleryTaskBackend, workers, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    worker = workers("doomed")
    record = asyncio.run(
        celery.submit(TaskSpec(kind="command", text="echo begun; sleep 60", cwd=str(workspace)))
    )
    wait_for(lambda: asyncio.run(celery.output(record.id)).text == "begun\n", what="the task's output")
    running = asyncio.run(celery.get(record.id))
    assert running.status is TaskStatus.RUNNING and running.pid
    assert "worker doomed@" in running.events[-1].detail

    kill_worker(worker)  # kill -9 of the worker and its pool processes
    killed_at = time.monotonic()
    final = asyncio.run(celery.wait(record.id, timeout=HEARTBEAT_TTL + 20))
    assert final.status is TaskStatus.FAILED
    assert time.monotonic() - killed_at >= HEARTBEAT_TTL - 1.5  # the heartbeat ran out; no guess earlier
    assert "worker lost: no heartbeat" in (final.error or "")
    assert [e.status for e in final.events] == [TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.FAILED]
    assert asyncio.run(celery.output(record.id)) == ("begun\n", 6, True)
    assert process_alive(running.pid)  # its own process group outlived the worker...

    # ...until a worker of the same name starts again on this machine and ends it, saying so
    workers("doomed")
    assert not process_alive(running.pid)
    seen = asyncio.run(celery.get(record.id))
    assert seen.status is TaskStatus.FAILED
    assert (
        seen.events[-1].detail
        == f"{running.events[-1].detail.split()[1]} restarted: ended the process group {running.pid} its previous run left"
    )

    # the fleet goes on: the restarted worker runs the next task
    after = asyncio.run(celery.submit(TaskSpec(kind="command", text="echo again", cwd=str(workspace))))
    assert asyncio.run(celery.wait(after.id, timeout=30)).status is TaskStatus.COMPLETED


def test_redis_stopped_is_a_clear_error_and_work_resumes_when_it_is_back(
    celery: CeleryTaskBackend, workers, redis_server, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    workers("steady")
    redis_server.stop()

    message = f"celery backend: Redis at {redis_server.url} is unreachable ("
    with pytest.raises(RedisUnavailable) as down:
        asyncio.run(celery.list())
    assert str(down.value).startswith(message) and "\n" not in str(down.value)
    with pytest.raises(RedisUnavailable, match="is unreachable"):
        asyncio.run(celery.submit(TaskSpec(kind="command", text="true", cwd=str(workspace))))

    redis_server.start()  # same port, empty (no persistence): the worker reconnects by itself
    record = asyncio.run(celery.submit(TaskSpec(kind="command", text="echo back", cwd=str(workspace))))
    final = asyncio.run(celery.wait(record.id, timeout=90))
    assert final.status is TaskStatus.COMPLETED, final.events
    assert asyncio.run(celery.output(record.id)).text == "back\n"


def test_stop_revokes_and_kills_the_process_tree_on_the_worker(
    celery: CeleryTaskBackend, workers, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    workers("runner")
    pids = workspace / "pids"
    spec = TaskSpec(
        kind="command", text=f"sleep 120 & sleep 120 & echo $$ $! > {pids}; wait", cwd=str(workspace)
    )
    record = asyncio.run(celery.submit(spec))
    wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 2, what="the task's pids")
    tree = [int(p) for p in pids.read_text().split()]
    assert all(process_alive(p) for p in tree)

    stopped = asyncio.run(celery.stop(record.id))
    assert stopped.status is TaskStatus.STOPPED
    wait_for(lambda: not any(process_alive(p) for p in tree), timeout=10, what="the process tree to end")
    # the worker saw its process end and recorded how (killed by SIGTERM), keeping the stop
    wait_for(lambda: asyncio.run(celery.get(record.id)).exit_code is not None, what="the exit code")
    final = asyncio.run(celery.get(record.id))
    assert final.status is TaskStatus.STOPPED and final.exit_code == -15
    assert [e.detail for e in final.events][-1] == "stopped on request"


def test_a_task_stopped_before_any_worker_took_it_never_runs(
    celery: CeleryTaskBackend, workers, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    marker = workspace / "ran"
    record = asyncio.run(celery.submit(TaskSpec(kind="command", text=f"touch {marker}", cwd=str(workspace))))
    assert asyncio.run(celery.stop(record.id)).status is TaskStatus.STOPPED
    workers("late")
    probe = asyncio.run(celery.submit(TaskSpec(kind="command", text="true", cwd=str(workspace))))
    assert asyncio.run(celery.wait(probe.id, timeout=30)).status is TaskStatus.COMPLETED
    assert not marker.exists()
    assert asyncio.run(celery.get(record.id)).status is TaskStatus.STOPPED
