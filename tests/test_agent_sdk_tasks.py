"""The real Claude Agent SDK's ``stop_task`` against claw: a ``Bash`` ``run_in_background`` job is
reported with ``system/task_started`` (its ``task_id``), ``stop_task`` kills its process, and the end is
reported as Claude Code reports it (``task_updated`` with status ``killed``, ``task_notification``
with status ``stopped``), once; an unknown id is a clear error. A background job or sub-agent that ends
on its own is reported too (``task_updated`` and ``task_notification``, ``completed`` or ``failed``),
also between turns; the model's ``KillShell`` ends a job as ``stopped``."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import (
    TERMINAL_TASK_STATUSES,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    ResultMessage,
    TaskNotificationMessage,
    TaskStartedMessage,
    TaskUpdatedMessage,
    UserMessage,
)
from claw.testing import process_alive, processes_gone
from claw.testing.script import Fault, Reply, Text, ToolCall
from sdk_clients import receive_until

CLAW = str(Path(sys.executable).with_name("claw"))


def _options(env: dict[str, str], workspace: Path, tool: str = "Bash") -> ClaudeAgentOptions:
    return ClaudeAgentOptions(cli_path=CLAW, cwd=str(workspace), env=dict(env), allowed_tools=[tool])


def _pid(messages: list[Any]) -> int:
    """The job's process id, from the Bash tool's result."""
    for m in messages:
        if isinstance(m, UserMessage) and isinstance(m.content, list):
            for block in m.content:
                found = re.search(r"\(pid (\d+)\)", str(getattr(block, "content", "")))
                if found:
                    return int(found.group(1))
    raise AssertionError("no background job pid in the tool result")


def test_stop_task_kills_a_background_bash_job(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    background = {"command": "sleep 60", "run_in_background": True, "description": "sleep a minute"}
    scripted_default.script(
        Reply(ToolCall("Bash", background, id="toolu_bg")), Reply(Text("started")), Reply(Text("again"))
    )
    errors: list[str] = []
    later: list[Any] = []

    async def drive() -> tuple[list[Any], list[Any], bool]:
        async with ClaudeSDKClient(_options(claw_env, workspace)) as client:
            await client.query("start a sleeper")
            turn = [m async for m in client.receive_response()]
            started = next(m for m in turn if isinstance(m, TaskStartedMessage))
            running = process_alive(_pid(turn))
            await client.stop_task(started.task_id)
            after = await receive_until(client, TaskNotificationMessage, 10)
            for task_id in ("nope", ""):
                with pytest.raises(Exception) as refused:
                    await client.stop_task(task_id)
                errors.append(str(refused.value))
            await asyncio.sleep(0.5)  # the job's exit has been seen by now: it must not be told again
            await client.query("anything else?")
            later.extend([m async for m in client.receive_response()])
            return turn, after, running

    turn, after, running = asyncio.run(drive())
    started = next(m for m in turn if isinstance(m, TaskStartedMessage))
    assert (started.task_type, started.tool_use_id, started.description) == (
        "local_bash",
        "toolu_bg",
        "sleep a minute",
    )
    assert running, "the job ran until stop_task"
    assert processes_gone([_pid(turn)]), "stop_task killed the job's process"
    updated = next(m for m in after if isinstance(m, TaskUpdatedMessage))
    notified = after[-1]
    assert (updated.task_id, updated.status) == (started.task_id, "killed")
    assert isinstance(notified, TaskNotificationMessage)
    assert (notified.task_id, notified.status) == (started.task_id, "stopped")
    assert [m for m in after if isinstance(m, TaskNotificationMessage | TaskUpdatedMessage)] == [
        updated,
        notified,
    ]
    assert not [m for m in later if isinstance(m, TaskNotificationMessage | TaskUpdatedMessage)], "told once"
    assert errors[0].endswith('stop_task: no background task "nope" in this session')
    assert 'stop_task needs "task_id"' in errors[1]


def test_stop_task_stops_a_background_subagent_mid_turn(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    agent = {"description": "slow helper", "prompt": "work slowly", "run_in_background": True}
    stall = Fault(kind="stall", seconds=30, after_events=0, reply=Reply(Text("never")))
    # The parent's next request and the child's first one both stall: the turn is still running
    scripted_default.script(Reply(ToolCall("Agent", agent, id="toolu_agent")), stall, stall)

    async def drive() -> tuple[list[Any], list[Any]]:
        async with ClaudeSDKClient(_options(claw_env, workspace, "Agent")) as client:
            await client.query("delegate")
            before: list[Any] = []
            async with asyncio.timeout(20):
                async for m in client.receive_messages():
                    before.append(m)
                    if isinstance(m, TaskStartedMessage):
                        break
            await client.stop_task(before[-1].task_id)
            after = await receive_until(client, TaskNotificationMessage, 10)
            await client.interrupt()
            return before, after

    before, after = asyncio.run(drive())
    started = before[-1]
    assert (started.task_type, started.tool_use_id, started.description) == (
        "local_agent",
        "toolu_agent",
        "slow helper",
    )
    notified = after[-1]
    assert (notified.task_id, notified.status) == (started.task_id, "stopped")
    assert any(isinstance(m, TaskUpdatedMessage) and m.status == "killed" for m in after)


async def _until_ended(client: ClaudeSDKClient) -> list[Any]:
    """The messages up to both the turn's result and a ``task_notification`` (within 15 s), in order."""
    seen: list[Any] = []
    async with asyncio.timeout(15):
        async for m in client.receive_messages():
            seen.append(m)
            kinds = {type(x) for x in seen}
            if ResultMessage in kinds and TaskNotificationMessage in kinds:
                return seen
    raise AssertionError("no result and task_notification")


