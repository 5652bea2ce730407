"""A :class:`claw.MessageTransport` (one JSON-RPC ``dict`` at a time, as the Agent SDK's in-process
servers are reached) served through the plugin like any transport: the handshake, the tool list and a
tool call go through ``exchange``, which also gets the configured server name; a failing exchange
fails only its request."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import claw
from claw_mcp import plugin
from mcp_sessions import trusted_session


class InProcess(claw.MessageTransport):
    """A hand-written MCP server answering in the same process; records what it was sent."""

    name = "inproc"
    seen: list[tuple[str, str]] = []

    async def exchange(self, config: dict[str, Any], message: dict[str, Any]) -> dict[str, Any] | None:
        method = message.get("method", "")
        self.seen.append((config["server"], method))
        if "id" not in message:
            return None
        if method == "initialize":
            result: dict[str, Any] = {
                "protocolVersion": message["params"]["protocolVersion"],
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "inproc", "version": "1"},
            }
        elif method == "tools/list":
            schema = {"type": "object", "properties": {"text": {"type": "string"}}}
            result = {"tools": [{"name": "shout", "description": "Upper-case it", "inputSchema": schema}]}
        elif method == "tools/call" and message["params"]["arguments"].get("text") == "boom":
            raise RuntimeError("the host went away")
        elif method == "tools/call":
            result = {"content": [{"type": "text", "text": message["params"]["arguments"]["text"].upper()}]}
        else:
            return {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": method}}
        return {"jsonrpc": "2.0", "id": message["id"], "result": result}


def test_a_message_transport_serves_tools(workspace: Path, claw_env: dict[str, str]) -> None:
    session = trusted_session(
        workspace, claw_env, {"host": {"type": "inproc"}}, transports={"inproc": InProcess}
    )
    ctx = claw.ToolContext(workspace=workspace, session_id="s", env=claw_env, session=session)
    got: dict[str, Any] = {}

    async def scenario() -> None:
        await plugin.claw_session_start(session)
        try:
            tools = {t.name: t for t in session.session_tools}
            got["names"] = sorted(tools)
            got["shout"] = await tools["mcp__host__shout"].run({"text": "hi"}, ctx)
            got["boom"] = await tools["mcp__host__shout"].run({"text": "boom"}, ctx)
            got["again"] = await tools["mcp__host__shout"].run({"text": "still up"}, ctx)
        finally:
            await plugin.claw_session_end(session)

    asyncio.run(scenario())
    assert got["names"] == ["mcp__host__shout"]
    assert got["shout"].content == "HI" and not got["shout"].is_error
    assert got["boom"].is_error and "the host went away" in str(got["boom"].content)
    assert got["again"].content == "STILL UP"
    assert ("host", "initialize") in InProcess.seen and (
        "host",
        "notifications/initialized",
    ) in InProcess.seen
