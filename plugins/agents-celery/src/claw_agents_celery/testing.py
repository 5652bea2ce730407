"""Test helpers for the celery backend: a real ``redis-server`` on a free loopback port and real
``claw celery worker`` processes (used by this distribution's tests and the cross-backend contract tests).

``redis-server`` comes from the system (``tests/setup.d/redis.sh`` installs it).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from claw_agents_celery.app import make_app
from claw_agents_celery.config import CelerySettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A throwaway Redis (no persistence) that a test can stop and start again on the same port."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not installed: run bash tests/setup.d/redis.sh")
        self.exe = exe
        self.dir = directory
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                *(
                    self.exe,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ),
                *("--dir", str(self.dir), "--logfile", str(self.dir / "redis.log")),
            ],
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


def use_celery(env: Mapping[str, str], redis: RedisServer, **settings: object) -> None:
    """Write user settings selecting the celery backend on ``redis`` (plus any other top-level keys)."""
    cfg = Path(env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    data = {"agents": {"backend": "celery", "celery": {"broker_url": redis.url}}, **settings}
    (cfg / "settings.json").write_text(json.dumps(data))


def start_worker(
    env: Mapping[str, str], redis: RedisServer, name: str, concurrency: int = 2, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """``claw celery worker`` in its own process group (so a test can ``kill -9`` it with its pool),
    returned once it answers a ping."""
    exe = str(Path(sys.executable).with_name("claw"))
    proc = subprocess.Popen(
        [exe, "celery", "worker", "-c", str(concurrency), "-n", f"{name}@%h", "--loglevel", "WARNING"],
        env={**env, "CLAW_CELERY_BROKER_URL": redis.url},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,  # the start-up banner; warnings and errors go to stderr
        start_new_session=True,
    )
    app = make_app(CelerySettings(broker_url=redis.url))
    deadline = time.monotonic() + 60
    try:
        while not any(name in key for reply in app.control.ping(timeout=0.3) for key in reply):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker {name} did not start (exit {proc.poll()})")
    finally:
        app.close()
    return proc


def kill_worker(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the worker and its pool processes, and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    proc.wait(timeout=30)
