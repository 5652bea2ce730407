"""Fixtures for the task tests: an isolated agents state directory whose supervisor and leftover task
processes are ended after each test (a leaked supervisor would outlive the test run)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
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
    deadline = time.monotonic() + 30
    while (pid := supervisor_pid(root)) == -1 and time.monotonic() < deadline:
        time.sleep(0.05)  # one is starting: wait for its pid rather than leak it
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


@pytest.fixture
def model(scripted, claw_env: dict[str, str]):  # type: ignore[no-untyped-def]
    """The scripted model as the user settings' default, for runs that pass no ``--model``."""
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted
