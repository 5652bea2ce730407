"""The ``ws`` transport (claw's own, on ``websockets``) against a loopback WebSocket MCP server, plus
resources, prompts-as-commands and tool errors through the plugin's tools."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import claw
import pytest
from claw_mcp import plugin
from mcp_fixture_servers import WebSocketServer
from mcp_sessions import trusted_session


@pytest.fixture(scope="module")
def ws_server() -> Iterator[WebSocketServer]:
    server = WebSocketServer().start()
    yield server
    server.stop()


def run_session(
    workspace: Path, env: dict[str, str], servers: dict[str, Any], body: Any
) -> claw.SessionContext:
    session = trusted_session(workspace, env, servers)

    async def scenario() -> None:
        await plugin.claw_session_start(session)
        try:
            await body(
                session, claw.ToolContext(workspace=workspace, session_id="s", env=env, session=session)
            )
        finally:
            await plugin.claw_session_end(session)

    asyncio.run(scenario())
    return session


def test_websocket_server_tools_resources_prompts(
    ws_server: WebSocketServer, workspace: Path, claw_env: dict[str, str]
) -> None:
    env = {**claw_env, "WS_TOKEN": "s3cret", "MAX_MCP_OUTPUT_TOKENS": "500"}
    servers = {
        "sock": {"type": "ws", "url": ws_server.url, "headers": {"Authorization": "Bearer ${WS_TOKEN}"}}
    }
    seen: dict[str, Any] = {}

    async def body(session: claw.SessionContext, ctx: claw.ToolContext) -> None:
        tools = {t.name: t for t in session.session_tools}
        seen["names"] = set(tools)
        seen["echo_read_only"] = tools["mcp__sock__echo"].spec.read_only
        seen["fail_read_only"] = tools["mcp__sock__fail"].spec.read_only
        seen["echo"] = await tools["mcp__sock__echo"].run({"text": "hi"}, ctx)
        seen["fail"] = await tools["mcp__sock__fail"].run({}, ctx)
        seen["big"] = await tools["mcp__sock__big"].run({"size": 1000}, ctx)
        seen["roots"] = await tools["mcp__sock__roots"].run({}, ctx)
        many = [tools["mcp__sock__echo"].run({"text": str(i)}, ctx) for i in range(20)]
        seen["many"] = await asyncio.gather(*many)  # concurrent calls on one connection
        seen["huge"] = await tools["mcp__sock__big"].run({"size": 5000}, ctx)
        seen["list"] = await tools["ListMcpResources"].run({}, ctx)
        seen["list_unknown"] = await tools["ListMcpResources"].run({"server": "nope"}, ctx)
        seen["read"] = await tools["ReadMcpResource"].run({"server": "sock", "uri": "demo://greeting"}, ctx)
        command = session.commands["mcp__sock__greet"]
        seen["command"] = command
        seen["prompt"] = await command.expand("Ada Lovelace")

    session = run_session(workspace, env, servers, body)
    assert next(s for s in session.statuses if s["name"] == "sock")["status"] == "connected"
    assert {"mcp__sock__echo", "mcp__sock__fail", "ListMcpResources", "ReadMcpResource"} <= seen["names"]
    assert "McpAuth" not in seen["names"]  # OAuth applies to http and sse servers only
    assert seen["echo_read_only"] is True and seen["fail_read_only"] is False
    assert seen["echo"].content == "ws: hi" and not seen["echo"].is_error
    assert seen["fail"].is_error and seen["fail"].content == "it broke"
    assert seen["roots"].content == workspace.resolve().as_uri()
    assert [r.content for r in seen["many"]] == [f"ws: {i}" for i in range(20)]
    assert seen["big"].content == "x" * 1000  # within MAX_MCP_OUTPUT_TOKENS (500 tokens ~ 2000 chars)
    assert seen["huge"].content.startswith("x" * 2000 + "\n\n[MCP tool output truncated: about 1250 tokens")
    assert "MAX_MCP_OUTPUT_TOKENS=500" in seen["huge"].content
    assert json.loads(seen["list"].content) == [
        {"uri": "demo://greeting", "name": "greeting", "mimeType": "text/plain", "server": "sock"}
    ]
    assert seen["list_unknown"].is_error and "Available servers: sock" in seen["list_unknown"].content
    assert json.loads(seen["read"].content)["contents"][0]["text"] == "hello"
    assert seen["command"].source == "mcp:sock" and seen["command"].argument_hint == "<who>"
    assert seen["prompt"] == "Greet Ada Lovelace"
    assert ws_server.headers[-1]["authorization"] == "Bearer s3cret"
    assert ws_server.headers[-1]["sec-websocket-protocol"] == "mcp"


def test_unknown_transport_type_fails_that_server_only(
    ws_server: WebSocketServer, workspace: Path, claw_env: dict[str, str]
) -> None:
    servers = {"sock": {"type": "ws", "url": ws_server.url}, "odd": {"type": "carrier-pigeon", "url": "x"}}

    async def body(session: claw.SessionContext, ctx: claw.ToolContext) -> None:
        pass

    session = run_session(workspace, claw_env, servers, body)
    statuses = {s["name"]: s for s in session.statuses}
    assert statuses["sock"]["status"] == "connected"
    assert statuses["odd"]["status"] == "failed"
    assert statuses["odd"]["error"].startswith('unknown transport type "carrier-pigeon" (known: ')


def test_third_party_transport_from_the_session_registry(
    ws_server: WebSocketServer, workspace: Path, claw_env: dict[str, str]
) -> None:
    """A transport another plugin registered is used by its ``type``."""
    from claw_mcp.transports import WebSocketTransport

    opened: list[str] = []

    class Tunnel(claw.Transport):
        name = "tunnel"

        def connect(self, config: dict[str, Any]) -> Any:
            opened.append(config["url"])
            return WebSocketTransport().connect(
                {**config, "url": config["url"].replace("tunnel://", "ws://")}
            )

    tunnel = {"type": "tunnel", "url": ws_server.url.replace("ws://", "tunnel://")}
    session = trusted_session(workspace, claw_env, {"t": tunnel}, transports={"tunnel": Tunnel})

    async def scenario() -> claw.ToolResult:
        await plugin.claw_session_start(session)
        try:
            tool = next(t for t in session.session_tools if t.name == "mcp__t__echo")
            return await tool.run(
                {"text": "via tunnel"}, claw.ToolContext(workspace=workspace, session_id="s")
            )
        finally:
            await plugin.claw_session_end(session)

    assert asyncio.run(scenario()).content == "ws: via tunnel"
    assert opened == [ws_server.url.replace("ws://", "tunnel://")]


def test_http_server_restarted_mid_session(workspace: Path, claw_env: dict[str, str]) -> None:
    """The server goes away and comes back on the same port: the session reconnects (a new MCP
    session) and the call that hit the drop is retried, both when the restart happened between
    calls (404 for the old session id) and while the call was waiting (connection refused)."""
    import threading

    from mcp_fixture_servers import UvicornThread, demo_server

    first = UvicornThread(demo_server("one").streamable_http_app(streamable_http_path="/mcp")).start()
    port = first.port
    url = f"http://127.0.0.1:{port}/mcp"
    servers: list[UvicornThread] = [first]

    def restart(name: str, delay: float = 0.0) -> None:
        import time

        time.sleep(delay)
        servers.append(
            UvicornThread(demo_server(name).streamable_http_app(streamable_http_path="/mcp"), port).start()
        )

    results: dict[str, claw.ToolResult] = {}

    async def body(session: claw.SessionContext, ctx: claw.ToolContext) -> None:
        echo = next(t for t in session.session_tools if t.name == "mcp__web__echo")
        results["first"] = await echo.run({"text": "a"}, ctx)
        servers[-1].stop()
        restart("two")
        results["after_restart"] = await echo.run({"text": "b"}, ctx)
        servers[-1].stop()
        threading.Thread(target=restart, args=("three", 0.5)).start()
        results["while_down"] = await echo.run({"text": "c"}, ctx)

    try:
        session = run_session(workspace, claw_env, {"web": {"type": "http", "url": url}}, body)
    finally:
        for server in servers:
            server.stop()
    assert results["first"].content == "one: a"
    assert results["after_restart"].content == "two: b", results["after_restart"].content
    assert results["while_down"].content == "three: c", results["while_down"].content
    assert next(s for s in session.statuses if s["name"] == "web")["status"] == "connected"


def test_other_400_answers_are_errors_not_a_new_session(workspace: Path, claw_env: dict[str, str]) -> None:
    """A 400 that is not about the session (here: the server rejects the call's arguments) goes to
    the model as an error: no new session, the call sent once."""
    from mcp_fixture_servers import UvicornThread, demo_server

    inner = demo_server("web").streamable_http_app(streamable_http_path="/mcp")
    seen: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await inner(scope, receive, send)
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = json.loads(body)
        seen.append(request.get("method", ""))
        if request.get("method") == "tools/call" and request["params"]["name"] == "fail":
            error = {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32602, "message": "bad input"}}
            payload = json.dumps(error).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            return await send({"type": "http.response.body", "body": payload})
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await inner(scope, replay, send)

    server = UvicornThread(app).start()
    results: dict[str, claw.ToolResult] = {}

    async def body(session: claw.SessionContext, ctx: claw.ToolContext) -> None:
        tools = {t.name: t for t in session.session_tools}
        results["fail"] = await tools["mcp__web__fail"].run({}, ctx)
        results["echo"] = await tools["mcp__web__echo"].run({"text": "still here"}, ctx)

    try:
        run_session(workspace, claw_env, {"web": {"type": "http", "url": f"{server.base}/mcp"}}, body)
    finally:
        server.stop()
    assert results["fail"].is_error and "bad input" in str(results["fail"].content), results["fail"]
    assert results["echo"].content == "web: still here"
    assert seen.count("initialize") == 1 and seen.count("tools/call") == 2
