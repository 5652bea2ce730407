"""The real Claude Agent SDK's ``toggle_mcp_server`` and ``reconnect_mcp_server`` against claw and a
real stdio MCP server that answers with its process id, so each step shows on the processes (a
disabled server's process ends, a reconnect starts a new one) and in the tool list the model is sent."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient
from claw.testing import processes_gone
from claw.testing.script import Reply, Text, ToolCall

CLAW = str(Path(sys.executable).with_name("claw"))
TOOL = "mcp__pid__pid"

#: Answers ``pid`` with its process id; with ``argv[1]`` naming a file, starts only once it exists.
PID_SERVER = textwrap.dedent(
    """
    import os, sys
    from mcp.server.mcpserver import MCPServer

    if len(sys.argv) > 1 and not os.path.exists(sys.argv[1]):
        sys.exit("not yet")
    server = MCPServer("pid")

    @server.tool()
    def pid() -> str:
        return str(os.getpid())

    server.run()
    """
)


def _options(env: dict[str, str], workspace: Path, server: list[str]) -> ClaudeAgentOptions:
    return ClaudeAgentOptions(
        cli_path=CLAW,
        cwd=str(workspace),
        env=dict(env),
        mcp_servers={"pid": {"command": sys.executable, "args": server}},
        allowed_tools=[TOOL],
    )


def _offered(request: dict[str, Any]) -> set[str]:
    return {t["name"] for t in request["tools"]}


def _pid_result(request: dict[str, Any]) -> int:
    content = request["messages"][-1]["content"][0]["content"]
    return int(content if isinstance(content, str) else content[0]["text"])


def _status(status: dict[str, Any]) -> str:
    return next(s["status"] for s in status["mcpServers"] if s["name"] == "pid")


def _ask_pid(id: str) -> tuple[Reply, Reply]:
    return Reply(ToolCall(TOOL, {}, id=id)), Reply(Text("got it"))


def test_toggle_and_reconnect_a_server(scripted_default, claw_env, workspace: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    script = tmp_path / "pid_server.py"
    script.write_text(PID_SERVER)
    scripted_default.script(*_ask_pid("toolu_1"), Reply(Text("no pid tool")), *_ask_pid("toolu_2"))
    scripted_default.script(*_ask_pid("toolu_3"))
    statuses: list[str] = []
    errors: list[str] = []

    async def turn(client: ClaudeSDKClient, prompt: str) -> None:
        await client.query(prompt)
        assert [m async for m in client.receive_response()][-1].result

    async def status(client: ClaudeSDKClient) -> None:
        statuses.append(_status(await client.get_mcp_status()))

    async def drive() -> None:
        async with ClaudeSDKClient(_options(claw_env, workspace, [str(script)])) as client:
            await turn(client, "pid?")
            await client.toggle_mcp_server("pid", False)
            await status(client)
            await turn(client, "pid now?")
            await client.toggle_mcp_server("pid", True)
            await status(client)
            await turn(client, "pid again?")
            await client.reconnect_mcp_server("pid")
            await status(client)
            await turn(client, "and now?")
            for call in (
                client.reconnect_mcp_server("nope"),
                client.toggle_mcp_server("nope", True),
                client.toggle_mcp_server("pid", "yes"),  # type: ignore[arg-type]
            ):
                with pytest.raises(Exception) as refused:
                    await call
                errors.append(str(refused.value))
            await client.toggle_mcp_server("pid", False)
            with pytest.raises(Exception) as refused:
                await client.reconnect_mcp_server("pid")
            errors.append(str(refused.value))

    asyncio.run(drive())

    requests = scripted_default.requests
    first, off, on, again = (
        _pid_result(requests[1]),
        requests[2],
        _pid_result(requests[4]),
        _pid_result(requests[6]),
    )
    assert TOOL in _offered(requests[0])
    assert TOOL not in _offered(off), "a disabled server's tools left the model's tool list"
    assert TOOL in _offered(requests[3]), "switched on again, its tools came back"
    assert len({first, on, again}) == 3, "switching on and reconnecting each started a new process"
    assert processes_gone([first, on, again])
    assert statuses == ["disabled", "connected", "connected"]
    assert 'no MCP server named "nope" (configured: pid)' in errors[0]
    assert 'no MCP server named "nope"' in errors[1]
    assert 'needs "enabled"' in errors[2]
    assert "is disabled" in errors[3]


def test_reconnect_brings_up_a_server_that_failed_at_start(
    scripted_default, claw_env, workspace: Path, tmp_path: Path
):  # type: ignore[no-untyped-def]
    script, ready = tmp_path / "pid_server.py", tmp_path / "ready"
    script.write_text(PID_SERVER)
    scripted_default.script(*_ask_pid("toolu_1"))
    statuses: list[str] = []
    errors: list[str] = []

    async def drive() -> None:
        async with ClaudeSDKClient(_options(claw_env, workspace, [str(script), str(ready)])) as client:
            statuses.append(_status(await client.get_mcp_status()))
            with pytest.raises(Exception) as refused:
                await client.reconnect_mcp_server("pid")
            errors.append(str(refused.value))
            ready.touch()
            await client.reconnect_mcp_server("pid")
            statuses.append(_status(await client.get_mcp_status()))
            await client.query("pid?")
            assert [m async for m in client.receive_response()][-1].result == "got it"

    asyncio.run(drive())
    assert statuses == ["failed", "connected"]
    assert 'MCP server "pid" is not connected (failed' in errors[0]
    assert TOOL in _offered(scripted_default.requests[0]), (
        "the tools of a server that came up late are offered"
    )
    assert processes_gone([_pid_result(scripted_default.requests[1])])
