"""Bash, BashOutput and KillShell as real processes: exit codes, output caps, timeouts that kill the
whole process group, cancellation, background jobs, persistent cwd, and workspace confinement."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import claw
import pytest
from claw.testing import call_tool as call
from claw.testing import wait_for
from claw_tools_shell._bash import BashOutputTool, BashTool, KillShellTool
from claw_tools_shell._process import JOBS, text_of


@pytest.fixture
def ctx(workspace: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="shell-test", env=dict(os.environ))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0): look at its state
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_output_interleaved_and_exit_code(ctx):
    ok = call(BashTool(), ctx, command="echo out; echo err >&2; echo out2")
    assert not ok.is_error and ok.content == "out\nerr\nout2" and ok.data["exit_code"] == 0
    bad = call(BashTool(), ctx, command="echo nope; exit 3")
    assert bad.is_error and bad.content == "nope\nExit code 3" and bad.data["exit_code"] == 3
    assert call(BashTool(), ctx, command="true").content == "(no output)"


def test_settings_env_and_claw_variables(ctx, workspace):
    configured = ctx.model_copy(update={"settings": {"env": {"GREETING": "hi there"}}})
    result = call(
        BashTool(), configured, command='echo "$GREETING|$CLAW_PROJECT_DIR|$CLAW_SESSION_ID|$GIT_EDITOR"'
    )
    assert result.content == f"hi there|{workspace}|shell-test|true"


def test_runs_in_workspace_and_cwd_persists(ctx, workspace):
    (workspace / "sub").mkdir()
    assert call(BashTool(), ctx, command="pwd").content == str(workspace.resolve())
    call(BashTool(), ctx, command="cd sub")
    assert call(BashTool(), ctx, command="pwd").content == str((workspace / "sub").resolve())
    # leaving the workspace (allowed in prompt mode) resets the next command to the workspace
    left = call(BashTool(), ctx, command="cd /")
    assert "outside the workspace" in left.content
    assert call(BashTool(), ctx, command="pwd").content == str(workspace.resolve())


def test_output_cap_keeps_start_and_end(ctx):
    result = call(BashTool(), ctx, command="seq 1 200000")
    assert len(result.content) < 31_000
    assert result.content.startswith("1\n2\n3\n") and result.content.endswith("199999\n200000")
    assert "output truncated" in result.content


def test_timeout_kills_process_group(ctx, workspace):
    pidfile = workspace / "child.pid"
    start = time.monotonic()
    result = call(
        BashTool(),
        ctx,
        command=f"(sleep 60 & echo $! > {pidfile}; wait) & echo started; sleep 60",
        timeout=500,
    )
    assert time.monotonic() - start < 10
    assert result.is_error and "timed out after 0.5 s" in result.content and "started" in result.content
    child = int(pidfile.read_text())
    wait_for(lambda: not alive(child), "the grandchild to end with the timeout")


def test_shell_exit_kills_leftover_children(ctx, workspace):
    pidfile = workspace / "bg.pid"
    start = time.monotonic()
    result = call(BashTool(), ctx, command=f"sleep 60 & echo $! > {pidfile}; echo done")
    assert result.content == "done" and time.monotonic() - start < 5
    wait_for(lambda: not alive(int(pidfile.read_text())), "the process to end")


def test_cancel_kills(ctx, workspace):
    async def scenario() -> claw.ToolResult:
        task = asyncio.create_task(BashTool().run({"command": "echo begin; sleep 60"}, ctx))
        await asyncio.sleep(0.3)
        ctx.cancelled.set()
        return await asyncio.wait_for(task, 10)

    result = asyncio.run(scenario())
    assert result.is_error and "interrupted" in result.content and "begin" in result.content


def test_task_cancellation_kills_the_group(ctx, workspace):
    """The loop cancels the running tool's task on Ctrl-C: the command and its children must die."""
    pidfile = workspace / "pids"

    async def scenario() -> None:
        task = asyncio.create_task(
            BashTool().run({"command": f"sleep 60 & echo $! > {pidfile}; echo $$ >> {pidfile}; wait"}, ctx)
        )
        await asyncio.to_thread(
            wait_for, lambda: pidfile.exists() and len(pidfile.read_text().split()) == 2, "both pids"
        )
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    for pid in map(int, pidfile.read_text().split()):
        wait_for(lambda pid=pid: not alive(pid), f"process {pid} to end with the cancellation")


