"""Fixtures for the task tests: an isolated agents state directory whose supervisor and leftover task
processes are ended after each test (a leaked supervisor would outlive the test run)."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import claw
import pytest
from claw_agents.tasks.embedded import EmbeddedTaskBackend, supervisor_pid
from claw_agents.tasks.store import Store, agents_dir


@pytest.fixture
def agents_root(claw_env: dict[str, str]) -> Iterator[Path]:
    root = agents_dir(claw_env)
    yield root
    if not (root / "agents.db").exists():
        return
    pid = supervisor_pid(root)
    if pid and pid > 0:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    store = Store(root)
    for record in store.list_tasks():
        if record.pid:
            claw.kill_process_group(record.pid, signal.SIGKILL)
    store.close()


@pytest.fixture
def backend(agents_root: Path) -> EmbeddedTaskBackend:
    return EmbeddedTaskBackend(agents_root)
