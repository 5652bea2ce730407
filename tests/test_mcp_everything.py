"""claw-mcp against the npm reference server ``@modelcontextprotocol/server-everything`` over stdio,
SSE and streamable HTTP: tools, a tool error, an image, resources and prompts.

The server is installed by ``tests/setup.d/mcp-servers.sh`` (``.ci/run`` runs it); nothing is fetched
at test time. Without it these tests fail and say how to install it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import claw
import pytest
from claw_mcp import plugin

ROOT = Path(__file__).resolve().parent
EVERYTHING = (
    ROOT / ".npm" / "node_modules" / "@modelcontextprotocol" / "server-everything" / "dist" / "index.js"
)
SETUP = "bash tests/setup.d/mcp-servers.sh"


def node_server() -> list[str]:
    if not EVERYTHING.exists():
        pytest.fail(f"@modelcontextprotocol/server-everything is not installed in tests/.npm; run: {SETUP}")
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH; install Node.js 20+ and run: {SETUP}")
    return [node, str(EVERYTHING)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(mode: str, tmp: Path, port: int | None = None) -> Iterator[int]:
    """Run server-everything in ``mode`` on ``port`` (a free one by default) until closed."""
    port = port or _free_port()
    log = (tmp / f"everything-{mode}.log").open("a")
    proc = subprocess.Popen(
        [*node_server(), mode], env={**os.environ, "PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server-everything {mode} did not start; see {log.name}") from None
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="module")
def sse_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    yield from _serve("sse", tmp_path_factory.mktemp("sse"))


@pytest.fixture(scope="module")
def http_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    yield from _serve("streamableHttp", tmp_path_factory.mktemp("http"))


@pytest.fixture(params=["stdio", "sse", "http"])
def everything_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param == "stdio":
        command = node_server()
        return {"command": command[0], "args": [command[1], "stdio"]}
    if request.param == "sse":
        return {"type": "sse", "url": f"http://127.0.0.1:{request.getfixturevalue('sse_port')}/sse"}
    return {"type": "http", "url": f"http://127.0.0.1:{request.getfixturevalue('http_port')}/mcp"}


def _trusted_session(workspace: Path, env: dict[str, str]) -> claw.SessionContext:
    """A session in ``workspace``, trusted for this run, so its ``.mcp.json`` servers start."""
    return claw.SessionContext(
        session_id="s",
        workspace=workspace,
        settings={},
        env=env,
        trust=claw.WorkspaceTrust(workspace, True, "this run"),
    )


def test_everything_server(
    everything_config: dict[str, Any], workspace: Path, claw_env: dict[str, str]
) -> None:
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": {"everything": everything_config}}))
    session = _trusted_session(workspace, claw_env)
    out: dict[str, Any] = {}

    async def scenario() -> None:
        await plugin.claw_session_start(session)
        try:
            ctx = claw.ToolContext(workspace=workspace, session_id="s", env=claw_env, session=session)
            tools = {t.name: t for t in session.session_tools}
            out["tools"] = tools
            out["echo"] = await tools["mcp__everything__echo"].run({"message": "hello"}, ctx)
            out["sum"] = await tools["mcp__everything__get-sum"].run({"a": 2, "b": 40}, ctx)
            out["bad"] = await tools["mcp__everything__get-sum"].run({"a": "two"}, ctx)
            out["image"] = await tools["mcp__everything__get-tiny-image"].run({}, ctx)
            out["list"] = await tools["ListMcpResources"].run({"server": "everything"}, ctx)
            uri = json.loads(out["list"].content)[0]["uri"]
            out["read"] = await tools["ReadMcpResource"].run({"server": "everything", "uri": uri}, ctx)
            blob = {"server": "everything", "uri": "demo://resource/dynamic/blob/1"}
            out["blob"] = await tools["ReadMcpResource"].run(blob, ctx)
            out["prompt"] = await session.commands["mcp__everything__args-prompt"].expand("Paris France")
        finally:
            await plugin.claw_session_end(session)

    asyncio.run(scenario())
    assert session.statuses[0]["status"] == "connected", session.statuses
    tools = out["tools"]
    assert tools["mcp__everything__echo"].spec.read_only is True
    assert tools["mcp__everything__toggle-simulated-logging"].spec.read_only is False
    assert out["echo"].content == "Echo: hello"
    assert out["sum"].content == "The sum of 2 and 40 is 42."
    assert out["bad"].is_error and "expected number" in out["bad"].content
    image = out["image"].content
    assert isinstance(image, list) and any(isinstance(b, claw.ImageBlock) for b in image)
    assert any(b.source.media_type == "image/png" for b in image if isinstance(b, claw.ImageBlock))
    resources = json.loads(out["list"].content)
    assert all(r["server"] == "everything" for r in resources) and len(resources) >= 1
    read = json.loads(out["read"].content)["contents"][0]
    assert read["uri"] == resources[0]["uri"] and read["text"]
    saved = Path(json.loads(out["blob"].content)["contents"][0]["blobSavedTo"])
    assert saved.parent == Path(claw_env["CLAW_STATE_DIR"]) / "mcp-resources" and saved.stat().st_size > 0
    assert "Paris" in out["prompt"] and "France" in out["prompt"]
    assert {"mcp__everything__simple-prompt", "mcp__everything__args-prompt"} <= set(session.commands)


def test_http_server_restarted_mid_session_gets_a_new_session(
    workspace: Path, claw_env: dict[str, str], tmp_path: Path
) -> None:
    """server-everything restarted on the same port answers the old session id with 400 "No valid
    session ID provided": claw opens a new session and sends the call again, for a tool that changes
    something as well (the server refused before running it), instead of returning an error."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": {"ev": {"type": "http", "url": url}}}))
    session = _trusted_session(workspace, claw_env)
    out: dict[str, Any] = {}

    async def scenario() -> None:
        first = _serve("streamableHttp", tmp_path, port)
        next(first)
        await plugin.claw_session_start(session)
        try:
            ctx = claw.ToolContext(workspace=workspace, session_id="s", env=claw_env, session=session)
            tools = {t.name: t for t in session.session_tools}
            out["before"] = await tools["mcp__ev__echo"].run({"message": "a"}, ctx)
            first.close()  # kill the node process ...
            second = _serve("streamableHttp", tmp_path, port)  # ... and start a new one on the same port
            next(second)
            try:
                toggle = tools["mcp__ev__toggle-simulated-logging"]
                assert toggle.spec.read_only is False
                out["toggle"] = await toggle.run({}, ctx)
                out["after"] = await tools["mcp__ev__echo"].run({"message": "b"}, ctx)
            finally:
                await plugin.claw_session_end(session)
                second.close()
        finally:
            first.close()

    asyncio.run(scenario())
    assert out["before"].content == "Echo: a"
    assert not out["toggle"].is_error, out["toggle"].content
    assert "logging" in out["toggle"].content.lower()
    assert out["after"].content == "Echo: b"


