"""The sandbox end to end (besides the escape corpus): ``claw -p`` with the scripted model and real
bwrap; background jobs, bad settings, permissions with ``autoAllowBashIfSandboxed``, status."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall

pytestmark = pytest.mark.usefixtures("bwrap")


@pytest.fixture
def configure(scripted, claw_env):  # type: ignore[no-untyped-def]
    """``configure(sandbox, **extra)``: user settings with the scripted model and ``sandbox``."""

    def write(sandbox: dict, **extra: object) -> None:
        cfg = Path(claw_env["CLAW_CONFIG_DIR"])
        cfg.mkdir(parents=True, exist_ok=True)
        (cfg / "settings.json").write_text(
            json.dumps({"model": "scripted/default", "sandbox": sandbox, **extra})
        )

    return write


def results(scripted) -> list[dict]:  # type: ignore[no-untyped-def]
    """The tool results the model was sent, in order (over every run of the test)."""
    last = [r["messages"][-1]["content"] for r in scripted.requests]
    return [b for content in last if isinstance(content, list) for b in content if b["type"] == "tool_result"]


def text(result: dict) -> str:
    return json.dumps(result["content"])


def bash(command: str, **extra: object) -> Reply:
    return Reply(ToolCall("Bash", {"command": command, **extra}))


def test_issue_scenario_python_write_outside_is_confined(claw, scripted, configure, workspace, tmp_path):
    """The issue's report: acceptEdits with ``Bash(python3 *)`` allowed wrote outside the workspace."""
    target = tmp_path / "out.txt"
    configure({"enabled": True}, permissions={"allow": ["Bash(python3 *)"]})
    scripted.script(
        bash(f"python3 -c \"open('{target}','w').write('x')\""),
        bash("python3 -c \"open('inside.txt','w').write('y')\""),
        Reply(Text("done")),
    )
    claw("-p", "go", "--permission-mode", "acceptEdits").assert_success()
    first, second = results(scripted)
    # /tmp (where the test's directories are) is the command's private temp dir: the write lands there.
    assert not target.exists() and not first.get("is_error")
    assert (workspace / "inside.txt").read_text() == "y" and not second.get("is_error")


def test_background_job_dies_with_the_session(claw, scripted, configure):
    nap = f"299.{uuid.uuid4().int % 10**6:06d}"
    configure({"enabled": True})
    started = (
        f"sleep {nap} & setsid nohup sleep {nap} > /dev/null 2>&1 & (sleep {nap} &); sleep 0.3; "
        "ps -eo args > ps.txt; wait"
    )
    scripted.script(bash(started, run_in_background=True), bash("sleep 1; cat ps.txt"), Reply(Text("done")))
    claw.subprocess("-p", "start a server").assert_success()
    seen = results(scripted)[1]["content"].splitlines()
    assert seen.count(f"sleep {nap}") == 3  # all three ran, in a PID namespace of their own
    time.sleep(0.3)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert f"sleep {nap}" not in ps


def test_unknown_filesystem_mode_is_a_one_line_error(claw, scripted, configure):
    configure({"enabled": True, "filesystem": {"mode": "strict"}})
    res = claw("-p", "hi")
    assert res.exit_code != 0
    [line] = [x for x in res.stderr.splitlines() if "sandbox.filesystem.mode" in x]
    assert "workspace-only" in line


def test_missing_allow_list_path_runs_nothing(claw, scripted, configure, workspace):
    configure({"enabled": True, "filesystem": {"mode": "allow-list", "allowWrite": ["no-such-dir"]}})
    scripted.script(bash("touch ran.txt"), Reply(Text("done")))
    claw("-p", "go").assert_success()
    [result] = results(scripted)
    assert result["is_error"] and "sandbox.filesystem.allowWrite: no-such-dir does not exist" in text(result)
    assert not (workspace / "ran.txt").exists()
    status = claw("sandbox", "status")
    assert status.exit_code == 1 and "allowWrite: no-such-dir does not exist" in status.stdout


