"""The task-backend contract (``claw.TaskBackend``) on the kernel's ``local`` backend: detached command and
prompt tasks, output paging, stopping a whole process group, and backend selection by settings."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import claw
import pytest
from claw import ConfigError, LocalTaskBackend, TaskFilter, TaskRecord, TaskSpec, TaskStatus
from claw.testing import process_alive, processes_gone
from claw.testing.script import Reply, Text


def test_a_command_task_streams_output_while_running_and_ends_completed(tmp_path: Path) -> None:
    async def go() -> tuple[list[str], TaskRecord, bool]:
        backend = LocalTaskBackend()
        rec = await backend.submit(
            TaskSpec(kind="command", text="echo one; sleep 0.6; echo two", cwd=str(tmp_path), name="t")
        )
        assert rec.status is TaskStatus.RUNNING and rec.pid and rec.output_path
        seen, offset = [], 0
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            text, offset, done = await backend.output(rec.id, offset)
            assert not done
            if text:
                seen.append(text)
            await asyncio.sleep(0.02)
        final = await backend.wait(rec.id, timeout=10)
        text, offset, done = await backend.output(rec.id, offset)
        seen.append(text)
        return seen, final, done

    seen, final, done = asyncio.run(go())
    assert seen[0] == "one\n" and seen[-1] == "two\n" and done
    assert final.status is TaskStatus.COMPLETED and final.exit_code == 0
    assert [e.status for e in final.events] == [TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED]
    # serializable: a backend may store or ship it as JSON unchanged
    assert TaskRecord.model_validate_json(final.model_dump_json()) == final


def test_a_failing_command_is_failed_with_its_exit_code(tmp_path: Path) -> None:
    async def go() -> TaskRecord:
        backend = LocalTaskBackend()
        rec = await backend.submit(TaskSpec(kind="command", text="exit 3", cwd=str(tmp_path)))
        return await backend.wait(rec.id, timeout=10)

    final = asyncio.run(go())
    assert final.status is TaskStatus.FAILED and final.exit_code == 3 and final.error == "exit code 3"


def test_stop_ends_the_task_and_every_process_it_started(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"

    async def go() -> tuple[TaskRecord, list[int]]:
        backend = LocalTaskBackend()
        # a shell that starts a grandchild and records both pids
        rec = await backend.submit(
            TaskSpec(kind="command", text=f"sleep 60 & echo $$ $! > {pids_file}; wait", cwd=str(tmp_path))
        )
        deadline = time.monotonic() + 10
        while not pids_file.exists() or not pids_file.read_text().strip():
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        pids = [int(p) for p in pids_file.read_text().split()]
        assert all(process_alive(p) for p in pids)
        stopped = await backend.stop(rec.id)
        return stopped, pids

    stopped, pids = asyncio.run(go())
    assert stopped.status is TaskStatus.STOPPED
    assert processes_gone(pids, timeout=5)


def test_a_prompt_task_runs_claw_p_as_a_child_process(loop_env, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    loop_env.script(Reply(Text("background answer")))

    async def go() -> tuple[TaskRecord, str]:
        backend = LocalTaskBackend()
        rec = await backend.submit(
            TaskSpec(kind="prompt", text="do it", cwd=str(workspace), model="scripted/default")
        )
        final = await backend.wait(rec.id, timeout=60)
        text, _, done = await backend.output(rec.id)
        assert done
        listed = await backend.list(TaskFilter(statuses=[TaskStatus.COMPLETED]))
        assert [r.id for r in listed] == [rec.id]
        return final, text

    final, text = asyncio.run(go())
    assert final.status is TaskStatus.COMPLETED, final
    assert "background answer" in text
    assert loop_env.requests[0]["messages"][0]["content"][0]["text"] == "do it"


def test_unknown_ids_raise_key_error() -> None:
    with pytest.raises(KeyError, match="no task 'nope'"):
        asyncio.run(LocalTaskBackend().get("nope"))


def test_output_never_cuts_a_character(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.write_bytes("aé".encode())  # 'é' is two bytes
    assert claw.read_task_output(path, 0, 2) == ("a", 1)
    assert claw.read_task_output(path, 1, 2) == ("é", 3)
    assert claw.read_task_output(tmp_path / "missing", 5, 10) == ("", 5)


def test_output_held_anywhere_decodes_the_same_way() -> None:
    data = "aé".encode()
    assert claw.decode_task_output(data[:2], 0, 2) == ("a", 1)  # cut by the limit: left for later
    assert claw.decode_task_output(data[1:2], 1, 64) == ("\ufffd", 2)  # cut by the end: replaced


class _Configurable(LocalTaskBackend):
    name = "configurable"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[object] = []

    def configure(self, settings):  # type: ignore[no-untyped-def]
        self.seen.append(settings)


def test_the_selected_backend_is_configured_with_the_settings() -> None:
    local, other = _Configurable(), _Configurable()
    settings = {"agents": {"backend": "other", "other": {"url": "x"}}}
    assert claw.select_task_backend({"local": local, "other": other}, settings) is other
    assert other.seen == [settings] and local.seen == []


def test_settings_select_the_backend() -> None:
    local = LocalTaskBackend()
    backends: dict[str, claw.TaskBackend] = {"local": local}
    # the default (embedded) is not installed here: local serves
    assert claw.select_task_backend(backends, {}) is local
    assert claw.select_task_backend(backends, {"agents": {"backend": "local"}}) is local
    with pytest.raises(ConfigError, match=r"agents\.backend: no task backend 'celery' is installed"):
        claw.select_task_backend(backends, {"agents": {"backend": "celery"}})


def test_agents_settings_key_is_known(claw, claw_env) -> None:  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"agents": {"backend": "local", "celery": {"x": 1}}}))
    result = claw("config", "show")
    assert "agents" not in result.stderr, result.stderr


def test_commands_and_sessions_reach_the_selected_backend(claw_env, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"agents": {"backend": "local"}}))
    assert claw.CommandContext.create(workspace).task_backend().name == "local"
    (cfg / "settings.json").write_text(json.dumps({"agents": {"backend": "nope"}}))
    with pytest.raises(ConfigError, match="'nope'"):
        claw.CommandContext.create(workspace).task_backend()
    session = claw.SessionContext(session_id="s", workspace=workspace, settings={}, env={})
    assert session.task_backend().name == "local"


def test_a_session_context_outside_a_running_session_asks_no_plugin(workspace: Path) -> None:
    """``stop_task``/``control_request``/``task_ended`` reach the plugins through the agent loop (claw-sdk's
    ``stop_task`` and other control requests; the SDK end-to-end tests cover that path); without one
    nobody owns a task or a request."""
    session = claw.SessionContext(session_id="s", workspace=workspace, settings={}, env={})
    assert session.stop_task("bash_1") is None
    assert session.control_request("mcp_toggle", {"serverName": "x"}) == (None, "")
    session.task_ended(claw.StoppedTask(task_id="bash_1", task_type="local_bash"))


def test_task_env_names_the_specs_parent_only() -> None:
    base = {"PATH": "/bin", "CLAW_PARENT_SESSION_ID": "stale"}
    assert claw.task_env(TaskSpec(kind="command", text="x", env={"A": "1"}), base) == {
        "PATH": "/bin",
        "A": "1",
    }
    env = claw.task_env(TaskSpec(kind="command", text="x", parent_session_id="p"), base)
    assert env["CLAW_PARENT_SESSION_ID"] == "p"
    argv = claw.task_argv(TaskSpec(kind="prompt", text="hi", model="m", permission_mode="plan"), python="py")
    assert argv == ["py", "-m", "claw", "-p", "hi", "--model", "m", "--permission-mode", "plan"]
