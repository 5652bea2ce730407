"""Start-up benchmark: ``claw --version``, ``claw --help`` and ``claw plugins`` with every workspace
plugin installed, against ``python -c pass`` in the same run.

Run: ``uv run python benchmarks/startup.py [--runs N]``. Prints the median and min of N runs (>= 10)
and the ratio to bare Python. Targets on a 2-core machine: ``--version`` <= 100 ms, ``--help`` <= 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_MS = {"claw --version": 100.0, "claw --help": 200.0}


def measure(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    subprocess.run(cmd, capture_output=True, env=env, check=True)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


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
    base = statistics.median(results["python -c pass"])
    print(f"{'command':<18}{'median ms':>10}{'min ms':>9}{'x python':>10}{'target':>9}")
    failed = False
    for name, times in results.items():
        med = statistics.median(times)
        target = TARGETS_MS.get(name)
        mark = ""
        if target is not None:
            ok = med <= target
            failed |= not ok
            mark = f"{'<=' if ok else '>'}{target:.0f}"
        print(f"{name:<18}{med:>10.1f}{min(times):>9.1f}{med / base:>10.1f}{mark:>9}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