def test_server_errors_are_said_once_to_the_model_and_the_user(
    claw, scripted_default, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    """Servers on the TypeScript SDK put "MCP error <code>:" in the error message itself: the model's
    tool result says it once, and a prompt command's refusal is one ``claw: error:`` line in those words
    (no Python class name)."""
    from claw.testing.script import Reply, Text, ToolCall
    from transcripts import all_tool_results

    command = node_server()
    everything = {"command": command[0], "args": [command[1], "stdio"]}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": {"every": everything}}))
    missing = {"server": "every", "uri": "demo://nope"}
    scripted_default.script(Reply(ToolCall("ReadMcpResource", missing, id="toolu_r")), Reply(Text("done")))
    claw("-p", "read it", "--output-format", "json").assert_success()
    result = next(r for r in all_tool_results(scripted_default.requests) if r["tool_use_id"] == "toolu_r")
    assert result["is_error"] and result["content"] == "MCP error -32602: Resource demo://nope not found"

    res = claw("-p", "/mcp__every__args-prompt", "--output-format", "json").assert_failure(1)
    assert res.stderr.startswith(
        "claw: error: /mcp__every__args-prompt failed: MCP error -32602: Invalid arguments for prompt args-prompt"
    )
    assert "MCPError" not in res.stderr and res.stderr.count("MCP error") == 1
