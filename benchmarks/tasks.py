"""Background-task benchmark: submit-to-running latency on the embedded backend.

Measures, from ``EmbeddedTaskBackend.submit`` returning to the record saying ``running`` (the supervisor
has started the child process and recorded its pid), for a trivial command task:

- warm: a supervisor is already up (``submit`` wakes it with SIGUSR1);
- cold: no supervisor yet, so ``submit`` starts one detached first (an interpreter start and imports).

Run: ``uv run python benchmarks/tasks.py [--runs 20]``. Prints medians and p90 in ms.
Targets: warm median under 100 ms, cold median under 1500 ms; exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path

from claw import TaskSpec, TaskStatus
from claw_agents.tasks.embedded import EmbeddedTaskBackend, supervisor_pid

WARM_TARGET = 0.100
COLD_TARGET = 1.500


async def to_running(backend: EmbeddedTaskBackend, cwd: str) -> float:
    start = time.perf_counter()
    record = await backend.submit(TaskSpec(kind="command", text="true", cwd=cwd))
    while (await backend.get(record.id)).status is TaskStatus.PENDING:
        await asyncio.sleep(0.002)
    elapsed = time.perf_counter() - start
    await backend.wait(record.id, timeout=30)
    return elapsed


def stop_supervisor(root: Path) -> None:
    deadline = time.monotonic() + 10
    while (pid := supervisor_pid(root)) is not None and time.monotonic() < deadline:
        if pid > 0:
            os.kill(pid, signal.SIGTERM)
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    warm: list[float] = []
    cold: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "agents"
        root.mkdir()
        backend = EmbeddedTaskBackend(root)
        try:
            for _ in range(max(3, args.runs // 4)):
                stop_supervisor(root)
                cold.append(asyncio.run(to_running(backend, tmp)))
            asyncio.run(to_running(backend, tmp))  # make sure one is up
            for _ in range(args.runs):
                warm.append(asyncio.run(to_running(backend, tmp)))
        finally:
            stop_supervisor(root)

    def line(name: str, values: list[float], target: float) -> bool:
        median = statistics.median(values)
        p90 = sorted(values)[int(len(values) * 0.9) - 1] if len(values) >= 2 else values[0]
        ok = median < target
        print(
            f"{name:<28} median {median * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   "
            f"target < {target * 1000:.0f} ms   {'ok' if ok else 'MISSED'}"
        )
        return ok

    print(f"submit-to-running, embedded backend ({args.runs} warm runs, {len(cold)} cold)")
    ok = line("warm (supervisor up)", warm, WARM_TARGET)
    ok = line("cold (supervisor on demand)", cold, COLD_TARGET) and ok
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
