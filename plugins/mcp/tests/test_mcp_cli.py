"""``claw mcp ...`` and ``claw doctor`` through the real CLI, and the entry point's import cost."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from claw.testing import assert_import_light
from mcp_sessions import trusted_session

TIME_SERVER = str(Path(sys.executable).with_name("mcp-server-time"))


pytestmark = pytest.mark.usefixtures("trusted_workspace")


def test_entry_point_module_stays_light() -> None:
    banned = {"mcp", "mcp_types", "websockets", "httpx2", "anyio", "pydantic"}
    assert_import_light("claw_mcp.plugin", banned=banned, only_itself=True)


def test_add_list_get_remove(claw, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    claw("mcp", "add", "time", "--", TIME_SERVER, "--local-timezone", "UTC").assert_success()
    local = json.loads((workspace / ".claw" / "settings.local.json").read_text())
    assert local["mcpServers"]["time"] == {
        "type": "stdio",
        "command": TIME_SERVER,
        "args": ["--local-timezone", "UTC"],
    }

    claw(
        "mcp",
        "add",
        "--transport",
        "http",
        "--scope",
        "project",
        "-H",
        "Authorization: Bearer ${API_TOKEN}",
        "api",
        "http://127.0.0.1:9/mcp",
    ).assert_success()
    project = json.loads((workspace / ".mcp.json").read_text())
    assert project["mcpServers"]["api"] == {
        "type": "http",
        "url": "http://127.0.0.1:9/mcp",
        "headers": {"Authorization": "Bearer ${API_TOKEN}"},
    }
    claw("mcp", "add", "-s", "user", "-e", "TZ=UTC", "clock", "--", TIME_SERVER).assert_success()
    user = json.loads((Path(claw.env["CLAW_CONFIG_DIR"]) / "settings.json").read_text())
    assert user["mcpServers"]["clock"]["env"] == {"TZ": "UTC"}

    claw("mcp", "add", "time", "--", "other").assert_failure(2, "already exists in local config")
    claw("mcp", "add-json", "sock", '{"type": "ws", "url": "ws://127.0.0.1:9/mcp"}').assert_success()
    assert (
        json.loads((workspace / ".claw" / "settings.local.json").read_text())["mcpServers"]["sock"]["type"]
        == "ws"
    )
    claw("mcp", "add-json", "nourl", '{"type": "sse"}').assert_failure(
        2, 'mcpServers.nourl: "url" is required'
    )
    claw("mcp", "add-json", "x", "{nope").assert_failure(2, "add-json: invalid JSON")
    claw("mcp", "add-json", "odd", '{"type": "carrier-pigeon", "url": "x"}').assert_failure(
        2,
        'claw: error: unknown transport type "carrier-pigeon" (known: http, sse, stdio, streamable-http, ws)',
    )
    assert "odd" not in json.loads((workspace / ".claw" / "settings.local.json").read_text())["mcpServers"]
    claw("mcp", "remove", "sock").assert_success()

    # "api" is invalid: everything is listed, and the exit status says something failed.
    result = claw("mcp", "list").assert_failure(1, "claw: error: 1 of 3 MCP servers failed: api")
    lines = {line.split(":")[0]: line for line in result.stdout.splitlines() if not line.startswith(" ")}
    assert lines["time"].endswith("✓ Connected")
    assert lines["clock"].endswith("✓ Connected")
    assert lines["api"].endswith(
        "✗ invalid in " + str(workspace / ".mcp.json") + ": environment variable(s) not set: API_TOKEN"
    )
    listed = {s["name"]: s for s in claw("mcp", "list", "--json").assert_failure(1).json()}
    assert listed["time"]["status"] == "connected" and listed["time"]["tools"] == 2
    assert listed["api"]["status"] == "failed"

    got = claw("mcp", "get", "time", "--json").assert_success().json()
    assert (
        got["scope"] == "local"
        and got["status"] == "connected"
        and got["args"] == ["--local-timezone", "UTC"]
    )
    assert got["log"].endswith("mcp-logs/time.log")
    claw("mcp", "get", "nope").assert_failure(2, 'no MCP server named "nope"')

    claw("mcp", "remove", "time").assert_success()
    assert "time" not in json.loads((workspace / ".claw" / "settings.local.json").read_text())["mcpServers"]
    claw("mcp", "remove", "time").assert_failure(2, 'no MCP server named "time"')
    claw("mcp", "remove", "api", "--scope", "user").assert_failure(2, "in user config")
    claw("mcp", "remove", "api", "--scope", "project").assert_success()


def test_list_reports_bad_entries_and_log_files(claw, workspace: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nsys.stderr.write('crashed on purpose\\n')\nsys.exit(1)\n")
    (workspace / ".mcp.json").write_text(
        json.dumps(
            {
                "mcpServers": {
                    "crash": {"command": sys.executable, "args": [str(crash)]},
                    "bad": {"type": "sse"},
                }
            }
        )
    )
    out = claw("mcp", "list").assert_failure(1, "2 of 2 MCP servers failed: crash, bad").stdout
    assert f'bad: ✗ invalid in {workspace / ".mcp.json"}: "url" is required for a sse server' in out
    log_line = next(line for line in out.splitlines() if line.strip().startswith("log:"))
    log = Path(log_line.split("log:", 1)[1].strip())
    assert "crashed on purpose" in log.read_text()
    # The reason quotes what the server last said on stderr in this attempt, not an older run's lines.
    said = f"crash: {sys.executable} {crash} - ✗ Failed: the server exited during start-up"
    assert f"{said}: crashed on purpose (see {log})" in out.splitlines()
    crash.write_text("import sys\nsys.exit(1)\n")
    assert f"{said} (see {log})" in claw("mcp", "list").assert_failure(1).stdout.splitlines()


def test_doctor_shows_each_server(claw, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    (workspace / ".mcp.json").write_text(
        json.dumps(
            {"mcpServers": {"time": {"command": TIME_SERVER}, "gone": {"command": "no-such-binary-xyz"}}}
        )
    )
    result = claw("doctor", "--json")
    checks = {c["name"]: c for c in result.json() if c["section"] == "mcp"}
    assert checks["time"]["status"] == "ok" and "Connected" in checks["time"]["detail"]
    assert checks["gone"]["status"] == "fail" and "command not found" in checks["gone"]["detail"]
    assert result.exit_code == 1


def test_doctor_reads_the_work_dir_s_servers_from_anywhere(claw, workspace: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``claw --work-dir DIR doctor`` checks DIR's ``.mcp.json``, not the current directory's (it once
    looked where a project settings file was, else in the current directory)."""
    (workspace / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"gone": {"command": "no-such-binary-xyz"}}})
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = claw("--work-dir", workspace, "doctor", "--json", cwd=elsewhere)
    checks = {c["name"]: c for c in result.json() if c["section"] == "mcp"}
    assert checks["gone"]["status"] == "fail" and "command not found" in checks["gone"]["detail"]
    assert result.exit_code == 1


