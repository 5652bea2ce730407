"""The detached-task contract, run against both claw-agents backends: ``embedded`` (a local supervisor,
SQLite) and ``celery`` (a real Redis and a real Celery worker with 2 pool processes, started here).

Each backend is selected the way a user selects it, with settings ``agents.backend``; every test goes
through the public surface (the backend settings select, ``claw tasks ...`` in another process, and the
Task* tools in a ``claw -p`` run against the scripted model)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import claw
import pytest
from claw import TaskBackend, TaskSpec, TaskStatus
from claw.testing import process_alive, wait_for
from claw.testing.script import Reply, Text, ToolCall
from claw_agents.tasks.embedded import supervisor_pid
from claw_agents.tasks.store import agents_dir
from claw_agents_celery.testing import RedisServer, kill_worker, start_worker, use_celery


@pytest.fixture(params=["embedded", "celery"])
def backend(
    request, scripted, claw_env: dict[str, str], workspace: Path, tmp_path: Path
) -> Iterator[TaskBackend]:  # type: ignore[no-untyped-def]
    """The backend settings select, with the scripted model as the default model (set up first, so a
    worker's tasks see it too); ends what it started."""
    with _selected(request.param, claw_env, workspace, tmp_path) as selected:
        yield selected


@contextlib.contextmanager
def _selected(
    name: str, claw_env: dict[str, str], workspace: Path, tmp_path: Path, **settings: object
) -> Iterator[TaskBackend]:
    """Backend ``name`` selected by settings (``settings`` added to them), and everything it started ended."""
    settings = {"model": "scripted/default", **settings}
    redis = worker = None
    if name == "celery":
        redis = RedisServer(tmp_path / "redis")
        redis.start()
        use_celery(claw_env, redis, **settings)
        worker = start_worker(claw_env, redis, "contract", cwd=workspace)
    else:
        cfg = Path(claw_env["CLAW_CONFIG_DIR"])
        cfg.mkdir(parents=True, exist_ok=True)
        (cfg / "settings.json").write_text(json.dumps({"agents": {"backend": "embedded"}, **settings}))
    selected = claw.CommandContext.create(workspace, claw_env).task_backend()
    assert selected.name == name
    try:
        yield selected
    finally:
        for record in asyncio.run(selected.list()):
            if record.pid and not record.status.final:
                claw.kill_process_group(record.pid, signal.SIGKILL)
        if worker is not None and redis is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                kill_worker(worker)
            redis.stop()
        root = agents_dir(claw_env)
        if (root / "agents.db").exists():
            wait_for(lambda: supervisor_pid(root) != -1, what="a starting supervisor")
            pid = supervisor_pid(root)
            if pid and pid > 0:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_output_pages_while_running_and_another_process_sees_the_task(backend, workspace: Path, claw) -> None:  # type: ignore[no-untyped-def]
    spec = TaskSpec(
        kind="command",
        text="echo first; while [ ! -e gate ]; do sleep 0.05; done; echo second",
        cwd=str(workspace),
        name="pager",
    )
    record = _run(backend.submit(spec))
    assert record.status is TaskStatus.PENDING and record.backend == backend.name
    wait_for(lambda: _run(backend.output(record.id)).text == "first\n", what="the first line")
    wait_for(lambda: _run(backend.get(record.id)).status is TaskStatus.RUNNING, what="running")
    assert _run(backend.output(record.id)) == ("first\n", 6, False)
    assert _run(backend.output(record.id, 2, 3)) == ("rst", 5, False)

    listed = claw.subprocess("tasks", "list", "--json")  # another process, same settings
    assert listed.exit_code == 0, listed.stderr
    assert [(t["id"], t["status"]) for t in listed.json()] == [(record.id, "running")]

    (workspace / "gate").touch()
    final = _run(backend.wait(record.id, timeout=30))
    assert final.status is TaskStatus.COMPLETED and final.exit_code == 0
    assert _run(backend.output(record.id, 6)) == ("second\n", 13, True)
    assert [e.status for e in final.events] == [TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED]
    out = claw.subprocess("tasks", "output", record.id)
    assert out.exit_code == 0 and out.stdout == "first\nsecond\n"


def test_the_process_helpers_serve_with_the_local_backend_disabled(
    scripted, claw_env: dict[str, str], workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """``claw.task_argv``, ``claw.task_env``, ``claw.read_task_output`` and ``claw.stop_process_group`` are
    the ``local_tasks`` built-in's module, not its registration: with the built-in disabled, the embedded
    backend still starts, pages and stops tasks with them."""
    with _selected(
        "embedded", claw_env, workspace, tmp_path, plugins={"disabled": ["local_tasks"]}
    ) as backend:
        registered = claw.CommandContext.create(workspace, claw_env).registrations()["task_backends"]
        assert "local" not in [name for name, _, _ in registered]
        record = _run(backend.submit(TaskSpec(kind="command", text="printf 'aé'", cwd=str(workspace))))
        assert _run(backend.wait(record.id, timeout=30)).status is TaskStatus.COMPLETED
        assert _run(backend.output(record.id)) == ("aé", 3, True)
        running = _run(backend.submit(TaskSpec(kind="command", text="sleep 60", cwd=str(workspace))))
        wait_for(lambda: _run(backend.get(running.id)).status is TaskStatus.RUNNING, what="running")
        assert _run(backend.stop(running.id)).status is TaskStatus.STOPPED


def test_a_failing_command_ends_failed_with_its_exit_code(backend, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    record = _run(backend.submit(TaskSpec(kind="command", text="echo oops; exit 3", cwd=str(workspace))))
    final = _run(backend.wait(record.id, timeout=30))
    assert final.status is TaskStatus.FAILED and final.exit_code == 3 and final.error == "exit code 3"
    assert _run(backend.output(record.id)) == ("oops\n", 5, True)
    waited = _run(backend.wait(record.id, timeout=0))
    assert waited.status is TaskStatus.FAILED


def test_multibyte_output_is_never_cut_mid_character(backend, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    record = _run(backend.submit(TaskSpec(kind="command", text="printf 'aé'", cwd=str(workspace))))
    assert _run(backend.wait(record.id, timeout=30)).status is TaskStatus.COMPLETED
    assert _run(backend.output(record.id, 0, 2)) == ("a", 1, False)
    assert _run(backend.output(record.id, 1, 2)) == ("é", 3, True)


def test_stop_kills_the_whole_process_tree(backend, workspace: Path, claw) -> None:  # type: ignore[no-untyped-def]
    pids = workspace / "pids"
    spec = TaskSpec(
        kind="command", text=f"sleep 120 & sleep 120 & echo $$ $! > {pids}; wait", cwd=str(workspace)
    )
    record = _run(backend.submit(spec))
    wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 2, what="the task's pids")
    tree = [int(p) for p in pids.read_text().split()]
    assert all(process_alive(p) for p in tree)

    stopped = claw.subprocess("tasks", "stop", record.id, "--json")
    assert stopped.exit_code == 0, stopped.stderr
    assert stopped.json()["status"] == "stopped"
    wait_for(lambda: not any(process_alive(p) for p in tree), timeout=10, what="the process tree to end")
    shown = _run(backend.get(record.id))
    assert shown.status is TaskStatus.STOPPED and shown.events[-1].detail == "stopped on request"
    again = claw.subprocess("tasks", "stop", record.id)
    assert again.exit_code != 0 and f"task {record.id} is not running" in again.stderr


def test_an_unknown_task_is_a_clear_error(backend, claw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError, match="nope"):
        _run(backend.get("nope"))
    shown = claw.subprocess("tasks", "show", "nope")
    assert shown.exit_code != 0 and "no task 'nope'" in shown.stderr


def test_a_prompt_task_runs_claw_p_with_the_parents_session(backend, scripted, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("child says hi")))
    spec = TaskSpec(kind="prompt", text="say hi", cwd=str(workspace), parent_session_id="parent-1")
    record = _run(backend.submit(spec))
    final = _run(backend.wait(record.id, timeout=90))
    assert final.status is TaskStatus.COMPLETED, _run(backend.output(record.id)).text
    assert "child says hi" in _run(backend.output(record.id)).text
    assert scripted.requests[0]["messages"][0]["content"][0]["text"] == "say hi"


def test_the_task_tools_run_on_the_selected_backend(backend, scripted, claw, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    scripted.script(
        Reply(ToolCall("TaskCreate", {"subject": "Hi", "description": "d", "command": "echo from-the-task"})),
        Reply(ToolCall("TaskOutput", {"task_id": "1", "block": True, "timeout": 60000})),
        Reply(Text("done")),
    )
    result = claw.subprocess("-p", "run it", "--permission-mode", "bypassPermissions")
    assert result.exit_code == 0, result.stderr
    [block] = [b for b in scripted.requests[2]["messages"][-1]["content"] if b["type"] == "tool_result"]
    content = block["content"] if isinstance(block["content"], str) else block["content"][0]["text"]
    assert "<status>completed</status>" in content and "from-the-task" in content, content
    [record] = _run(backend.list())
    assert record.backend == backend.name and record.spec.text == "echo from-the-task"
