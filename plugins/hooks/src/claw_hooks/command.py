"""Running one command hook: JSON on stdin, a timeout, and the whole process group killed when it
times out or the run is cancelled.

Unix runs the command with ``/bin/sh -c`` in a new session (its own process group). Windows runs
it through the default shell (``%COMSPEC%``, normally ``cmd.exe``) in a new process group, and
kills the tree with ``taskkill /T /F``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass
class CommandResult:
    exit_code: int | None
    stdout: str
    stderr: str
    duration_ms: float
    timed_out: bool = False


async def run_command(
    command: str,
    stdin: bytes,
    *,
    env: Mapping[str, str],
    cwd: str,
    timeout: float,
    argv: list[str] | None = None,
) -> CommandResult:
    """Run ``command`` with ``stdin``; never raises for the command's own failures.

    :param argv: the command line to run instead of ``/bin/sh -c command`` (that one, confined).

    :raises asyncio.CancelledError: after killing the process group, when the caller is cancelled.
    """
    start = time.perf_counter()
    pipe = subprocess.PIPE
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        proc = await asyncio.create_subprocess_shell(
            command,
            env=dict(env),
            cwd=cwd,
            creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
            stdin=pipe,
            stdout=pipe,
            stderr=pipe,
        )
    else:
        argv = argv or ["/bin/sh", "-c", command]
        proc = await asyncio.create_subprocess_exec(
            *argv,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
            stdin=pipe,
            stdout=pipe,
            stderr=pipe,
        )
    try:
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout)
    except TimeoutError:
        _kill_group(proc)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(proc.wait(), 5)
        return CommandResult(None, "", "", _ms(start), timed_out=True)
    except asyncio.CancelledError:
        _kill_group(proc)
        with contextlib.suppress(BaseException):
            await asyncio.shield(asyncio.wait_for(proc.wait(), 5))
        raise
    return CommandResult(
        proc.returncode,
        out.decode("utf-8", errors="replace"),
        err.decode("utf-8", errors="replace"),
        _ms(start),
    )


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    if os.name == "nt":  # pragma: no cover
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)