def test_logout_forgets_tokens(claw, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    from claw_mcp.oauth import TokenFile

    (workspace / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"api": {"type": "http", "url": "http://127.0.0.1:9/mcp"}}})
    )
    store = TokenFile("api", "http://127.0.0.1:9/mcp", claw.env)
    store.update(tokens={"access_token": "a", "token_type": "Bearer"})
    claw("mcp", "logout", "api").assert_success()
    assert not store.path.exists()
    assert "No stored credentials" in claw("mcp", "logout", "api").assert_success().stdout
    claw("mcp", "login", "nope").assert_failure(2, 'no MCP server named "nope"')


def test_list_exits_1_when_one_server_fails_and_still_lists_all(
    claw, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nsys.exit(3)\n")
    servers = {"time": {"command": TIME_SERVER}, "crash": {"command": sys.executable, "args": [str(crash)]}}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    out = claw("mcp", "list").assert_failure(1, "claw: error: 1 of 2 MCP servers failed: crash").stdout
    assert any(line.startswith("time: ") and line.endswith("✓ Connected") for line in out.splitlines())
    assert any(line.startswith("crash: ") and "✗ Failed" in line for line in out.splitlines())
    listed = claw("mcp", "list", "--json").assert_failure(1).json()
    assert {s["name"]: s["status"] for s in listed} == {"time": "connected", "crash": "failed"}
    del servers["crash"]
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    claw("mcp", "list").assert_success()


def test_add_takes_options_after_the_name_as_claude_code_documents(claw, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """``claude mcp add --transport http NAME URL --header '...'`` (Claude Code's documented form) and
    ``add NAME -e K=V -- CMD ...``: options go anywhere before ``--``; after it they are the command's."""
    claw(
        "mcp",
        "add",
        "--transport",
        "http",
        "secure",
        "http://127.0.0.1:9/mcp",
        "--header",
        "Authorization: Bearer t",
    ).assert_success()
    claw("mcp", "add", "clock", "-e", "TZ=UTC", "--", TIME_SERVER, "-e", "x", "--", "y").assert_success()
    claw("mcp", "add", "npx", "npx", "-y", "pkg", "--flag").assert_success()
    servers = json.loads((workspace / ".claw" / "settings.local.json").read_text())["mcpServers"]
    assert servers["secure"]["headers"] == {"Authorization": "Bearer t"}
    assert servers["clock"] == {
        "type": "stdio",
        "command": TIME_SERVER,
        "args": ["-e", "x", "--", "y"],
        "env": {"TZ": "UTC"},
    }
    assert servers["npx"]["args"] == ["-y", "pkg", "--flag"]


def test_a_rejected_server_is_listed_as_rejected_not_missing(claw, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """``claw mcp reject`` keeps a ``.mcp.json`` server from starting; ``list`` and ``get`` still say it is
    there and how to start it, instead of "no MCP server named ..."."""
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": {"db": {"command": TIME_SERVER}}}))
    claw("mcp", "reject", "db").assert_success()
    hint = "rejected (disabledMcpjsonServers); not started: `claw mcp approve db` to start it"
    assert claw("mcp", "list").assert_success().stdout.splitlines() == [f"db: {hint}"]
    claw("mcp", "get", "db").assert_failure(1, f'claw: error: MCP server "db" from .mcp.json is {hint}')
    claw("mcp", "approve", "db").assert_success()
    assert "✓ Connected" in claw("mcp", "get", "db").assert_success().stdout


def test_help_lists_the_mcp_run_options(claw) -> None:  # type: ignore[no-untyped-def]
    # claw-mcp adds them (claw_register_run_options); the kernel knows nothing of MCP.
    out = claw("--help").assert_success().stdout
    assert "--mcp-config CONFIGS..." in out and "Extra MCP servers: JSON files or inline JSON" in out
    assert "--strict-mcp-config" in out and "Use only the servers from --mcp-config." in out


def test_mcp_timeout_asks_for_a_session_start_wait_unless_the_user_set_one(tmp_path: Path) -> None:
    from claw_mcp.session import ask_start_timeout

    def started(env: dict[str, str], start_timeout: float | None = None) -> float:
        session = trusted_session(tmp_path, env, start_timeout=start_timeout)
        ask_start_timeout(session)
        return session.start_timeout

    assert started({}) == 30.0
    assert started({"MCP_TIMEOUT": "5000"}) == 6.0
    # never below 5 s: the host waits as long at session end, where a stdio server may take the MCP SDK's
    # 2 s grace to stop (a 1.2 s wait warned "did not finish claw_session_end" after a short run)
    assert started({"MCP_TIMEOUT": "200"}) == 5.0
    assert started({"MCP_TIMEOUT": "5000"}, start_timeout=12.0) == 12.0
