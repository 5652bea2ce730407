"""The Task* tools: Claude Code's shared task list, and detached work read with TaskOutput and ended with
TaskStop, through real ``claw -p`` runs against the scripted model."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import claw
from claw import TaskStatus
from claw.testing import call_tool, wait_for
from claw.testing.script import Reply, Text, ToolCall
from claw_agents.tasks.embedded import EmbeddedTaskBackend
from claw_agents.tasks.tools import TaskCreateTool, TaskGetTool, TaskListTool, TaskOutputTool, TaskUpdateTool
from tasks_support import alive, record_of


def _tool_result(request: dict) -> str:  # type: ignore[type-arg]
    [block] = [b for b in request["messages"][-1]["content"] if b["type"] == "tool_result"]
    content = block["content"]
    return content if isinstance(content, str) else "".join(c["text"] for c in content)


def test_a_background_command_is_read_while_running_and_stopped_with_its_tree(
    model, claw, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    pids = workspace / "pids"
    command = f"echo started; sleep 120 & echo $$ $! > {pids}; wait"
    model.script(
        Reply(ToolCall("TaskCreate", {"subject": "Watch", "description": "a long job", "command": command})),
        Reply(Text("started it")),
    )
    first = claw.subprocess("-p", "start the job", "--permission-mode", "bypassPermissions")
    assert first.exit_code == 0, first.stderr
    assert "Task #1 created successfully: Watch" in _tool_result(model.requests[1])

    # the session that started it has ended; the task runs on
    backend = EmbeddedTaskBackend(agents_root)
    [record] = asyncio.run(backend.list())
    wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 2, what="the task's pids")
    wait_for(lambda: asyncio.run(backend.get(record.id)).status is TaskStatus.RUNNING, what="running")
    tree = [int(p) for p in pids.read_text().split()]

    model.script(
        Reply(ToolCall("TaskOutput", {"task_id": record.id, "block": False, "timeout": 1000})),
        Reply(ToolCall("TaskStop", {"shell_id": record.id})),
        Reply(Text("stopped")),
    )
    second = claw.subprocess("-p", "check on it", "--permission-mode", "bypassPermissions")
    assert second.exit_code == 0, second.stderr
    output = _tool_result(model.requests[3])
    assert "<status>running</status>" in output and "<output>started\n</output>" in output
    assert (
        "<retrieval_status>not_ready</retrieval_status>" in output
        and "<next_offset>8</next_offset>" in output
    )
    assert f"Successfully stopped task: {record.id}" in _tool_result(model.requests[4])
    wait_for(lambda: not any(alive(p) for p in tree), timeout=10, what="the process tree to end")
    assert record_of(claw, record.id).status is TaskStatus.STOPPED


def test_a_prompt_task_runs_claw_p_detached(model, claw_env, agents_root: Path, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    model.script(Reply(Text("child says hi")))
    backend = EmbeddedTaskBackend(agents_root)
    session = claw.SessionContext(
        session_id="parent-1",
        workspace=workspace,
        settings={},
        env=claw_env,
        task_backends=lambda: {"embedded": backend},
    )
    ctx = claw.ToolContext(workspace=workspace, session_id="parent-1", env=claw_env, session=session)
    created = call_tool(
        TaskCreateTool(), ctx, subject="Ask", description="d", prompt="say hi", model="scripted/default"
    )
    assert not created.is_error, created.content
    task_id = created.data["task"]["taskId"]
    result = call_tool(TaskOutputTool(), ctx, task_id="1", block=True, timeout=60000)
    assert "<status>completed</status>" in result.content and "child says hi" in result.content, (
        result.content
    )
    assert "<next_offset>" not in result.content
    run = asyncio.run(backend.get(task_id))
    assert run.spec.parent_session_id == "parent-1" and run.exit_code == 0
    assert model.requests[0]["messages"][0]["content"][0]["text"] == "say hi"
    got = json.loads(call_tool(TaskGetTool(), ctx, taskId="1").content)
    assert got["run"] == {"status": "completed", "exitCode": 0, "error": None}


def test_the_shared_task_list_keeps_claude_codes_semantics(
    claw_env, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    ctx = claw.ToolContext(workspace=workspace, session_id="s-1", env=claw_env)
    assert call_tool(TaskListTool(), ctx).content == "No tasks found"
    assert call_tool(TaskCreateTool(), ctx, subject="Write tests", description="a").content == (
        "Task #1 created successfully: Write tests"
    )
    call_tool(TaskCreateTool(), ctx, subject="Ship", description="b", metadata={"k": 1, "keep": True})
    updated = call_tool(
        TaskUpdateTool(), ctx, taskId="2", addBlockedBy=["1"], owner="alice", metadata={"k": None}
    )
    assert updated.content == "Updated task #2: owner, blockedBy, metadata"
    assert call_tool(TaskListTool(), ctx).content == (
        "#1 [pending] Write tests\n#2 [pending] Ship (owner: alice) [blocked by #1]"
    )
    first = json.loads(call_tool(TaskGetTool(), ctx, taskId="1").content)
    assert first["blocks"] == ["2"]
    assert json.loads(call_tool(TaskGetTool(), ctx, taskId="2").content)["metadata"] == {"keep": True}
    call_tool(TaskUpdateTool(), ctx, taskId="1", status="completed")
    assert call_tool(TaskListTool(), ctx).content.endswith("#2 [pending] Ship (owner: alice)")
    assert call_tool(TaskUpdateTool(), ctx, taskId="1", status="deleted").content == "Task #1 deleted"
    assert json.loads(call_tool(TaskGetTool(), ctx, taskId="2").content)["blockedBy"] == []
    # another session has its own list; a child of this one shares it
    assert call_tool(TaskListTool(), ctx.model_copy(update={"session_id": "s-2"})).content == "No tasks found"
    child = ctx.model_copy(update={"session_id": "c-1", "env": {**claw_env, "CLAW_PARENT_SESSION_ID": "s-1"}})
    assert call_tool(TaskListTool(), child).content == "#2 [pending] Ship (owner: alice)"
    # bad input: clear errors, nothing changed
    assert call_tool(TaskGetTool(), ctx, taskId="9").content == "no task #9 in the task list"
    bad = call_tool(TaskUpdateTool(), ctx, taskId="2", addBlocks=["7"], owner="bob")
    assert bad.is_error and bad.content == "no other task #7 in the task list"
    assert "(owner: alice)" in call_tool(TaskListTool(), ctx).content
    assert call_tool(
        TaskCreateTool(), ctx, subject="x", description="y", prompt="p", command="c"
    ).content == ("give prompt or command, not both")
    assert call_tool(TaskOutputTool(), ctx, task_id="2").is_error  # no session: no backend


def test_a_detached_command_is_judged_like_a_bash_command(
    model, claw, claw_env, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    settings = {"model": "scripted/default", "permissions": {"deny": ["Bash(touch:*)"]}}
    (cfg / "settings.json").write_text(json.dumps(settings))
    model.script(
        Reply(ToolCall("TaskCreate", {"subject": "t", "description": "d", "command": "touch denied.txt"})),
        Reply(Text("ok")),
    )
    result = claw.subprocess("-p", "go", "--permission-mode", "bypassPermissions")
    assert result.exit_code == 0, result.stderr
    assert 'is denied by deny rule "Bash(touch:*)"' in _tool_result(model.requests[1])
    assert not (agents_root / "agents.db").exists() or not asyncio.run(
        EmbeddedTaskBackend(agents_root).list()
    )
    assert not (workspace / "denied.txt").exists()


def test_the_tools_backend_and_commands_are_registered(claw) -> None:  # type: ignore[no-untyped-def]
    data = claw("dump-manifests", "--json").assert_success().json()
    names = {
        "TaskCreate",
        "TaskGet",
        "TaskList",
        "TaskUpdate",
        "TaskOutput",
        "TaskStop",
        "CronCreate",
        "CronList",
    }
    tools = {t["name"]: t for t in data["tools"]}
    for name in [*names, "CronDelete"]:
        assert tools[name]["source"].startswith("claw-agents "), name
    assert {"name": "embedded", "source": "claw-agents 0.1.0"} in data["task_backends"]
    help_text = claw("--help").assert_success().stdout
    assert all(f"  {c} " in help_text for c in ("tasks", "cron", "agents"))
    assert "serve" in claw("agents", "--help").assert_success().stdout
    assert claw("tasks", "list", "--json").assert_success().json() == []


def test_doctor_reports_the_backend_and_the_supervisor(claw, agents_root: Path) -> None:  # type: ignore[no-untyped-def]
    result = claw("doctor", "--json")
    checks = {c["name"]: c for c in result.json() if c["section"] == "agents"}
    assert checks["task backend"]["detail"] == "embedded"
    assert checks["supervisor"]["detail"] == f"not running (starts on demand); state {agents_root}"
