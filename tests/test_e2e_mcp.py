"""End to end: ``claw -p`` with MCP servers configured.

The model (the Anthropic provider against the loopback mock Messages API, or the in-process scripted
provider where the wire is not under test) calls a real server's tool (mcp-server-time over stdio)
and gets its real answer back; rules on MCP tool names are honoured; ``system/init`` lists the server
statuses.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from claw.testing import process_alive, processes_gone
from claw.testing.script import Fault, Reply, Text, ToolCall
from transcripts import all_tool_results

TIME_SERVER = str(Path(sys.executable).with_name("mcp-server-time"))
#: A call the time server would answer with a "+9.0h" difference, were it let through.
CONVERT = ToolCall(
    "mcp__time__convert_time",
    {"source_timezone": "UTC", "time": "12:00", "target_timezone": "Asia/Tokyo"},
    id="toolu_c",
)


def mcp_json(workspace: Path, servers: dict) -> None:
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")


def test_model_calls_an_mcp_tool_and_gets_the_real_answer(claw, anthropic_server, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    claw.env.update(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_BASE_URL=anthropic_server.url)
    mcp_json(workspace, {"time": {"command": TIME_SERVER, "args": ["--local-timezone", "UTC"]}})
    anthropic_server.script(
        Reply(ToolCall("mcp__time__get_current_time", {"timezone": "Asia/Tokyo"}, id="toolu_t")),
        Reply(Text("It is late in Tokyo.")),
    )
    res = claw(
        "-p",
        "what time is it in Tokyo?",
        "--model",
        "anthropic/claude-sonnet-4-6",
        "--output-format",
        "stream-json",
        "--verbose",
    )
    res.assert_success()
    lines = res.json_lines()
    init = lines[0]
    assert init["subtype"] == "init"
    assert {"name": "time", "status": "connected"}.items() <= init["mcp_servers"][0].items()
    assert "mcp__time__get_current_time" in init["tools"]
    first, second = (r.json for r in anthropic_server.requests)
    offered = {t["name"]: t for t in first["tools"]}
    assert "timezone" in json.dumps(offered["mcp__time__get_current_time"]["input_schema"])
    result = next(r for r in all_tool_results([second]) if r["tool_use_id"] == "toolu_t")
    assert not result.get("is_error")
    content = result["content"]
    answer = json.loads(content if isinstance(content, str) else content[0]["text"])
    assert answer["timezone"] == "Asia/Tokyo" and answer["datetime"].endswith("+09:00")
    assert lines[-1]["type"] == "result" and lines[-1]["result"] == "It is late in Tokyo."


def test_disallowed_mcp_tool_is_hidden_and_cannot_run(claw, scripted_default, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    mcp_json(workspace, {"time": {"command": TIME_SERVER}})
    scripted_default.script(
        Reply(CONVERT),
        Reply(Text("ok")),
    )
    res = claw("-p", "convert", "--disallowed-tools", "mcp__time__convert_time", "--output-format", "json")
    res.assert_success()
    offered = {t["name"] for t in scripted_default.requests[0]["tools"]}
    assert "mcp__time__get_current_time" in offered and "mcp__time__convert_time" not in offered
    result = next(r for r in all_tool_results(scripted_default.requests) if r["tool_use_id"] == "toolu_c")
    assert result.get("is_error")
    assert "+9.0h" not in json.dumps(result)  # the server never ran the conversion
    assert res.json()["result"] == "ok"


def test_permission_rules_on_mcp_tools_are_honoured(claw, scripted_default, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """Settings rules name MCP tools like any other: a ``deny`` on a tool removes it from the model's
    list (Claude Code's behaviour for a bare name), an ``ask`` with nobody to ask (``-p``) denies
    the call; neither reaches the server."""
    mcp_json(workspace, {"time": {"command": TIME_SERVER}})
    (workspace / ".claw").mkdir()
    rules = {"deny": ["mcp__time__convert_time"], "ask": ["mcp__time__get_current_time"]}
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"permissions": rules}))
    scripted_default.script(
        Reply(CONVERT, ToolCall("mcp__time__get_current_time", {"timezone": "UTC"}, id="toolu_g")),
        Reply(Text("ok")),
    )
    res = claw("-p", "convert", "--output-format", "json").assert_success()
    offered = {t["name"] for t in scripted_default.requests[0]["tools"]}
    assert "mcp__time__convert_time" not in offered and "mcp__time__get_current_time" in offered
    results = {r["tool_use_id"]: r for r in all_tool_results(scripted_default.requests)}
    assert results["toolu_c"].get("is_error") and "+9.0h" not in json.dumps(results["toolu_c"])
    assert results["toolu_g"].get("is_error") and '"datetime"' not in json.dumps(results["toolu_g"])
    denials = res.json()["permission_denials"]
    assert [d["tool_name"] for d in denials] == ["mcp__time__get_current_time"]
    assert res.json()["result"] == "ok"


def test_failed_and_unauthorized_servers_are_reported_in_init(
    claw, scripted_default, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nsys.exit(1)\n")
    mcp_json(
        workspace,
        {"time": {"command": TIME_SERVER}, "crash": {"command": sys.executable, "args": [str(crash)]}},
    )
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"mcpServers": {"bad": {"type": "http"}}}))
    scripted_default.script(Reply(Text("done")))
    res = claw("-p", "hi", "--mcp-config", str(extra), "--output-format", "stream-json", "--verbose")
    res.assert_success()
    statuses = {s["name"]: s["status"] for s in res.json_lines()[0]["mcp_servers"]}
    assert statuses == {"time": "connected", "crash": "failed", "bad": "failed"}
    assert f'claw: error: {extra}: mcpServers.bad: "url" is required for a http server' in res.stderr
    assert 'MCP server "crash" failed to start' in res.stderr

    scripted_default.script(Reply(Text("strict")))
    res = claw(
        "-p",
        "hi",
        "--mcp-config",
        str(extra),
        "--strict-mcp-config",
        "--output-format",
        "stream-json",
        "--verbose",
    )
    assert {s["name"] for s in res.assert_success().json_lines()[0]["mcp_servers"]} == {"bad"}


PID_SERVER = textwrap.dedent(
    """
    import os
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("pid")

    @server.tool()
    def pid() -> str:
        return str(os.getpid())

    server.run()
    """
)


def test_ctrl_c_mid_turn_stops_every_mcp_server(
    claw, scripted_default, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "pid_server.py"
    script.write_text(PID_SERVER)
    mcp_json(
        workspace,
        {
            "a": {"command": sys.executable, "args": [str(script)]},
            "b": {"command": sys.executable, "args": [str(script)]},
        },
    )
    scripted_default.script(
        Reply(ToolCall("mcp__a__pid", {}, id="toolu_a"), ToolCall("mcp__b__pid", {}, id="toolu_b")),
        Fault(kind="stall", after_events=1, seconds=60, reply=Reply(Text("never finished"))),
    )
    proc = claw.popen("-p", "which pids?", "--permission-mode", "bypassPermissions", stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(scripted_default.requests) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
            time.sleep(0.05)
        results = {r["tool_use_id"]: r for r in all_tool_results(scripted_default.requests)}
        pids = [
            int(
                results[i]["content"]
                if isinstance(results[i]["content"], str)
                else results[i]["content"][0]["text"]
            )
            for i in ("toolu_a", "toolu_b")
        ]
        assert all(process_alive(p) for p in pids)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert processes_gone(pids, timeout=5), "MCP servers outlived Ctrl-C"


def test_mcp_config_takes_the_configs_that_follow_as_claude_code_does(
    claw, scripted_default, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Claude Code's ``--mcp-config <configs...>`` is variadic (``--mcp-config a.json b.json``); claw took
    one config and stopped with "unexpected argument(s) after the prompt". Files and inline JSON objects
    after the value are configs too; the prompt after them stays the prompt."""
    first = tmp_path / "a.json"
    first.write_text(json.dumps({"mcpServers": {"a": {"type": "http"}}}))
    inline = json.dumps({"mcpServers": {"b": {"type": "http"}}})
    scripted_default.script(Reply(Text("done")))
    res = claw(
        "--mcp-config", str(first), inline, "hi there", "-p", "--output-format", "stream-json", "--verbose"
    )
    lines = res.assert_success().json_lines()
    assert {s["name"] for s in lines[0]["mcp_servers"]} >= {"a", "b"}
    assert scripted_default.requests[0]["messages"][0]["content"][0]["text"] == "hi there"


def test_an_unreadable_mcp_config_ends_the_run_before_it_starts(
    claw, scripted_default, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """As in Claude Code, a ``--mcp-config`` that cannot be read is fatal: the user named those servers,
    so a run without them (or, with ``--strict-mcp-config``, without any) is not the run asked for."""
    scripted_default.script(Reply(Text("ran anyway")))
    missing = tmp_path / "missing.json"
    cases = {
        str(missing): f"--mcp-config: no such file: {missing}",
        "{bad": "--mcp-config:1:2: invalid JSON",
        '{"mcpServers": []}': "--mcp-config: mcpServers must be an object",
    }
    for value, message in cases.items():
        res = claw("-p", "hi", "--mcp-config", value, "--strict-mcp-config", "--output-format", "json")
        res.assert_failure(1, f"claw: error: {message}")
        assert res.stdout == "" and len(res.stderr.strip().splitlines()) == 1
    assert scripted_default.requests == []


#: A stdio MCP server whose one tool, ``slow``, never answers (it sleeps far past any test's patience).
SLOW_SERVER = """
import json, sys, time
for line in sys.stdin:
    m = json.loads(line)
    if "id" not in m or "method" not in m:
        continue
    if m["method"] == "tools/call":
        time.sleep(600)
    result = {
        "initialize": {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                       "serverInfo": {"name": "slow", "version": "1"}},
        "tools/list": {"tools": [{"name": "slow", "inputSchema": {"type": "object"}}]},
    }.get(m["method"], {})
    print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": result}), flush=True)
"""


def test_mcp_tool_timeout_ends_the_call_and_says_why(
    claw, scripted_default, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """``MCP_TOOL_TIMEOUT`` (milliseconds, Claude Code's variable) ends a call the server never answers;
    the model is told which server, which tool, and which setting, and the run goes on."""
    server = tmp_path / "slow.py"
    server.write_text(SLOW_SERVER)
    mcp_json(workspace, {"s": {"command": sys.executable, "args": [str(server)]}})
    scripted_default.script(Reply(ToolCall("mcp__s__slow", {}, id="toolu_s")), Reply(Text("gave up")))
    claw.env["MCP_TOOL_TIMEOUT"] = "700"
    started = time.monotonic()
    res = claw("-p", "go", "--allowed-tools", "mcp__s", "--output-format", "json").assert_success()
    assert time.monotonic() - started < 30
    result = next(r for r in all_tool_results(scripted_default.requests) if r["tool_use_id"] == "toolu_s")
    assert result["is_error"]
    assert result["content"] == 'MCP server "s" did not answer slow within 700 ms (MCP_TOOL_TIMEOUT)'
    assert res.json()["result"] == "gave up"


def test_a_server_that_hangs_at_initialize_is_stopped_when_mcp_timeout_runs_out(
    claw, scripted_default, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Start-up gives up on a server at ``MCP_TIMEOUT`` and stops its connection attempt then, so the end
    of a short run only waits out the server's shutdown: one warning, and no "did not finish
    claw_session_end" from a connection attempt still running on a deadline of its own (which began
    later, after the MCP SDK was imported: the run is a fresh process)."""
    hang = tmp_path / "hang.py"
    hang.write_text("import time\ntime.sleep(600)\n")
    mcp_json(workspace, {"hang": {"command": sys.executable, "args": [str(hang)]}})
    scripted_default.script(Reply(Text("done")))
    claw.env["MCP_TIMEOUT"] = "1000"
    res = claw.subprocess("-p", "hi", "--output-format", "json").assert_success()
    assert res.json()["result"] == "done"
    assert [line for line in res.stderr.splitlines() if line.startswith("claw: ")] == [
        'claw: warning: MCP server "hang" failed to start: timed out after 1000 ms (MCP_TIMEOUT)'
    ]


def test_a_limit_that_is_not_a_number_is_reported_once_and_the_default_used(
    claw, scripted_default, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    """``MCP_TIMEOUT=30s`` (seconds, or a typo) was silently ignored; it is now one warning each, once,
    and the run goes on with the default."""
    mcp_json(workspace, {"time": {"command": TIME_SERVER}})
    now = ToolCall("mcp__time__get_current_time", {"timezone": "UTC"}, id="toolu_n")
    scripted_default.script(Reply(now), Reply(now), Reply(Text("done")))
    claw.env.update(MCP_TIMEOUT="30s", MCP_TOOL_TIMEOUT="2 s", MAX_MCP_OUTPUT_TOKENS="lots")
    res = claw.subprocess("-p", "hi", "--output-format", "json").assert_success()
    assert res.json()["result"] == "done"
    warnings = sorted(line for line in res.stderr.splitlines() if line.startswith("claw: "))
    assert warnings == [
        "claw: warning: MAX_MCP_OUTPUT_TOKENS='lots' is not a whole number; ignored (as if unset)",
        "claw: warning: MCP_TIMEOUT='30s' is not a whole number; ignored (as if unset)",
        "claw: warning: MCP_TOOL_TIMEOUT='2 s' is not a whole number; ignored (as if unset)",
    ]