def test_missing_engine_refuses_to_run_commands(claw, scripted, configure, workspace, tmp_path):
    configure({"enabled": True, "enginePath": str(tmp_path / "no-bwrap")})
    scripted.script(bash("touch ran.txt"), Reply(Text("done")))
    # Even where no approval is needed (bypassPermissions), nothing runs unconfined.
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    [result] = results(scripted)
    assert result["is_error"] and "sandbox.enginePath" in text(result) and "was not run" in text(result)
    assert not (workspace / "ran.txt").exists()
    status = claw("sandbox", "status")
    assert status.exit_code == 1 and "why: sandbox unavailable: settings sandbox.enginePath" in status.stdout


def test_namespaces_unavailable_names_the_cause_and_may_run_unconfined(
    claw, scripted, configure, workspace, tmp_path
):
    """A bwrap that cannot create namespaces (as where user namespaces are disabled)."""
    fake = tmp_path / "bwrap"
    fake.write_text(
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 'bubblewrap 0.8.0'; exit 0; }\n"
        "echo 'bwrap: No permissions to create new namespace' >&2; exit 1\n"
    )
    fake.chmod(0o755)
    configure({"enabled": True, "enginePath": str(fake), "failIfUnavailable": False})
    scripted.script(bash("touch ran.txt"), Reply(Text("done")))
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    [result] = results(scripted)
    assert "ran outside the sandbox: sandbox unavailable: namespaces do not work here" in text(result)
    assert "No permissions to create new namespace" in text(result)
    assert (workspace / "ran.txt").exists()
    doctor = claw("doctor")
    assert "commands run unconfined (sandbox.failIfUnavailable is false)" in doctor.stdout


