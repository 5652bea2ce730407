"""Fixtures and helpers for the workers' tests (a uniquely named module, imported by each test file, so the
agents distribution's other test files keep their own): a real git repository as the workspace, the
scripted model as the configured model for the lead and its workers, and a store that ends every worker
a test started."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import claw.testing
import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def sh(cwd: Path, line: str) -> str:
    """Run a shell line in ``cwd`` (git identity set); its stdout. Fails the test when it fails."""
    proc = subprocess.run(
        line, shell=True, cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False
    )
    assert proc.returncode == 0, f"{line}: {proc.stderr}"
    return proc.stdout.strip()


@pytest.fixture
def repo(workspace: Path, claw_env: dict[str, str]) -> Path:
    """The workspace as a git repository on ``main`` with one commit."""
    claw_env.update(GIT_ENV)
    os.environ.update(GIT_ENV)
    sh(workspace, "git init -q -b main && echo one > file.txt && git add . && git commit -qm one")
    return workspace


@pytest.fixture
def settings(workspace: Path) -> Callable[[dict[str, Any]], None]:
    """``settings({...})`` writes the workspace's ``.claw/settings.json`` (model: the scripted one)."""

    def write(agents: dict[str, Any]) -> None:
        path = workspace / ".claw" / "settings.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"model": "scripted/default", "agents": agents}), encoding="utf-8")

    write({})
    return write


@pytest.fixture
def store(claw_env: dict[str, str], scripted: Any) -> Iterator[Any]:
    """The shared store; every worker still running at the end of the test is killed."""
    from claw_agents.workers.store import Store, alive, db_path

    db = Store(db_path(claw_env))
    try:
        yield db
    finally:
        for worker in db.workers():
            for pid in (worker.host_pid, worker.pid):
                if pid and alive(pid):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        try:
                            os.killpg(pid, signal.SIGKILL)
                        except (ProcessLookupError, PermissionError):
                            # Not a group leader, or it ended since ``alive``.
                            os.kill(pid, signal.SIGKILL)


def wait_state(store: Any, ref: str, *states: str, timeout: float = 60) -> Any:
    """The worker once it is in one of ``states``; fails the test (with its events) otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worker = store.worker(ref)
        if worker.state in states:
            return worker
        time.sleep(0.05)
    events = [(e["kind"], e["state"], e["detail"]) for e in store.events(store.worker(ref).id)]
    raise AssertionError(
        f"worker {ref} not in {states} after {timeout}s: {store.worker(ref).state}\n{events}"
    )


#: :func:`claw.testing.wait_for` with a minute's patience: workers are real processes, started cold.
wait_for = functools.partial(claw.testing.wait_for, timeout=60)


def transitions(store: Any, ref: str) -> list[str]:
    return [e["state"] for e in store.events(store.worker(ref).id) if e["kind"] == "transition"]