def test_timeout_validation(ctx):
    assert "at most 600000" in call(BashTool(), ctx, command="true", timeout=700_000).content
    assert call(BashTool(), ctx, command="true", timeout=-1).is_error
    assert call(BashTool(), ctx, command="  ").is_error


def test_background_job_output_and_kill(ctx):
    started = call(BashTool(), ctx, command="echo one; sleep 0.3; echo two; sleep 60", run_in_background=True)
    assert not started.is_error
    job_id = started.data["backgroundTaskId"]
    wait_for(lambda: "two" in text_of(JOBS.get(ctx.session_id, job_id).process.output)[0], "the second line")
    first = call(BashOutputTool(), ctx, bash_id=job_id)
    assert first.content == f"[{job_id}: running]\none\ntwo"
    again = call(BashOutputTool(), ctx, bash_id=job_id)
    assert "(no new output)" in again.content
    killed = call(KillShellTool(), ctx, shell_id=job_id)
    assert killed.content == f"Killed job {job_id}."
    assert not alive(started.data["pid"])
    assert "killed" in call(BashOutputTool(), ctx, bash_id=job_id).content
    other = ctx.model_copy(update={"session_id": "another-session"})
    assert "no background job" in call(BashOutputTool(), other, bash_id=job_id).content


def test_background_job_filter_and_exit(ctx):
    started = call(BashTool(), ctx, command="printf 'a1\\nb2\\na3\\n'; exit 4", run_in_background=True)
    job = JOBS.get(ctx.session_id, started.data["backgroundTaskId"])
    wait_for(lambda: job.process.popen.poll() is not None, "the job to exit")
    result = call(BashOutputTool(), ctx, bash_id=job.id, filter="^a")
    assert result.content == f"[{job.id}: exited with code 4]\na1\na3"
    assert "already finished" in call(KillShellTool(), ctx, shell_id=job.id).content


def test_session_end_stops_jobs(ctx):
    from claw_tools_shell import plugin

    started = call(BashTool(), ctx, command="sleep 60", run_in_background=True)
    session = claw.SessionContext(session_id=ctx.session_id, workspace=ctx.workspace, settings={}, env={})
    plugin.claw_session_end(session)
    wait_for(lambda: not alive(started.data["pid"]), "the background process to end")
    assert JOBS.of_session(ctx.session_id) == []


@pytest.mark.parametrize("mode", ["workspace-write", "acceptEdits", "read-only", "plan"])
@pytest.mark.parametrize(
    "command",
    [
        "echo x > {outside}/f",
        "echo x >> {outside}/f",
        "echo x | tee {outside}/f",
        "cp a.txt {outside}/",
        "mv a.txt {outside}/b",
        "rm -rf {outside}",
        "mkdir {outside}/new",
        "touch ../escape.txt",
        "cd {outside} && ls",
        "cd .. ; echo hi > f",
        "ls && (echo x 2>/dev/null > {outside}/f)",
        "echo $(touch {outside}/f)",
        "bash -c 'rm {outside}/f'",
        "sudo -n cp a.txt ~/x",
        "sed -i s/a/b/ {outside}/f",
        "dd if=a.txt of={outside}/f",
        "FOO=1 timeout 5 ln -s a.txt {outside}/l",
        "OUT={outside}/f; echo x > $OUT",
        "echo x > $CLAW_TEST_UNSET_VARIABLE",
        'echo x > "$(mktemp)"',
        "find {outside} -name f -delete",
        "find {outside} -exec rm {{}} +",
        "tar -xf a.txt -C {outside}",
        "curl -s -o {outside}/f http://127.0.0.1:9/",
        "cd",
    ],
)
def test_confined_modes_block_outside_writes(ctx, workspace, tmp_path, mode, command):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "f").write_text("keep")
    (workspace / "a.txt").write_text("a")
    confined = ctx.model_copy(
        update={"permission_mode": mode, "env": {**ctx.env, "HOME": str(tmp_path / "home")}}
    )
    result = call(BashTool(), confined, command=command.format(outside=outside))
    assert result.is_error and "was not run" in result.content, result.content
    assert (outside / "f").read_text() == "keep" and sorted(p.name for p in outside.iterdir()) == ["f"]


