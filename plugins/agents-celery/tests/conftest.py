"""Fixtures: a real Redis on a free loopback port, settings selecting the celery backend on it, and real
``claw celery worker`` processes (2 pool processes each), all ended after the test with what they ran."""

from __future__ import annotations

import contextlib
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import claw
import pytest
from claw_agents_celery.backend import CeleryTaskBackend
from claw_agents_celery.config import CelerySettings
from claw_agents_celery.store import RedisStore
from claw_agents_celery.testing import RedisServer, kill_worker, start_worker, use_celery


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    if server.answers():  # end what the tests left running on this machine
        store = RedisStore(CelerySettings(broker_url=server.url))
        for record in store.all():
            if record.pid and not record.status.final:
                claw.kill_process_group(record.pid, signal.SIGKILL)
    server.stop()


@pytest.fixture
def celery(claw_env: dict[str, str], redis_server: RedisServer, workspace: Path) -> CeleryTaskBackend:
    """The backend as claw selects it from settings (``agents.backend: celery``)."""
    use_celery(claw_env, redis_server)
    backend = claw.CommandContext.create(workspace, claw_env).task_backend()
    assert isinstance(backend, CeleryTaskBackend)
    return backend


@pytest.fixture
def workers(
    claw_env: dict[str, str], redis_server: RedisServer, workspace: Path
) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """Starts named workers; every one still running is killed with its pool at teardown."""
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        proc = start_worker(claw_env, redis_server, name, cwd=workspace)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                kill_worker(proc)
