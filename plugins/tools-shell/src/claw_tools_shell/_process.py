"""Shell processes: each in its own process group, output captured in bounded memory, killed as a group.

A reader thread drains the combined stdout+stderr pipe into :class:`Output`, so a command's output
is collected whatever event loop (if any) is running, and background jobs keep collecting between
tool calls.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import itertools
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class Output:
    """Output kept as its first ``head`` bytes and its last ``tail`` bytes; offsets are absolute, so
    readers can ask for what is new since they last looked."""

    def __init__(self, head: int, tail: int) -> None:
        self._head_max, self._tail_max = head, tail
        self._head = bytearray()
        self._tail = bytearray()
        self._tail_start = 0
        self.total = 0
        self._lock = threading.Lock()

    def append(self, data: bytes) -> None:
        with self._lock:
            room = self._head_max - len(self._head)
            if room > 0 and self.total == len(self._head):
                self._head += data[:room]
                self.total += len(data[:room])
                self._tail_start = self.total
                data = data[room:]
            if data:
                self._tail += data
                self.total += len(data)
                extra = len(self._tail) - self._tail_max
                if extra > 0:
                    del self._tail[:extra]
                    self._tail_start += extra

    def since(self, offset: int) -> tuple[bytes, int, bytes, int]:
        """What is kept after ``offset``: ``(bytes before a gap, bytes dropped in the gap, bytes after
        it, new offset)``."""
        with self._lock:
            before = bytes(self._head[offset:]) if offset < len(self._head) else b""
            offset = max(offset, len(self._head))
            skipped = max(0, self._tail_start - offset)
            offset = max(offset, self._tail_start)
            return before, skipped, bytes(self._tail[offset - self._tail_start :]), self.total


def text_of(output: Output, offset: int = 0) -> tuple[str, int]:
    """Decoded output since ``offset`` with a marker where bytes were dropped; and the new offset."""
    before, skipped, after, new = output.since(offset)
    if not skipped:
        return (before + after).decode("utf-8", "replace"), new
    marker = f"\n[... {skipped} bytes of output omitted ...]\n"
    return before.decode("utf-8", "replace") + marker + after.decode("utf-8", "replace"), new


def cap_chars(text: str, limit: int) -> str:
    """Keep the start and the end of a long output (errors tend to be at the end)."""
    if len(text) <= limit:
        return text
    half = limit // 2
    cut = len(text) - 2 * half
    return f"{text[:half]}\n[... output truncated: {cut} characters omitted ...]\n{text[-half:]}"


class Process:
    """A command started in a new session (its own process group), output drained by a thread."""

    def __init__(
        self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], head: int, tail: int
    ) -> None:
        self.output = Output(head, tail)
        self.popen = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started = time.monotonic()
        self.reader = threading.Thread(target=self._drain, daemon=True, name=f"claw-bash-{self.popen.pid}")
        self.reader.start()

    def _drain(self) -> None:
        stream = self.popen.stdout
        assert isinstance(stream, io.BufferedReader)  # a binary pipe: read1 returns what is there
        while chunk := stream.read1(65536):
            self.output.append(chunk)
        stream.close()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill_group(self) -> None:
        """SIGKILL every process in the command's group (children that outlive the shell too)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def finish(self, grace: float = 1.0) -> None:
        """After the shell exited: kill what it left in its group, let the reader drain the pipe."""
        self.kill_group()
        self.popen.wait()
        self.reader.join(grace)


@dataclass
class Job:
    """A background command started with ``run_in_background``."""

    id: str
    session_id: str
    command: str
    process: Process
    read_offset: int = 0
    killed: bool = False
    #: What the Agent SDK is told it is (the ``Bash`` call's ``description``, else the command).
    description: str = ""
    #: Its end has been told (``claw_stop_task``'s answer, or ``SessionContext.task_ended``).
    announced: bool = False

    @property
    def status(self) -> str:
        code = self.process.popen.poll()
        if self.killed:
            return "killed"
        return "running" if code is None else f"exited with code {code}"


class Jobs:
    """Background jobs of this process, by id. Processes are process-wide, so is this registry;
    each job remembers its session, and tools only see their own session's jobs."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        atexit.register(self.kill_all)

    def add(self, session_id: str, command: str, process: Process) -> Job:
        with self._lock:
            job = Job(f"bash_{next(self._ids)}", session_id, command, process)
            self._jobs[job.id] = job
        return job

    def get(self, session_id: str, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and job.session_id == session_id else None

    def of_session(self, session_id: str) -> list[Job]:
        return [j for j in self._jobs.values() if j.session_id == session_id]

    def kill(self, job: Job) -> None:
        # once killed, always: a second kill (its session ending) must not make it "exited" after the fact
        job.killed = job.killed or job.process.popen.poll() is None
        job.process.finish()

    def end_session(self, session_id: str) -> None:
        for job in self.of_session(session_id):
            self.kill(job)
            self._jobs.pop(job.id, None)

    def kill_all(self) -> None:
        for job in list(self._jobs.values()):
            job.process.kill_group()


JOBS = Jobs()