def test_auto_allow_and_what_goes_through_the_prompt(claw, scripted, configure, workspace):
    """Confined calls need no approval in the default mode; excluded commands, calls asking to run
    unsandboxed and everything with ``autoAllowBashIfSandboxed: false`` go through the prompt (which
    ``-p`` cannot answer: denied)."""
    configure({"enabled": True, "excludedCommands": ["git"]})
    scripted.script(
        bash("touch confined.txt"),
        bash("git init -q"),
        bash("touch unsandboxed.txt", dangerouslyDisableSandbox=True),
        Reply(Text("done")),
    )
    claw("-p", "go").assert_success()
    confined, excluded, unsandboxed = results(scripted)
    assert not confined.get("is_error") and (workspace / "confined.txt").exists()
    assert excluded["is_error"] and not (workspace / ".git").exists()
    assert unsandboxed["is_error"] and not (workspace / "unsandboxed.txt").exists()
    configure({"enabled": True, "autoAllowBashIfSandboxed": False})
    scripted.script(bash("touch asked.txt"), Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert results(scripted)[-1]["is_error"] and not (workspace / "asked.txt").exists()


def test_excluded_command_once_approved_runs_unconfined_and_says_so(claw, scripted, configure, tmp_path):
    target = tmp_path / "host.txt"
    configure({"enabled": True, "excludedCommands": ["touch"]})
    scripted.script(bash(f"touch {target}"), Reply(Text("done")))
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    [result] = results(scripted)
    assert "ran outside the sandbox" in text(result) and "excludedCommands" in text(result), result
    assert target.exists()


def test_status_init_event_and_session_file(claw, scripted, configure, workspace):
    configure({"enabled": True, "network": {"allowedDomains": ["example.com"]}})
    status = claw("sandbox", "status", "--json").assert_success().json()
    assert status["available"] and status["enabled"] and status["engine"] == "bwrap"
    assert status["network"] == "allow-list" and "pid" in status["namespaces"]
    assert status["container"] in (None, "docker", "podman", "kubernetes", "containerd", "lxc")
    scripted.script(Reply(Text("hi")))
    events = claw("-p", "hi", "--output-format", "stream-json", "--verbose").assert_success().json_lines()
    init = next(e for e in events if e.get("subtype") == "init")
    assert init["sandbox"]["enabled"] and init["sandbox"]["filesystem"] == "workspace-only"
    session = next(Path(init["cwd"]).parent.rglob(f"{init['session_id']}.jsonl"), None)
    if session is None:
        from claw import _paths as paths

        session = paths.sessions_dir(workspace, claw.env) / f"{init['session_id']}.jsonl"
    recorded = [json.loads(x) for x in session.read_text().splitlines() if '"sandbox"' in x]
    assert recorded and recorded[0]["type"] == "sandbox" and recorded[0]["available"]


def test_doctor_line(claw, configure):
    configure({"enabled": True})
    doctor = claw("doctor").stdout
    assert "bubblewrap: enabled: bwrap" in doctor and "namespaces user/mount/pid/uts/ipc/net" in doctor


def test_hook_opting_in_runs_inside_the_sandbox(claw, scripted, configure, workspace, tmp_path):
    """A command hook with ``"sandbox": true`` runs confined; one without runs as before."""
    script = 'hostname > "$CLAUDE_PROJECT_DIR/{name}-host.txt"; echo x > {out}; exit 0'
    hooks = [
        {"type": "command", "command": script.format(name=name, out=tmp_path / f"{name}-out.txt"), **extra}
        for name, extra in (("confined", {"sandbox": True}), ("plain", {}))
    ]
    configure({"enabled": True}, hooks={"PreToolUse": [{"matcher": "Bash", "hooks": hooks}]})
    scripted.script(bash("true"), Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert (workspace / "confined-host.txt").read_text().strip() == "claw-sandbox"
    assert not (tmp_path / "confined-out.txt").exists() and (tmp_path / "plain-out.txt").exists()
    assert (workspace / "plain-host.txt").read_text().strip() != "claw-sandbox"


def test_hook_asking_for_a_sandbox_that_cannot_run_is_not_run(claw, scripted, configure, workspace, tmp_path):
    hook = {"type": "command", "command": 'touch "$CLAUDE_PROJECT_DIR/hook-ran"', "sandbox": True}
    configure(
        {"enabled": True, "enginePath": str(tmp_path / "no-bwrap")},
        hooks={"PreToolUse": [{"matcher": "Bash", "hooks": [hook]}]},
    )
    scripted.script(bash("true"), Reply(Text("done")))
    res = claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    assert not (workspace / "hook-ran").exists()
    assert "sandbox.enginePath" in res.stderr


PROBE_SERVER = """
import socket, sys
from mcp.server.mcpserver import MCPServer

app = MCPServer("probe")


@app.tool()
def probe() -> str:
    try:
        with open(sys.argv[1], "w") as out:
            out.write("x")
    except OSError as exc:
        return socket.gethostname() + " " + type(exc).__name__
    return socket.gethostname() + " wrote"


app.run()
"""


def test_stdio_mcp_server_opting_in_runs_inside_the_sandbox(claw, scripted, configure, workspace, tmp_path):
    server = workspace / "probe_server.py"  # /tmp outside the workspace is private inside the sandbox
    server.write_text(PROBE_SERVER)
    target = tmp_path / "mcp-out.txt"
    servers = {"probe": {"command": sys.executable, "args": [str(server), str(target)], "sandbox": True}}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    configure({"enabled": True}, enableAllProjectMcpServers=True)
    scripted.script(Reply(ToolCall("mcp__probe__probe", {})), Reply(Text("done")))
    args = (
        "-p",
        "go",
        "--permission-mode",
        "bypassPermissions",
        "--output-format",
        "stream-json",
        "--verbose",
    )
    events = claw(*args).assert_success().json_lines()
    init = next(e for e in events if e.get("subtype") == "init")
    assert [s["status"] for s in init["mcp_servers"]] == ["connected"], init["mcp_servers"]
    [result] = results(scripted)
    assert "claw-sandbox" in text(result) and not target.exists()


def test_stdio_mcp_server_asking_for_a_missing_sandbox_is_not_started(
    claw, scripted, configure, workspace, tmp_path
):
    servers = {"probe": {"command": sys.executable, "args": ["-c", "pass"], "sandbox": True}}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    configure({"enabled": True, "enginePath": str(tmp_path / "no-bwrap")}, enableAllProjectMcpServers=True)
    scripted.script(Reply(Text("hi")))
    events = claw("-p", "hi", "--output-format", "stream-json", "--verbose").assert_success().json_lines()
    init = next(e for e in events if e.get("subtype") == "init")
    [probe] = init["mcp_servers"]
    assert probe["status"] == "failed" and "sandbox.enginePath" in json.dumps(probe)
