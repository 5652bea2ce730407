"""claw-mcp against real stdio servers: mcp-server-time (PyPI) and a small SDK server that tells
its pid, driven through the plugin's session hooks with a real ``claw.SessionContext``."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import claw
import pytest
from claw.testing import process_alive
from claw_mcp import plugin
from mcp_fixture_servers import WebSocketServer, write_pid_server
from mcp_sessions import trusted_session

TIME_SERVER = str(Path(sys.executable).with_name("mcp-server-time"))


def session_for(
    workspace: Path, env: dict[str, str], servers: dict[str, Any], **extra: Any
) -> claw.SessionContext:
    return trusted_session(workspace, env, servers, session_id="s1", extra=extra)


def ctx_for(session: claw.SessionContext) -> claw.ToolContext:
    return claw.ToolContext(
        workspace=session.workspace, session_id=session.session_id, env=session.env, session=session
    )


def tools_of(session: claw.SessionContext) -> dict[str, claw.Tool]:
    return {t.name: t for t in session.session_tools}


def status_of(session: claw.SessionContext, name: str) -> dict[str, Any]:
    return next(s for s in session.statuses if s["name"] == name)


def test_time_server_tools_call_and_shutdown(workspace: Path, claw_env: dict[str, str]) -> None:
    session = session_for(
        workspace, claw_env, {"time": {"command": TIME_SERVER, "args": ["--local-timezone", "UTC"]}}
    )

    async def scenario() -> claw.ToolResult:
        await plugin.claw_session_start(session)
        try:
            tools = tools_of(session)
            assert {"mcp__time__get_current_time", "mcp__time__convert_time"} <= set(tools)
            tool = tools["mcp__time__get_current_time"]
            assert tool.spec.read_only is True  # readOnlyHint from the server
            assert tool.access({"timezone": "UTC"}, ctx_for(session)) == []
            assert "timezone" in tool.spec.input_schema["properties"]
            result = await tool.run({"timezone": "Europe/Paris"}, ctx_for(session))
            bad = await tool.run({"timezone": "Not/AZone"}, ctx_for(session))
            assert bad.is_error and "Not/AZone" in str(bad.content)
            return result
        finally:
            await plugin.claw_session_end(session)

    result = asyncio.run(scenario())
    assert not result.is_error
    answer = json.loads(result.content)  # the real server's answer
    assert answer["timezone"] == "Europe/Paris"
    assert answer["datetime"].startswith(time.strftime("%Y-"))
    assert result.data["structuredContent"]["timezone"] == "Europe/Paris"
    status = status_of(session, "time")
    assert status["status"] == "connected"
    assert status["serverInfo"]["name"] == "mcp-time"
    assert Path(status["log"]) == Path(claw_env["CLAW_STATE_DIR"]) / "mcp-logs" / "time.log"
    assert Path(status["log"]).exists()


def test_failing_servers_do_not_block_the_others(
    workspace: Path, claw_env: dict[str, str], tmp_path: Path
) -> None:
    hang = tmp_path / "hang.py"
    hang.write_text("import sys\nsys.stdin.read()\n")  # never answers; exits when stdin closes
    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nsys.stderr.write('boom: missing API key\\n')\nsys.exit(3)\n")
    env = {**claw_env, "MCP_TIMEOUT": "2000"}
    healthy = WebSocketServer().start()  # answers at once, whatever the machine's load
    session = session_for(
        workspace,
        env,
        {
            "sock": {"type": "ws", "url": healthy.url},
            "hang": {"command": sys.executable, "args": [str(hang)]},
            "crash": {"command": sys.executable, "args": [str(crash)]},
            "missing": {"command": "no-such-mcp-server-binary"},
            "broken": {"command": 42},
        },
    )

    async def scenario() -> float:
        start = time.perf_counter()
        await plugin.claw_session_start(session)
        elapsed = time.perf_counter() - start
        await plugin.claw_session_end(session)
        return elapsed

    try:
        elapsed = asyncio.run(scenario())
    finally:
        healthy.stop()
    assert elapsed < 5  # bounded by MCP_TIMEOUT, not by the hanging server
    assert status_of(session, "sock")["status"] == "connected"
    assert "mcp__sock__echo" in tools_of(session)
    hang_status = status_of(session, "hang")
    assert hang_status["status"] == "failed" and "timed out after 2000 ms" in hang_status["error"]
    crash_status = status_of(session, "crash")
    assert crash_status["status"] == "failed" and "crash.log" in crash_status["error"]
    assert "boom: missing API key" in Path(crash_status["log"]).read_text()
    assert status_of(session, "missing")["error"] == "command not found: no-such-mcp-server-binary"
    broken = status_of(session, "broken")
    assert broken["status"] == "failed" and broken["source"].endswith(".mcp.json")


def test_bad_entry_is_one_error_line_naming_file_and_server(
    workspace: Path, claw_env: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    session = session_for(workspace, claw_env, {"time": {"command": TIME_SERVER}, "oops": {"type": "http"}})

    async def scenario() -> None:
        await plugin.claw_session_start(session)
        await plugin.claw_session_end(session)

    asyncio.run(scenario())
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if "oops" in line]
    assert lines == [
        f'claw: error: {workspace / ".mcp.json"}: mcpServers.oops: "url" is required for a http server'
    ]
    assert status_of(session, "time")["status"] == "connected"


def test_killed_server_reconnects_and_the_call_is_retried(
    workspace: Path, claw_env: dict[str, str], tmp_path: Path
) -> None:
    command = write_pid_server(tmp_path)
    session = session_for(workspace, claw_env, {"pid": {"command": command[0], "args": command[1:]}})

    async def scenario() -> tuple[int, int, int]:
        await plugin.claw_session_start(session)
        try:
            tool = tools_of(session)["mcp__pid__pid"]
            first = int((await tool.run({}, ctx_for(session))).content)
            os.kill(first, signal.SIGKILL)
            await asyncio.sleep(0.2)
            result = await tool.run({}, ctx_for(session))  # hits the dead connection, reconnects, retries
            assert not result.is_error, result.content
            second = int(result.content)
            third = int((await tool.run({}, ctx_for(session))).content)
            return first, second, third
        finally:
            await plugin.claw_session_end(session)

    first, second, third = asyncio.run(scenario())
    assert second != first and third == second
    assert not process_alive(second)  # shut down with the session: no orphan
    assert status_of(session, "pid")["status"] == "connected"


def test_session_end_does_not_wait_for_a_server_still_connecting(
    workspace: Path, claw_env: dict[str, str], tmp_path: Path
) -> None:
    """A server that never answers the handshake is cancelled at shutdown, not waited for until
    MCP_TIMEOUT; its process is stopped too."""
    from claw_mcp.config import check_entry
    from claw_mcp.manager import McpManager
    from claw_mcp.session import builtin_transports

    hang = tmp_path / "hang.py"
    hang.write_text("import os, sys\nprint(os.getpid(), file=sys.stderr, flush=True)\nsys.stdin.read()\n")
    config = check_entry("hang", {"command": sys.executable, "args": [str(hang)]}, "f", "cli", claw_env)
    manager = McpManager(
        {"hang": config}, transports=builtin_transports(), workspace=workspace, env=claw_env, timeout=60
    )

    async def scenario() -> float:
        starting = asyncio.create_task(manager.start())
        log = Path(manager.servers["hang"].log or "")
        while not (log.exists() and log.read_text().strip()):
            await asyncio.sleep(0.05)
        begin = time.perf_counter()
        await manager.stop()
        elapsed = time.perf_counter() - begin
        starting.cancel()
        return elapsed

    elapsed = asyncio.run(scenario())
    assert elapsed < 6
    pid = int(Path(manager.servers["hang"].log or "").read_text().split()[-1])
    assert not process_alive(pid)


def test_call_cut_off_by_a_dropped_connection_is_not_repeated(
    workspace: Path, claw_env: dict[str, str], tmp_path: Path
) -> None:
    """The server dies while running a tool not annotated read-only or idempotent: it may have done
    its work, so claw returns an error saying so instead of running it again; the server is
    reconnected for the next call."""
    command = write_pid_server(tmp_path)
    session = session_for(workspace, claw_env, {"pid": {"command": command[0], "args": command[1:]}})
    marks = tmp_path / "marks.txt"

    async def scenario() -> tuple[claw.ToolResult, claw.ToolResult]:
        await plugin.claw_session_start(session)
        try:
            tools = tools_of(session)
            pid = int((await tools["mcp__pid__pid"].run({}, ctx_for(session))).content)
            call = asyncio.ensure_future(
                tools["mcp__pid__record"].run({"path": str(marks), "seconds": 30}, ctx_for(session))
            )
            deadline = time.monotonic() + 10
            while not marks.exists() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            os.kill(pid, signal.SIGKILL)
            cut = await asyncio.wait_for(call, 20)
            after = await tools["mcp__pid__pid"].run({}, ctx_for(session))
            return cut, after
        finally:
            await plugin.claw_session_end(session)

    cut, after = asyncio.run(scenario())
    assert cut.is_error and "may or may not have taken effect" in str(cut.content), cut.content
    assert len(marks.read_text().splitlines()) == 1  # run once, not replayed
    assert not after.is_error and after.content.isdigit()
