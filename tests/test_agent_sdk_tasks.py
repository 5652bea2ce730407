"""The real Claude Agent SDK's ``stop_task`` against claw: a ``Bash`` ``run_in_background`` job is
reported with ``system/task_started`` (its ``task_id``), ``stop_task`` kills its process, and the end is
reported as Claude Code reports it (``task_updated`` with status ``killed``, ``task_notification``
with status ``stopped``); an unknown id is a clear error."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import (
    ClaudeAgentOptions,
    ClaudeSDKClient,
    TaskNotificationMessage,
    TaskStartedMessage,
    TaskUpdatedMessage,
    UserMessage,
)
from claw.testing import process_alive, processes_gone
from claw.testing.script import Fault, Reply, Text, ToolCall

CLAW = str(Path(sys.executable).with_name("claw"))


def _options(env: dict[str, str], workspace: Path, tool: str = "Bash") -> ClaudeAgentOptions:
    return ClaudeAgentOptions(cli_path=CLAW, cwd=str(workspace), env=dict(env), allowed_tools=[tool])


async def _until_notified(client: ClaudeSDKClient) -> list[Any]:
    """The messages up to the next ``task_notification`` (within 10 s)."""
    seen: list[Any] = []
    async with asyncio.timeout(10):
        async for m in client.receive_messages():
            seen.append(m)
            if isinstance(m, TaskNotificationMessage):
                return seen
    raise AssertionError("no task_notification")


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
    scripted_default.script(Reply(ToolCall("Bash", background, id="toolu_bg")), Reply(Text("started")))
    errors: list[str] = []

    async def drive() -> tuple[list[Any], list[Any], bool]:
        async with ClaudeSDKClient(_options(claw_env, workspace)) as client:
            await client.query("start a sleeper")
            turn = [m async for m in client.receive_response()]
            started = next(m for m in turn if isinstance(m, TaskStartedMessage))
            running = process_alive(_pid(turn))
            await client.stop_task(started.task_id)
            after = await _until_notified(client)
            for task_id in ("nope", ""):
                with pytest.raises(Exception) as refused:
                    await client.stop_task(task_id)
                errors.append(str(refused.value))
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
            after = await _until_notified(client)
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
