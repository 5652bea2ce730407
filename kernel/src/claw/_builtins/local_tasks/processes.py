"""The process helpers every task backend shares (public: ``claw.task_argv``, ``claw.task_env``, ...): the
``local`` backend's, which claw-agents' and claw-agents-celery's backends run their tasks with too, so every
backend starts, pages and ends a task the same way. :mod:`claw._tasks` holds the contract."""

from __future__ import annotations

import asyncio
import codecs
import os
import shutil
import signal
import sys
import time
from collections.abc import Mapping

from claw._tasks import TaskSpec


def task_argv(spec: TaskSpec, python: str | None = None) -> list[str]:
    """The command line that runs ``spec``: ``python -m claw -p TEXT [--model M] [--permission-mode P]``
    for a prompt, ``bash -c TEXT`` (``/bin/sh`` without bash) for a command. Every backend runs the same."""
    if spec.kind == "command":
        return [shutil.which("bash") or "/bin/sh", "-c", spec.text]
    argv = [python or sys.executable, "-m", "claw", "-p", spec.text]
    if spec.model:
        argv += ["--model", spec.model]
    if spec.permission_mode:
        argv += ["--permission-mode", spec.permission_mode]
    return argv


def task_env(spec: TaskSpec, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a task runs with: ``base`` (default: this process's) plus ``spec.env``, and
    ``CLAW_PARENT_SESSION_ID`` set to the spec's parent session (so a child shares its task list)."""
    env = dict(os.environ if base is None else base)
    # the parent is the spec's, never whoever started the backend's process
    env.pop("CLAW_PARENT_SESSION_ID", None)
    env.update(spec.env)
    if spec.parent_session_id:
        env["CLAW_PARENT_SESSION_ID"] = spec.parent_session_id
    return env


def read_task_output(path: str | os.PathLike[str], offset: int, limit: int) -> tuple[str, int]:
    """Up to ``limit`` bytes of the file at ``path`` from byte ``offset``, decoded as UTF-8, and the next
    offset. A character cut by the limit is left for the next read rather than garbled. A missing file
    reads as empty (the task has not written yet)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(limit)
    except FileNotFoundError:
        return "", offset
    return decode_task_output(data, offset, limit)


def decode_task_output(data: bytes, offset: int, limit: int) -> tuple[str, int]:
    """``data`` (at most ``limit`` bytes of a task's output read from byte ``offset``, from a file or any
    other store) decoded as UTF-8, and the next offset; a character cut by the limit is left for the next
    read, one cut by the end of the output is decoded as a replacement character."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(data, final=False)
    pending = len(decoder.getstate()[0])
    if pending and len(data) < limit:  # the end of the file, not a cut: nothing more will complete it
        text += decoder.decode(b"", final=True)
        pending = 0
    return text, offset + len(data) - pending


def process_start(pid: int) -> str | None:
    """When ``pid`` started (clock ticks since boot, from ``/proc``), or None when it is gone or a
    zombie: with the pid it identifies a process for good, as pids are recycled (so a backend can tell
    its task's process from a stranger that got the same pid later)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(") ", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def kill_process_group(pid: int, sig: int = signal.SIGTERM) -> bool:
    """Send ``sig`` to the process group led by ``pid`` (tasks start in their own session, so this is the
    task and everything it started). False when no such group is left."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


async def stop_process_group(pid: int, grace: float = 3.0) -> None:
    """SIGTERM the group led by ``pid``, then SIGKILL what is left after ``grace`` seconds."""
    if not kill_process_group(pid, signal.SIGTERM):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if not kill_process_group(pid, 0):
            return
    kill_process_group(pid, signal.SIGKILL)
