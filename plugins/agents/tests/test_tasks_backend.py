"""The embedded backend end to end: a real supervisor process, real child processes, state in SQLite."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import claw
from claw import TaskSpec, TaskStatus
from claw.testing import wait_for
from claw_agents.tasks.embedded import EmbeddedTaskBackend, supervisor_pid
from tasks_support import alive, final_statuses, record_of, running_supervisor


def _status(backend: EmbeddedTaskBackend, task_id: str) -> TaskStatus:
    return asyncio.run(backend.get(task_id)).status


def test_output_pages_while_running_and_other_processes_see_the_task(backend, workspace: Path, claw) -> None:  # type: ignore[no-untyped-def]
    spec = TaskSpec(
        kind="command",
        text="echo first; while [ ! -e gate ]; do sleep 0.05; done; echo second",
        cwd=str(workspace),
        name="pager",
    )
    record = asyncio.run(backend.submit(spec))
    assert record.status is TaskStatus.PENDING
    wait_for(lambda: asyncio.run(backend.output(record.id)).text == "first\n", what="first line")
    wait_for(lambda: _status(backend, record.id) is TaskStatus.RUNNING, what="running")
    assert asyncio.run(backend.output(record.id)) == ("first\n", 6, False)

    # another process (a second terminal) sees the same task
    listed = claw.subprocess("tasks", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [(t["id"], t["status"]) for t in listed.json()] == [(record.id, "running")]

    (workspace / "gate").touch()
    final = asyncio.run(backend.wait(record.id, timeout=30))
    assert final.status is TaskStatus.COMPLETED and final.exit_code == 0
    assert asyncio.run(backend.output(record.id, 6)) == ("second\n", 13, True)
    assert [e.status for e in final.events] == [TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED]
    out = claw.subprocess("tasks", "output", record.id)
    assert out.exit_code == 0 and out.stdout == "first\nsecond\n"


def test_a_task_survives_the_process_that_submitted_it(claw, agents_root: Path, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    script = (
        "import asyncio; from claw import TaskSpec; from claw_agents.tasks.embedded import EmbeddedTaskBackend;"
        "r = asyncio.run(EmbeddedTaskBackend().submit(TaskSpec(kind='command', text='sleep 1; echo survived')));"
        "print(r.id)"
    )
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", script], env=claw.env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    task_id = proc.stdout.strip()
    backend = EmbeddedTaskBackend(agents_root)
    final = asyncio.run(backend.wait(task_id, timeout=30))
    assert final.status is TaskStatus.COMPLETED
    assert asyncio.run(backend.output(task_id)).text == "survived\n"


def test_stop_kills_the_whole_process_tree(backend, workspace: Path, claw) -> None:  # type: ignore[no-untyped-def]
    pids = workspace / "pids"
    spec = TaskSpec(
        kind="command", text=f"sleep 120 & sleep 120 & echo $$ $! > {pids}; wait", cwd=str(workspace)
    )
    record = asyncio.run(backend.submit(spec))
    wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 2, what="the task's pids")
    tree = [int(p) for p in pids.read_text().split()]
    assert all(alive(p) for p in tree)

    stopped = claw.subprocess("tasks", "stop", record.id, "--json")
    assert stopped.exit_code == 0, stopped.stderr
    assert stopped.json()["status"] == "stopped"
    wait_for(lambda: not any(alive(p) for p in tree), timeout=10, what="the process tree to end")
    shown = record_of(claw, record.id)
    assert shown.status is TaskStatus.STOPPED and shown.events[-1].detail == "stopped on request"
    again = claw.subprocess("tasks", "stop", record.id)
    assert again.exit_code != 0 and f"task {record.id} is not running" in again.stderr


def test_a_supervisor_killed_with_sigkill_re_adopts_a_live_task(
    backend, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    record = asyncio.run(
        backend.submit(TaskSpec(kind="command", text="echo a; sleep 2; echo b", cwd=str(workspace)))
    )
    wait_for(lambda: _status(backend, record.id) is TaskStatus.RUNNING, what="running")
    os.kill(running_supervisor(agents_root), signal.SIGKILL)
    wait_for(lambda: supervisor_pid(agents_root) is None, what="the supervisor to die")
    task_pid = asyncio.run(backend.get(record.id)).pid
    assert task_pid and alive(task_pid)  # the task did not die with its supervisor

    # the next submit starts a new supervisor, which re-adopts the running task and sees it finish
    other = asyncio.run(backend.submit(TaskSpec(kind="command", text="true", cwd=str(workspace))))
    final = asyncio.run(backend.wait(record.id, timeout=30))
    assert final.status is TaskStatus.COMPLETED and final.exit_code == 0
    assert any("re-adopted by supervisor" in e.detail for e in final.events)
    assert asyncio.run(backend.output(record.id)).text == "a\nb\n"
    assert asyncio.run(backend.wait(other.id, timeout=30)).status is TaskStatus.COMPLETED


def test_a_task_that_died_with_no_supervisor_watching_is_marked_failed(
    backend, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    finished = asyncio.run(
        backend.submit(TaskSpec(kind="command", text="sleep 0.5; exit 4", cwd=str(workspace)))
    )
    doomed = asyncio.run(backend.submit(TaskSpec(kind="command", text="sleep 60", cwd=str(workspace))))
    wait_for(lambda: _status(backend, doomed.id) is TaskStatus.RUNNING, what="running")
    os.kill(running_supervisor(agents_root), signal.SIGKILL)
    wait_for(lambda: supervisor_pid(agents_root) is None, what="the supervisor to die")
    pid = asyncio.run(backend.get(doomed.id)).pid
    assert pid
    claw.kill_process_group(pid, signal.SIGKILL)  # dies too, leaving no exit code behind
    time.sleep(1.0)  # ``finished`` ends by itself meanwhile, with an exit-code file
    assert _status(backend, doomed.id) is TaskStatus.RUNNING  # nobody has noticed yet

    asyncio.run(backend.submit(TaskSpec(kind="command", text="true", cwd=str(workspace))))
    lost = asyncio.run(backend.wait(doomed.id, timeout=30))
    assert lost.status is TaskStatus.FAILED and "exit code unknown" in (lost.error or "")
    assert lost.events[-1].detail.startswith("recovered after the supervisor stopped")
    done = asyncio.run(backend.wait(finished.id, timeout=30))
    assert done.status is TaskStatus.FAILED and done.exit_code == 4
    wait_for(lambda: all(s.final for s in final_statuses(agents_root)), what="every task to end recorded")


def test_claw_agents_serve_runs_the_supervisor_in_the_foreground(
    claw, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    serve = claw.popen("agents", "serve")
    try:
        pid = running_supervisor(agents_root)
        assert pid == serve.pid
        backend = EmbeddedTaskBackend(agents_root)
        record = asyncio.run(backend.submit(TaskSpec(kind="command", text="echo served", cwd=str(workspace))))
        assert asyncio.run(backend.wait(record.id, timeout=30)).status is TaskStatus.COMPLETED
        assert supervisor_pid(agents_root) == pid  # the foreground one ran it; no second one started
        second = claw.subprocess("agents", "serve")
        assert second.exit_code != 0 and "a supervisor is already running" in second.stderr
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    assert serve.returncode == 0
    assert supervisor_pid(agents_root) is None
