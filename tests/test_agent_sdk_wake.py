"""The real Claude Agent SDK against claw: an idle session is woken by a background job's end, as Claude
Code wakes one (``ClaudeSDKClient.receive_messages()`` gets the woken turn's messages and ``result``
without the client sending anything); the control protocol works during that turn (``interrupt``), and
a message sent meanwhile waits for it and then runs."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    ResultMessage,
    StreamEvent,
    TaskNotificationMessage,
    TextBlock,
)
from claw import TaskNotification
from claw.testing.script import Fault, Reply, Text, ToolCall
from sdk_clients import receive_until

CLAW = str(Path(sys.executable).with_name("claw"))
JOB = {"command": "sleep 1; echo done", "run_in_background": True, "description": "a job"}


def _options(env: dict[str, str], workspace: Path) -> ClaudeAgentOptions:
    return ClaudeAgentOptions(
        cli_path=CLAW,
        cwd=str(workspace),
        env=dict(env),
        allowed_tools=["Bash"],
        include_partial_messages=True,
    )


def _texts(messages: list[Any]) -> list[str]:
    return [
        b.text
        for m in messages
        if isinstance(m, AssistantMessage)
        for b in m.content
        if isinstance(b, TextBlock)
    ]


def test_an_idle_client_receives_the_woken_turns_result(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    scripted_default.script(
        Reply(ToolCall("Bash", JOB, id="toolu_job")), Reply(Text("started")), Reply(Text("the job said done"))
    )

    async def drive() -> tuple[list[Any], list[Any]]:
        async with ClaudeSDKClient(_options(claw_env, workspace)) as client:
            await client.query("start a job")
            first = [m async for m in client.receive_response()]
            return first, await receive_until(client, ResultMessage, 15)

    first, woken = asyncio.run(drive())
    assert first[-1].result == "started"
    notified = next(m for m in woken if isinstance(m, TaskNotificationMessage))
    result = woken[-1]
    assert woken.index(notified) < woken.index(result)
    assert _texts(woken) == ["the job said done"]
    assert (result.subtype, result.result, result.session_id) == (
        "success",
        "the job said done",
        first[-1].session_id,
    )
    told = TaskNotification.find(scripted_default.requests[2]["messages"][-1]["content"][0]["text"])
    assert [(n.task_id, n.status) for n in told] == [(notified.task_id, "completed")], "the notice, told"


def test_interrupt_stops_a_woken_turn_and_a_message_sent_meanwhile_runs_next(  # type: ignore[no-untyped-def]
    scripted_default, claw_env, workspace: Path
):
    stall = Fault(kind="stall", after_events=1, seconds=60, reply=Reply(Text("a long look at the job")))
    scripted_default.script(
        Reply(ToolCall("Bash", JOB, id="toolu_job")),
        Reply(Text("started")),
        stall,
        Reply(Text("and now this")),
    )

    async def drive() -> tuple[list[Any], list[Any]]:
        async with ClaudeSDKClient(_options(claw_env, workspace)) as client:
            await client.query("start a job")
            [m async for m in client.receive_response()]
            woken: list[Any] = []
            async with asyncio.timeout(15):
                async for m in client.receive_messages():
                    woken.append(m)
                    if isinstance(m, StreamEvent) and m.event.get("type") == "content_block_delta":
                        break  # the woken turn streams, and stalls
            await client.query("meanwhile")  # waits for the woken turn
            await client.interrupt()
            woken += await receive_until(client, ResultMessage, 15)
            return woken, await receive_until(client, ResultMessage, 15)

    woken, after = asyncio.run(drive())
    assert isinstance(woken[-1], ResultMessage) and woken[-1].subtype == "error_during_execution"
    assert after[-1].result == "and now this"
    last = scripted_default.requests[-1]["messages"]
    assert last[-1]["content"][-1] == {"type": "text", "text": "meanwhile"}  # after the (unanswered) notice
    notices = [b for m in last for b in m["content"] if TaskNotification.find(b.get("text", ""))]
    assert len(notices) == 1, "the woken turn's message stays in the history, once"