@pytest.mark.parametrize(
    "command",
    [
        "echo x > inside.txt",
        "mkdir -p d/e && touch d/e/f",
        "cp a.txt b.txt",
        "echo x > /dev/null 2>&1",
        "cd sub && touch g",
        "D=sub; touch $D/h",
        "find . -name a.txt -exec cat {} +",
        "cat a.txt | tee copy.txt | wc -l",
    ],
)
def test_workspace_write_allows_inside(ctx, workspace, command):
    (workspace / "a.txt").write_text("a")
    (workspace / "sub").mkdir()
    confined = ctx.model_copy(update={"permission_mode": "workspace-write"})
    result = call(BashTool(), confined, command=command)
    assert not result.is_error, result.content


def test_additional_dirs_and_read_only(ctx, workspace, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    confined = ctx.model_copy(update={"permission_mode": "workspace-write", "additional_dirs": [extra]})
    assert not call(BashTool(), confined, command=f"echo x > {extra}/ok").is_error
    ro = ctx.model_copy(update={"permission_mode": "read-only"})
    blocked = call(BashTool(), ro, command="echo x > inside.txt")
    assert blocked.is_error and "allows no writes" in blocked.content
    assert not call(BashTool(), ro, command="ls -la; cat /etc/hostname > /dev/null").is_error
    full = ctx.model_copy(update={"permission_mode": "danger-full-access"})
    assert not call(BashTool(), full, command=f"echo x > {tmp_path}/free").is_error


def test_access_reports_execute_and_writes(ctx, workspace):
    accesses = BashTool().access({"command": "npm test > out.log && cp a /etc/b"}, ctx)
    assert accesses[:3] == [
        claw.Access(kind="execute", command="npm test", argv=["npm", "test"], forms=["npm test"]),
        claw.Access(
            kind="execute",
            command="cp a /etc/b",
            argv=["cp", "a", "/etc/b"],
            forms=["cp a /etc/b"],
            command_class="file",
            operands=["a", "/etc/b"],
        ),
        claw.Access(kind="write", path="out.log", redirect=True),
    ]
    assert [a.path for a in accesses[3:]] == [str(workspace.resolve() / "out.log"), "/etc/b"]
    # one execute per simple command, nested ones included; the write is the substitution's
    assert BashTool().access({"command": "echo $(echo hi > /tmp/x)"}, ctx) == [
        claw.Access(
            kind="execute",
            command="echo $(echo hi > /tmp/x)",
            argv=["echo", "$(echo hi > /tmp/x)"],
            forms=["echo $(echo hi > /tmp/x)"],
            command_class="read",
            operands=["$(echo hi > /tmp/x)"],
        ),
        claw.Access(
            kind="execute",
            command="echo hi",
            argv=["echo", "hi"],
            forms=["echo hi"],
            command_class="read",
            operands=["hi"],
        ),
        claw.Access(kind="write", path="/tmp/x", redirect=True),
        claw.Access(kind="write", path="/tmp/x"),
    ]
    [bad] = BashTool().access({"command": "echo $(ls"}, ctx)
    assert bad.kind == "execute" and bad.error == 'missing ")"'
    assert "bash" in BashTool().spec.aliases and not BashTool().spec.read_only


def test_sandbox_wraps_command(ctx, workspace):
    class Echoing(claw.Sandbox):
        name = "echoing"

        def available(self) -> bool:
            return True

        def wrap(self, argv, policy):
            assert policy.workspace == workspace.resolve()
            return ["/usr/bin/env", "SANDBOXED=yes", *argv]

    configured = ctx.model_copy(update={"settings": {"sandbox": {"name": "echoing"}}, "sandbox": Echoing()})
    assert call(BashTool(), configured, command="echo $SANDBOXED").content == "yes"
    missing = ctx.model_copy(update={"settings": {"sandbox": {"name": "echoing"}}})
    result = call(BashTool(), missing, command="echo hi")
    assert result.is_error and "no such sandbox" in result.content
