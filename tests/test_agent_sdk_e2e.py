"""claw as the CLI behind the real Claude Agent SDK: ``ClaudeSDKClient`` with ``cli_path`` pointing at
``claw`` spawns it with the SDK's own flags and speaks the stream-json control protocol to it
(initialize, can_use_tool, interrupt, set_permission_mode); the scripted model's Bash calls show on
the file system what really ran."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    PermissionResultAllow,
    PermissionResultDeny,
    ResultMessage,
    ToolPermissionContext,
)
from claw import paths
from claw.testing.script import Reply, Text, ToolCall


def _bash(command: str, id: str) -> Reply:
    return Reply(ToolCall("Bash", {"command": command}, id=id))


def test_the_sdk_client_drives_claw(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    scripted.script(
        _bash("touch asked.txt", "toolu_1"),
        _bash("touch denied.txt", "toolu_2"),
        Reply(Text("done")),
        _bash("sleep 60 && touch late.txt", "toolu_sleep"),
        _bash("touch free.txt", "toolu_3"),
        Reply(Text("made it")),
    )
    asked: list[tuple[str, dict[str, Any], str | None]] = []
    sleep_allowed = asyncio.Event()

    async def can_use_tool(
        name: str, tool_input: dict[str, Any], context: ToolPermissionContext
    ) -> PermissionResultAllow | PermissionResultDeny:
        asked.append((name, tool_input, context.tool_use_id))
        command = tool_input["command"]
        if command == "touch asked.txt":
            return PermissionResultAllow(updated_input={"command": "touch rewritten.txt"})
        if command.startswith("sleep"):
            sleep_allowed.set()
            return PermissionResultAllow()
        return PermissionResultDeny(message="not that one")

    async def drive() -> tuple[list[Any], list[Any], list[Any], dict[str, Any] | None]:
        options = ClaudeAgentOptions(
            cli_path=str(Path(sys.executable).with_name("claw")),
            cwd=str(workspace),
            env=dict(claw_env),
            can_use_tool=can_use_tool,
        )
        async with ClaudeSDKClient(options) as client:
            info = await client.get_server_info()
            await client.query("make files")
            first = [m async for m in client.receive_response()]

            await client.query("have a nap")
            second = []
            async for message in client.receive_response():
                second.append(message)
                if isinstance(message, AssistantMessage):  # the sleep is about to run: stop it once
                    await asyncio.wait_for(sleep_allowed.wait(), 30)  # claw asked (and was allowed)
                    await client.interrupt()

            await client.set_permission_mode("bypassPermissions")
            await client.query("one more file")
            third = [m async for m in client.receive_response()]
        return first, second, third, info

    first, second, third, info = asyncio.run(drive())

    assert info is not None and info["pid"] > 0
    assert [(name, i["command"], tid) for name, i, tid in asked] == [
        ("Bash", "touch asked.txt", "toolu_1"),
        ("Bash", "touch denied.txt", "toolu_2"),
        ("Bash", "sleep 60 && touch late.txt", "toolu_sleep"),
    ]  # the last call ran in bypassPermissions mode without asking
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["free.txt", "rewritten.txt"]
    done = first[-1]
    assert isinstance(done, ResultMessage) and done.result == "done" and not done.is_error
    assert done.permission_denials == [
        {"tool_name": "Bash", "tool_use_id": "toolu_2", "tool_input": {"command": "touch denied.txt"}}
    ]
    stopped = second[-1]
    assert isinstance(stopped, ResultMessage) and stopped.subtype == "error_during_execution"
    last = third[-1]
    assert isinstance(last, ResultMessage) and last.result == "made it"
    assert last.session_id == done.session_id == stopped.session_id
    log = paths.sessions_dir(workspace, claw_env) / f"{done.session_id}.jsonl"
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["type"] for e in events].count("interrupted") == 1
