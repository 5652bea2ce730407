"""Starting, restarting, stopping and waiting for workers: what the tools and ``claw workers`` share.

Each worker runs under its own host process (:mod:`claw_agents.workers.host`), started detached in a
new session so it outlives the ``claw`` that created it; the host and its ``claw`` child share that
process group, which is what a restart or a terminate ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import claw

from claw_agents.workers import lanes
from claw_agents.workers.store import Store, Worker, alive

#: States in which a worker takes a prompt at once.
READY = ("ready_for_prompt", "finished")


def spawn_host(store: Store, worker: Worker, env: Mapping[str, str]) -> int:
    """Start ``worker``'s host process; returns its pid."""
    log = store.path.parent / "logs" / f"{worker.id}.host.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    host_env = {**env, "CLAW_STATE_DIR": str(claw.state_dir(env))}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "claw_agents.workers.host", worker.id],
            cwd=worker.cwd,
            env=host_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    store.update(worker.id, host_pid=proc.pid)
    return proc.pid


def create(
    store: Store,
    *,
    name: str,
    cwd: Path,
    env: Mapping[str, str],
    model: str | None = None,
    permission_mode: str | None = None,
    team: str | None = None,
    lane: str | None = None,
    base: str | None = None,
    prompt: str | None = None,
) -> Worker:
    """Record a worker, claim its lane (its folder is then the lane's worktree) and start its host.

    :raises claw.ClawError: the folder does not exist, or the lane cannot be opened.
    :raises claw_agents.workers.store.LaneHeld: the lane has a live worker.
    """
    if not cwd.is_dir():
        raise claw.ClawError(f"worker folder {cwd} does not exist")
    worker = store.create_worker(
        name=name, cwd=str(cwd), model=model, permission_mode=permission_mode, team=team, lane=lane
    )
    if lane is not None:
        try:
            opened = lanes.open_lane(store, cwd=cwd, branch=lane, base=base, holder=worker.id)
        except BaseException as exc:
            store.transition(worker.id, "failed", f"lane {lane}: {exc}", "protocol")
            raise
        store.update(worker.id, cwd=opened["worktree"])
        store.note(worker.id, "lane", f"{lane} in {opened['worktree']} (base {opened['base']})")
    if prompt:
        store.enqueue(worker.id, prompt)
    spawn_host(store, store.worker(worker.id), env)
    return store.worker(worker.id)


def _kill_group(pid: int | None) -> None:
    if pid and alive(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def restart(store: Store, ref: str, env: Mapping[str, str]) -> Worker:
    """End the worker's processes and start it again on its session; unfinished prompts are re-delivered."""
    worker = store.worker(ref)
    _kill_group(worker.host_pid)
    if worker.pid and alive(worker.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
    store.update(worker.id, stop_requested=0, pid=None)
    store.note(worker.id, "restart", "restarted on request")
    spawn_host(store, store.worker(worker.id), env)
    return store.worker(worker.id)


def terminate(store: Store, ref: str, timeout: float = 10) -> Worker:
    """Ask the host to close the worker's stdin and wait for it; kill what is left; release its lane."""
    worker = store.worker(ref)
    store.update(worker.id, stop_requested=1)
    deadline = time.monotonic() + timeout
    while alive(worker.host_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    _kill_group(worker.host_pid)
    if worker.pid and alive(worker.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
    # The host records the end itself when it stops in time; a failed worker was not running anyway.
    if store.worker(worker.id).state != "failed" and store.events(worker.id)[-1]["detail"] != "terminated":
        store.transition(worker.id, "finished", "terminated")
    store.release_lane(worker.id)
    return store.worker(worker.id)


async def wait_for(store: Store, ref: str, states: tuple[str, ...], timeout: float) -> Worker:
    """The worker once it is in one of ``states`` or ``failed``, else as it stands after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        worker = reconcile(store, store.worker(ref))
        if worker.state in states or worker.state == "failed" or time.monotonic() >= deadline:
            return worker
        await asyncio.sleep(0.1)


def reconcile(store: Store, worker: Worker) -> Worker:
    """``worker`` as it really is: one whose host process is gone without recording why (killed with
    ``kill -9``, a reboot) is marked ``failed`` (``protocol``) so it never stays ``running`` silently."""
    if worker.state in ("finished", "failed") or worker.host_pid is None or alive(worker.host_pid):
        return worker
    current = store.worker(worker.id)  # the host may have recorded its end just now
    if current.state in ("finished", "failed"):
        return current
    store.transition(
        worker.id,
        "failed",
        f"its host process {worker.host_pid} is gone; WorkerRestart starts it again",
        "protocol",
    )
    return store.worker(worker.id)
