"""``Bash``, ``BashOutput`` and ``KillShell``.

Each command runs with ``bash -c`` in its own process group; on timeout, on cancel and when the shell
exits, the whole group is killed, so nothing it started keeps running or holds the output pipe.
The working directory persists between calls of a session, as in Claude Code: a ``cd`` carries over
to the next command while it stays inside the workspace (or an additional directory); otherwise the
next command starts in the workspace again. Background jobs (``run_in_background``) keep running
between calls until ``KillShell`` or the end of the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_tools_shell import _specs
from claw_tools_shell._confine import effects, violation
from claw_tools_shell._permissions import access as command_access
from claw_tools_shell._process import JOBS, Job, Process, cap_chars, text_of
from claw_tools_shell._specs import DEFAULT_TIMEOUT_MS, MAX_OUTPUT_CHARS, MAX_TIMEOUT_MS
from claw_tools_shell._syntax import parse

#: Bytes of a background job's output kept between reads.
JOB_BUFFER_BYTES = 4 * 1024 * 1024

#: The session's shell working directory.
SHELL_CWD = claw.StashKey[Path]()

BASH = "/bin/bash" if os.path.exists("/bin/bash") else "bash"


def _roots(ctx: claw.ToolContext) -> list[Path]:
    return [ctx.workspace.resolve(), *(Path(d).expanduser().resolve() for d in ctx.additional_dirs)]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


def shell_cwd(ctx: claw.ToolContext) -> Path:
    cwd = ctx.stash.get(SHELL_CWD)
    if cwd is None or not cwd.is_dir() or not _inside(cwd, _roots(ctx)):
        return ctx.workspace.resolve()
    return cwd


def _env(ctx: claw.ToolContext) -> dict[str, str]:
    env = dict(ctx.env) if ctx.env else dict(os.environ)
    # Settings "env" applies to every command, as in Claude Code.
    extra = ctx.settings.get("env") if isinstance(ctx.settings, Mapping) else None
    if isinstance(extra, Mapping):
        env.update({str(k): str(v) for k, v in extra.items()})
    # Commands run unattended: never wait for an editor or a pager.
    env.setdefault("GIT_EDITOR", "true")
    env.setdefault("PAGER", "cat")
    env["CLAW_PROJECT_DIR"] = str(ctx.workspace)
    env["CLAW_SESSION_ID"] = ctx.session_id
    return env


def _command(input: Mapping[str, Any]) -> str:
    command: str = input["command"]  # a string: the kernel checked the schema
    if not command.strip():
        raise claw.ToolError("command must not be blank")
    return command


def _sandbox_settings(ctx: claw.ToolContext) -> claw.SandboxSettings:
    raw = ctx.settings.get("sandbox") if isinstance(ctx.settings, Mapping) else None
    return claw.SandboxSettings.model_validate(raw or {})


def _excluded(command: str, patterns: list[str]) -> bool:
    """Settings ``sandbox.excludedCommands``: a bare word matches the command's first word; a
    pattern ending in ``*`` (or Claude Code's ``:*``) matches by prefix."""
    text = command.strip()
    first = text.split(maxsplit=1)[0] if text else ""
    for pattern in patterns:
        if pattern.endswith("*"):
            if text.startswith(pattern.rstrip("*").removesuffix(":").rstrip()):
                return True
        elif first == pattern:
            return True
    return False


def confinement(ctx: claw.ToolContext, command: str, input: Mapping[str, Any]) -> tuple[Any, str]:
    """``(sandbox, "")`` when the command runs confined, ``(None, why)`` when it runs unconfined
    although a sandbox is configured, ``(None, "")`` when none is.

    :raises claw.ToolError: when a sandbox is configured but cannot run and settings
        ``sandbox.failIfUnavailable`` says not to run commands unconfined.
    """
    cfg = _sandbox_settings(ctx)
    if not cfg.requested:
        return None, ""
    if input.get("dangerouslyDisableSandbox"):
        return None, "the call asked to run outside the sandbox (dangerouslyDisableSandbox)"
    if _excluded(command, cfg.excludedCommands):
        return None, "the command is excluded by settings sandbox.excludedCommands"
    sandbox = ctx.sandbox
    why = (
        f'settings sandbox.name is "{cfg.name}" but no such sandbox is installed'
        if cfg.name
        else "settings sandbox.enabled is true but no sandbox plugin is installed (claw-sandbox)"
    )
    if sandbox is not None:
        if sandbox.available():
            return sandbox, ""
        why = sandbox.unavailable_reason()
    if cfg.failIfUnavailable:
        raise claw.ToolError(f"{why}; the command was not run (settings sandbox.failIfUnavailable)")
    return None, why


def _argv(script: str, ctx: claw.ToolContext, sandbox: Any) -> list[str]:
    argv = [BASH, "-c", script]
    if sandbox is None:
        return argv
    try:
        policy = claw.sandbox_policy(_sandbox_settings(ctx), ctx.workspace, ctx.additional_dirs, ctx.env)
    except claw.ConfigError as exc:
        raise claw.ToolError(f"{exc}; the command was not run") from None
    return sandbox.wrap(argv, policy)


class BashTool(claw.Tool):
    spec = _specs.BASH

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        command = input.get("command")
        if not isinstance(command, str):
            return []
        try:
            confined = confinement(ctx, command, input)[0] is not None
        except claw.ToolError:
            confined = False
        syntax = parse(command)
        if syntax.error is not None:  # unreadable here, but a sandbox confines it all the same
            return [claw.Access(kind="execute", command=command, error=syntax.error, sandboxed=confined)]
        # One execute per simple command (nested ones too), as this tool's parser read them; the
        # redirections as written (the engine resolves them against every directory a cd may
        # have led to); then every write the line's commands make, resolved (cp targets, rm ...).
        accesses = [command_access(c) for c in syntax.commands]
        if not accesses:
            accesses.append(claw.Access(kind="execute", command=command.strip(), argv=[]))
        accesses += [claw.Access(kind="read", path=p, redirect=True) for p in dict.fromkeys(syntax.reads)]
        accesses += [claw.Access(kind="write", path=p, redirect=True) for p in dict.fromkeys(syntax.writes)]
        found = effects(command, shell_cwd(ctx), _env(ctx))
        accesses += [claw.Access(kind="write", path=str(p)) for p in dict.fromkeys(found.writes)]
        # The sandbox, when it confines this call, holds the line for every access the call declares.
        return [a.model_copy(update={"sandboxed": confined}) for a in accesses]

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        command = _command(input)
        timeout_ms = input.get("timeout") or DEFAULT_TIMEOUT_MS
        if timeout_ms > MAX_TIMEOUT_MS:
            raise claw.ToolError(
                f"timeout may be at most {MAX_TIMEOUT_MS} ms (10 minutes); use run_in_background for longer commands"
            )
        cwd = shell_cwd(ctx)
        env = _env(ctx)
        why = violation(command, cwd=cwd, roots=_roots(ctx), mode=ctx.permission_mode, env=env)
        if why:
            raise claw.ToolError(why)
        sandbox, unconfined = confinement(ctx, command, input)
        if input.get("run_in_background"):
            result = self._background(command, cwd, env, ctx, sandbox, input.get("description") or command)
        else:
            result = await self._foreground(command, cwd, env, ctx, input, timeout_ms / 1000, sandbox)
        result.data["sandboxed"] = sandbox is not None
        if unconfined:
            note = f"(ran outside the sandbox: {unconfined})"
            result.data["unsandboxedReason"] = unconfined
            result.content = (
                f"{result.content}\n{note}" if isinstance(result.content, str) else result.content
            )
        return result

    def _background(
        self,
        command: str,
        cwd: Path,
        env: dict[str, str],
        ctx: claw.ToolContext,
        sandbox: Any,
        description: str,
    ) -> claw.ToolResult:
        proc = Process(
            _argv(command, ctx, sandbox), cwd=str(cwd), env=env, head=64 * 1024, tail=JOB_BUFFER_BYTES
        )
        job = JOBS.add(ctx.session_id, command, proc)
        job.description = description
        if ctx.session is not None:
            _watch(job, ctx.session, asyncio.get_running_loop())
        return claw.ToolResult(
            content=(
                f"Started background job {job.id} (pid {proc.pid}) in {cwd}. Read its output with BashOutput "
                f'(bash_id "{job.id}"); stop it with KillShell (shell_id "{job.id}").'
            ),
            data={
                "backgroundTaskId": job.id,
                "pid": proc.pid,
                "stdout": "",
                "stderr": "",
                "interrupted": False,
                "description": description,
            },
        )

    async def _foreground(
        self,
        command: str,
        cwd: Path,
        env: dict[str, str],
        ctx: claw.ToolContext,
        input: Mapping[str, Any],
        timeout: float,
        sandbox: Any,
    ) -> claw.ToolResult:
        fd, cwd_file = tempfile.mkstemp(prefix="claw-cwd-")
        os.close(fd)
        sandboxed = sandbox is not None
        script = command if sandboxed else f"trap 'pwd -P > \"$__CLAW_CWD_FILE\" 2>/dev/null' EXIT\n{command}"
        env = {**env, "__CLAW_CWD_FILE": cwd_file}
        try:
            proc = Process(
                _argv(script, ctx, sandbox),
                cwd=str(cwd),
                env=env,
                head=MAX_OUTPUT_CHARS * 2,
                tail=MAX_OUTPUT_CHARS * 2,
            )
            outcome = await _wait(proc, ctx, timeout)
            await asyncio.to_thread(proc.finish)
            note = self._update_cwd(ctx, Path(cwd_file), sandboxed)
        finally:
            Path(cwd_file).unlink(missing_ok=True)
        text, _ = text_of(proc.output)
        text = cap_chars(text.rstrip("\n"), MAX_OUTPUT_CHARS)
        code = proc.popen.returncode
        data: dict[str, Any] = {
            "stdout": text,
            "stderr": "",
            "exit_code": code,
            "interrupted": outcome != "exited",
            "description": input.get("description") or "",
        }
        if outcome == "timeout":
            return claw.ToolResult(
                content=f"Command timed out after {timeout:g} s; it and every process it started were killed.\n{text}".rstrip(),
                is_error=True,
                data=data,
            )
        if outcome == "cancelled":
            return claw.ToolResult(
                content=f"Command interrupted by the user.\n{text}".rstrip(), is_error=True, data=data
            )
        body = text or "(no output)"
        if code != 0:
            body += f"\nExit code {code}"
        if note:
            body += f"\n{note}"
        return claw.ToolResult(content=body, is_error=code != 0, data=data)

    def _update_cwd(self, ctx: claw.ToolContext, cwd_file: Path, sandboxed: bool) -> str:
        if sandboxed:
            return ""
        try:
            # os.fsdecode: a directory whose name is not UTF-8 round-trips (surrogate escapes)
            new = Path(os.fsdecode(cwd_file.read_bytes().strip()))
        except OSError:
            return ""
        if not new.is_absolute() or not new.is_dir():
            return ""
        if _inside(new.resolve(), _roots(ctx)):
            ctx.stash[SHELL_CWD] = new.resolve()
            return ""
        ctx.stash[SHELL_CWD] = ctx.workspace.resolve()
        return f"(the working directory {new} is outside the workspace; the next command starts in {ctx.workspace})"


async def _wait(proc: Process, ctx: claw.ToolContext, timeout: float) -> str:
    """``exited``, ``timeout`` or ``cancelled``; the group is killed in the latter two cases.

    ``ctx.cancelled`` is polled rather than awaited so the event works whichever loop created it."""
    waiter = asyncio.ensure_future(asyncio.to_thread(proc.popen.wait))
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            done, _ = await asyncio.wait({waiter}, timeout=max(0.0, min(0.05, remaining)))
            if done:
                return "exited"
            if ctx.cancelled.is_set() or remaining <= 0:
                proc.kill_group()
                await waiter
                return "cancelled" if ctx.cancelled.is_set() else "timeout"
    except asyncio.CancelledError:
        proc.kill_group()
        raise


def _job(input: Mapping[str, Any], key: str, ctx: claw.ToolContext) -> Job:
    job_id = input.get(key)
    if not isinstance(job_id, str) or not job_id:
        raise claw.ToolError(f"{key} is required")
    job = JOBS.get(ctx.session_id, job_id)
    if job is None:
        known = ", ".join(j.id for j in JOBS.of_session(ctx.session_id)) or "none"
        raise claw.ToolError(f'no background job "{job_id}" in this session (jobs: {known})')
    return job


class BashOutputTool(claw.Tool):
    spec = _specs.BASH_OUTPUT

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        job = _job(input, "bash_id", ctx)
        pattern = input.get("filter")
        try:
            rx = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise claw.ToolError(f"invalid filter {pattern!r}: {exc}") from None
        if job.process.popen.poll() is not None:
            await asyncio.to_thread(job.process.reader.join, 1.0)
        text, job.read_offset = text_of(job.process.output, job.read_offset)
        if rx is not None:
            text = "\n".join(line for line in text.splitlines() if rx.search(line))
        text = cap_chars(text.rstrip("\n"), MAX_OUTPUT_CHARS)
        status = job.status
        body = f"[{job.id}: {status}]\n{text or '(no new output)'}"
        return claw.ToolResult(
            content=body,
            data={
                "bash_id": job.id,
                "status": status,
                "stdout": text,
                "exit_code": job.process.popen.returncode,
            },
        )


class KillShellTool(claw.Tool):
    spec = _specs.KILL_SHELL

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        job = _job(input, "shell_id", ctx)
        was = job.status
        await asyncio.to_thread(JOBS.kill, job)
        if was != "running":
            return claw.ToolResult(
                content=f"Job {job.id} had already finished ({was}).",
                data={"shell_id": job.id, "status": was},
            )
        return claw.ToolResult(content=f"Killed job {job.id}.", data={"shell_id": job.id, "status": "killed"})


async def stop_job(job: Job) -> claw.StoppedTask:
    """The Agent SDK's ``stop_task`` for a background job: killed (with its whole process group) if it
    still runs; a job that had ended is reported as it ended (killed before: ``stopped``)."""
    if job.process.popen.poll() is None:
        job.announced = True  # this answer announces its end, the watcher does not
        await asyncio.to_thread(JOBS.kill, job)
    return job_task(job)


def job_task(job: Job) -> claw.StoppedTask:
    """An ended job as the Agent SDK hears of it: exit code 0 ``completed``, another ``failed``,
    killed ``stopped``; the summary says it as Claude Code does."""
    code = job.process.popen.returncode
    status = "stopped" if job.killed else "completed" if code == 0 else "failed"
    ending = {"stopped": "was stopped", "completed": "completed (exit code 0)"}.get(
        status, f"failed with exit code {code}"
    )
    return claw.StoppedTask(
        task_id=job.id,
        task_type="local_bash",
        description=job.description,
        status=status,
        summary=f'Background command "{job.description}" {ending}',
    )


def notice(task: claw.StoppedTask) -> str:
    """The ``<task-notification>`` that tells the model a background job ended on its own, as Claude
    Code tells it (the model need not poll ``BashOutput``)."""
    hint = f'Read its output with BashOutput (bash_id "{task.task_id}").'
    return claw.TaskNotification(task.task_id, task.status, task.summary, hint=hint).text()


def _watch(job: Job, session: claw.SessionContext, loop: asyncio.AbstractEventLoop) -> None:
    """Announce the job's end on ``loop`` once its shell exits: to the model (``session.notify``) when
    it ended on its own, and to the Agent SDK (``session.task_ended``) also when the model's
    ``KillShell`` ended it; neither when ``stop_task`` killed it or the event loop is gone. The session
    tracks the job without waiting for it (``claw -p`` does not: it may be a server), which keeps a
    sub-agent that started it alive until it ends, to be woken by the notice."""
    ended: asyncio.Future[None] = loop.create_future()

    def announce() -> None:
        if not job.announced:
            job.announced = True
            task = job_task(job)
            if not job.killed:
                session.notify(notice(task))
            session.task_ended(task)
        if not ended.done():
            ended.set_result(None)

    def wait() -> None:
        job.process.popen.wait()
        with contextlib.suppress(RuntimeError):  # the loop has closed: the session is over
            loop.call_soon_threadsafe(announce)

    threading.Thread(target=wait, daemon=True, name=f"claw-bash-wait-{job.process.pid}").start()
    session.track(ended, wait=False)
