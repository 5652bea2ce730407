"""Start-up benchmark: ``claw --version``, ``claw --help`` and ``claw plugins`` with every workspace
plugin installed, against ``python -c pass`` in the same run.

Run: ``uv run python benchmarks/startup.py [--runs N]``. Prints the median and min of N runs (>= 10)
of wall time, the median CPU time (user + sys of the process: steadier than wall time on a shared
machine) and the ratio to bare Python. Targets on a 2-core machine, checked against the median CPU
time: ``--version`` <= 100 ms, ``--help`` <= 200 ms, ``claw plugins`` < 150 ms (issue 12); the exit
status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_MS = {"claw --version": 100.0, "claw --help": 200.0, "claw plugins": 150.0}


def _children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def measure(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms) of each of ``runs`` runs, after one run that warms the page cache (and fills
    claw's caches, as any earlier run of the installation would have)."""
    subprocess.run(cmd, capture_output=True, env=env, check=True)
    walls, cpus = [], []
    for _ in range(runs):
        cpu = _children_cpu_ms()
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append(_children_cpu_ms() - cpu)
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    runs = max(10, args.runs)
    claw = str(Path(sys.executable).with_name("claw"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "CLAW_CONFIG_DIR": f"{tmp}/config",
            "CLAW_STATE_DIR": f"{tmp}/state",
            "HOME": tmp,
        }
        from importlib.metadata import entry_points

        plugins = sorted(ep.name for ep in entry_points(group="claw"))
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {len(plugins)} plugins: {', '.join(plugins)}"
        )
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "claw --version": [claw, "--version"],
            "claw --help": [claw, "--help"],
            "claw plugins": [claw, "plugins"],
        }
        results = {name: measure(cmd, runs, env) for name, cmd in cases.items()}
    base = statistics.median(results["python -c pass"][1])
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'command':<18}{'median ms':>10}{'min ms':>9}{'cpu ms':>9}{'x python':>10}{'target':>12}")
    failed = False
    for name, (walls, cpus) in results.items():
        cpu = statistics.median(cpus)
        target = TARGETS_MS.get(name)
        mark = ""
        if target is not None:
            ok = cpu <= target
            failed |= not ok
            mark = f"cpu {'<=' if ok else '>'}{target:.0f}"
        print(
            f"{name:<18}{statistics.median(walls):>10.1f}{min(walls):>9.1f}{cpu:>9.1f}{cpu / base:>10.1f}{mark:>12}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