def _bash_job_ends(scripted_default, claw_env, workspace: Path, command: str) -> list[Any]:  # type: ignore[no-untyped-def]
    """Drive one turn that starts ``command`` as a background job; the messages until it is reported ended."""
    background = {"command": command, "run_in_background": True, "description": "a job"}
    # A job that ends while the turn runs is also told to the model, which may then answer once more
    scripted_default.script(
        Reply(ToolCall("Bash", background, id="toolu_job")), Reply(Text("started")), Reply(Text("noted"))
    )

    async def drive() -> list[Any]:
        async with ClaudeSDKClient(_options(claw_env, workspace)) as client:
            await client.query("start a job")
            return await _until_ended(client)

    return asyncio.run(drive())


def _ends(messages: list[Any]) -> tuple[TaskStartedMessage, TaskUpdatedMessage, TaskNotificationMessage]:
    """The one task's start, its terminal ``task_updated`` and its ``task_notification``, checked to
    come once each and in that order."""
    started = [m for m in messages if isinstance(m, TaskStartedMessage)]
    updated = [m for m in messages if isinstance(m, TaskUpdatedMessage)]
    notified = [m for m in messages if isinstance(m, TaskNotificationMessage)]
    assert (len(started), len(updated), len(notified)) == (1, 1, 1), messages
    assert messages.index(started[0]) < messages.index(updated[0]) < messages.index(notified[0])
    assert updated[0].task_id == notified[0].task_id == started[0].task_id
    return started[0], updated[0], notified[0]


def test_a_background_bash_job_that_fails_is_notified_between_turns(  # type: ignore[no-untyped-def]
    scripted_default, claw_env, workspace: Path
):
    messages = _bash_job_ends(scripted_default, claw_env, workspace, "sleep 1; sh -c 'exit 3'")
    started, updated, notified = _ends(messages)
    result = next(m for m in messages if isinstance(m, ResultMessage))
    assert messages.index(result) < messages.index(notified), "the job ended after its turn did"
    assert started.task_type == "local_bash"
    assert updated.status == "failed" and isinstance(updated.patch.get("end_time"), int)
    assert (notified.status, notified.tool_use_id) == ("failed", "toolu_job")
    assert notified.summary == 'Background command "a job" failed with exit code 3'
    assert notified.status in TERMINAL_TASK_STATUSES  # the SDK's ledger clears the task on it


def test_a_background_bash_job_that_exits_0_is_completed(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    # `true` exits at once, while the turn still runs: its end is told after its start all the same
    messages = _bash_job_ends(scripted_default, claw_env, workspace, "true")
    _, updated, notified = _ends(messages)
    assert (updated.status, notified.status, notified.tool_use_id) == ("completed", "completed", "toolu_job")
    assert notified.summary == 'Background command "a job" completed (exit code 0)'


def test_a_background_subagent_that_finishes_is_completed(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    agent = {"description": "quick helper", "prompt": "say done", "run_in_background": True}
    # The child's answer and the parent's replies (after the launch, after the child's notice) are text
    scripted_default.script(Reply(ToolCall("Agent", agent, id="toolu_agent")), *[Reply(Text("done"))] * 3)

    async def drive() -> list[Any]:
        async with ClaudeSDKClient(_options(claw_env, workspace, "Agent")) as client:
            await client.query("delegate")
            return await _until_ended(client)

    messages = asyncio.run(drive())
    started, updated, notified = _ends(messages)
    assert (started.task_type, started.tool_use_id) == ("local_agent", "toolu_agent")
    assert (updated.status, notified.status, notified.tool_use_id) == (
        "completed",
        "completed",
        "toolu_agent",
    )
    assert notified.summary == 'Agent "quick helper" completed'
    assert notified.status in TERMINAL_TASK_STATUSES  # the SDK's ledger clears the task on it


def test_the_models_killshell_reports_the_job_stopped(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    background = {"command": "sleep 60", "run_in_background": True}
    scripted_default.script(
        Reply(ToolCall("Bash", background, id="toolu_job")),
        Reply(ToolCall("KillShell", {"shell_id": "bash_1"}, id="toolu_kill")),
        Reply(Text("killed it")),
    )
    options = _options(claw_env, workspace)
    options.allowed_tools = ["Bash", "KillShell"]

    async def drive() -> list[Any]:
        async with ClaudeSDKClient(options) as client:
            await client.query("start a sleeper, then kill it")
            return await _until_ended(client)

    _, updated, notified = _ends(asyncio.run(drive()))
    assert (notified.task_id, updated.status, notified.status) == ("bash_1", "killed", "stopped")
    assert notified.summary == 'Background command "sleep 60" was stopped'


def test_a_subagents_background_job_is_reported_and_stop_task_stops_it(  # type: ignore[no-untyped-def]
    scripted_default, claw_env, workspace: Path
):
    # A foreground sub-agent starts a job and answers: the job is reported started (no parent_task_id:
    # claw's foreground sub-agent is no task of its own); the SDK's stop_task reaches the sub-agent's
    # job (the sub-agent has ended, its job runs on) and its end is reported once
    # (the sub-agent's tool results do not reach the SDK: the job says its pid in a file)
    job = {
        "command": "echo $$ > job.pid; exec sleep 60",
        "run_in_background": True,
        "description": "child's sleeper",
    }
    scripted_default.script(
        Reply(ToolCall("Agent", {"description": "helper", "prompt": "start a job"}, id="toolu_agent")),
        Reply(ToolCall("Bash", job, id="toolu_child_job")),  # the child's
        Reply(Text("job started")),  # the child's answer
        Reply(Text("delegated")),
    )
    options = _options(claw_env, workspace, "Agent")
    options.allowed_tools = ["Agent", "Bash"]

    async def drive() -> tuple[list[Any], list[Any], bool]:
        async with ClaudeSDKClient(options) as client:
            await client.query("delegate a job")
            turn = [m async for m in client.receive_response()]
            running = process_alive(int((workspace / "job.pid").read_text()))
            started = next(m for m in turn if isinstance(m, TaskStartedMessage))
            await client.stop_task(started.task_id)
            return turn, await receive_until(client, TaskNotificationMessage, 10), running

    turn, after, running = asyncio.run(drive())
    started = next(m for m in turn if isinstance(m, TaskStartedMessage))
    assert (started.task_type, started.tool_use_id, started.description) == (
        "local_bash",
        "toolu_child_job",
        "child's sleeper",
    )
    assert "parent_task_id" not in started.data and started.data["is_backgrounded"] is True
    pid = int((workspace / "job.pid").read_text())
    assert running and processes_gone([pid]), "stop_task killed the sub-agent's job"
    updated = next(m for m in after if isinstance(m, TaskUpdatedMessage))
    notified = after[-1]
    assert (updated.task_id, notified.task_id) == (started.task_id, started.task_id)
    assert (updated.status, notified.status, notified.tool_use_id) == ("killed", "stopped", "toolu_child_job")


def _conversation(request: Any) -> tuple[str, bool]:
    """Whose request it is (the first user message's text) and whether it carries a tool result."""
    messages = request.json["messages"]
    first = messages[0]["content"]
    text = first if isinstance(first, str) else " ".join(b.get("text", "") for b in first)
    last = messages[-1]["content"]
    answered = isinstance(last, list) and any(b.get("type") == "tool_result" for b in last)
    return text, answered


def test_a_background_subagents_job_names_it_as_parent_task(anthropic_model, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    # The parent and its background sub-agent ask the model at once: each is answered by who asks
    job = {"command": "echo $$ > job.pid; exec sleep 60", "run_in_background": True, "description": "sleeper"}
    agent = {"description": "bg helper", "prompt": "start a job", "run_in_background": True}

    def answer(request: Any) -> Reply:
        text, answered = _conversation(request)
        if "start a job" in text:  # the sub-agent's
            return Reply(Text("job started")) if answered else Reply(ToolCall("Bash", job, id="toolu_job"))
        return (
            Reply(Text("ok"))
            if answered or len(request.json["messages"]) > 1
            else Reply(ToolCall("Agent", agent, id="toolu_agent"))
        )

    anthropic_model.respond_with(answer)
    options = _options(claw_env, workspace, "Agent")
    options.allowed_tools = ["Agent", "Bash"]

    async def drive() -> tuple[list[Any], list[Any]]:
        async with ClaudeSDKClient(options) as client:
            await client.query("delegate a job")
            before: list[Any] = []
            async with asyncio.timeout(20):
                async for m in client.receive_messages():
                    before.append(m)
                    if isinstance(m, TaskStartedMessage) and m.task_type == "local_bash":
                        break
                while not (workspace / "job.pid").exists():  # the job has started its sleep
                    await asyncio.sleep(0.05)
            await client.stop_task(before[-1].task_id)
            after: list[Any] = []
            async with asyncio.timeout(10):
                async for m in client.receive_messages():
                    after.append(m)
                    if isinstance(m, TaskNotificationMessage) and m.task_id == before[-1].task_id:
                        return before, after
            raise AssertionError("no task_notification for the job")

    before, after = asyncio.run(drive())
    launched = next(m for m in before if isinstance(m, TaskStartedMessage) and m.task_type == "local_agent")
    job_started = before[-1]
    assert job_started.tool_use_id == "toolu_job"
    assert job_started.data["parent_task_id"] == launched.task_id, "the job names its sub-agent's task"
    assert "parent_task_id" not in launched.data, "the sub-agent was launched by the main thread"
    assert after[-1].status == "stopped"
    assert processes_gone([int((workspace / "job.pid").read_text())])


def _detached(scripted_default, claw_env, workspace: Path, command: str) -> ClaudeAgentOptions:  # type: ignore[no-untyped-def]
    """A turn whose model runs ``command`` as a detached task (``TaskCreate``), on the in-process task
    backend (settings ``agents.backend: local``)."""
    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.write_text(json.dumps({**json.loads(settings.read_text()), "agents": {"backend": "local"}}))
    task = {"subject": "run it", "description": "a detached job", "command": command}
    scripted_default.script(
        Reply(ToolCall("TaskCreate", task, id="toolu_create")), Reply(Text("started")), Reply(Text("noted"))
    )
    return _options(claw_env, workspace, "TaskCreate")


def test_a_detached_task_is_reported_and_its_end_too(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    options = _detached(scripted_default, claw_env, workspace, "sleep 1; exit 3")

    async def drive() -> list[Any]:
        async with ClaudeSDKClient(options) as client:
            await client.query("run a job detached")
            return await _until_ended(client)

    messages = asyncio.run(drive())
    started, updated, notified = _ends(messages)
    assert (started.task_type, started.tool_use_id, started.description) == (
        "local_bash",
        "toolu_create",
        "a detached job",
    )
    assert updated.status == "failed" and isinstance(updated.patch.get("end_time"), int)
    assert (notified.status, notified.tool_use_id) == ("failed", "toolu_create")
    assert notified.summary == 'Background command "a detached job" failed with exit code 3'
    assert notified.output_file and Path(notified.output_file).is_file(), "the task's output file"


def test_stop_task_stops_a_detached_task(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    options = _detached(scripted_default, claw_env, workspace, "echo $$ > detached.pid; exec sleep 60")

    async def drive() -> tuple[list[Any], list[Any], bool]:
        async with ClaudeSDKClient(options) as client:
            await client.query("run a job detached")
            turn = [m async for m in client.receive_response()]
            started = next(m for m in turn if isinstance(m, TaskStartedMessage))
            async with asyncio.timeout(10):
                while (
                    not (workspace / "detached.pid").exists() or not (workspace / "detached.pid").read_text()
                ):
                    await asyncio.sleep(0.05)
            running = process_alive(int((workspace / "detached.pid").read_text()))
            await client.stop_task(started.task_id)
            after = await receive_until(client, TaskNotificationMessage, 10)
            await asyncio.sleep(1)  # past the watcher's next look: the end is not told again
            await client.query("anything else?")
            return turn, after + [m async for m in client.receive_response()], running

    turn, after, running = asyncio.run(drive())
    started = next(m for m in turn if isinstance(m, TaskStartedMessage))
    assert running and processes_gone([int((workspace / "detached.pid").read_text())])
    ends = [m for m in after if isinstance(m, TaskNotificationMessage | TaskUpdatedMessage)]
    assert [(type(m), m.task_id) for m in ends] == [
        (TaskUpdatedMessage, started.task_id),
        (TaskNotificationMessage, started.task_id),
    ], "told once"
    assert (ends[0].status, ends[1].status) == ("killed", "stopped")
    assert ends[1].summary == 'Background command "a detached job" was stopped'
