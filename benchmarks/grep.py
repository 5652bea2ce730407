"""Grep over a large tree: claw's Python engine and its rg-backed engine against ``rg`` itself.

Usage: ``uv run python benchmarks/grep.py [TREE]``. Without TREE, this virtual environment's
site-packages is copied to a temporary directory first (uv writes a ``.gitignore`` of ``*`` into
``.venv``, which both rg and claw would honour). Each case runs a few times on a warm cache; the best
time is reported. Targets: Python engine within 5x of rg, rg-backed within 1.3x.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from claw_tools_files._grep import render
from claw_tools_files._search import Query, _rg_args, rg_path, search

CASES = [
    ("files_with_matches", "def __init__", {}),
    ("files_with_matches", r"class \w+Error\(", {}),
    ("content", r"raise NotImplementedError", {}),
    ("count", "import", {"type": "py"}),
    ("files_with_matches", "TODO", {"ignore_case": True}),
]
RUNS = 7


def best(fn: Callable[[], object]) -> tuple[float, float]:
    """Best wall time and best CPU time (this process plus its children: rg) over RUNS runs.
    CPU time is the steadier figure on a busy machine; rg spreads its work over threads, so its
    wall time can be lower than its CPU time."""
    walls, cpus = [], []
    for _ in range(RUNS):
        start, cpu0 = time.perf_counter(), _cpu()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu0)
    return min(walls), min(cpus)


def _cpu() -> float:
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def main() -> None:
    rg = rg_path()
    if rg is None:
        sys.exit("rg is not on PATH; install ripgrep (tests/setup.d/ripgrep.sh)")
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1:
            tree = Path(sys.argv[1]).resolve()
        else:
            source = Path(sysconfig.get_paths()["purelib"])
            tree = Path(tmp) / "site-packages"
            shutil.copytree(source, tree, symlinks=True)
        files = sum(1 for p in tree.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
        print(f"tree: {tree} ({files} files, {size / 1e6:.0f} MB); best of {RUNS} runs\n")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
        header = f"{'mode':<19} {'pattern':<26} {'hits':>5} |{'rg':>7} {'claw+rg':>8} {'python':>7} {'rg x':>5} {'py x':>5} |"
        print(header + f"{'rg':>7} {'claw+rg':>8} {'python':>7} {'rg x':>5} {'py x':>5}")
        print(f"{'':<52}| wall time (s){'':<21}| CPU time (s)")
        worst = {"wall rg": 0.0, "wall py": 0.0, "cpu rg": 0.0, "cpu py": 0.0}
        for mode, pattern, extra in CASES:
            query = Query(pattern=pattern, root=tree, mode=mode, **extra)  # type: ignore[arg-type]
            args = _rg_args(query, rg)
            raw = best(lambda args=args: subprocess.run(args, cwd=tree, capture_output=True))
            with_rg = best(lambda q=query: render(search(q, engine="rg"), q, {}, tree))
            python = best(lambda q=query: render(search(q, engine="python"), q, {}, tree))
            hits = len(search(query, engine="python"))
            assert hits == len(search(query, engine="rg")), f"engines disagree on {pattern!r}"
            row = f"{mode:<19} {pattern:<26} {hits:5d} |"
            for i, kind in enumerate(("wall", "cpu")):
                r, w, p = raw[i], with_rg[i], python[i]
                worst[f"{kind} rg"] = max(worst[f"{kind} rg"], w / r)
                worst[f"{kind} py"] = max(worst[f"{kind} py"], p / r)
                row += f"{r:7.3f} {w:8.3f} {p:7.3f} {w / r:5.2f} {p / r:5.2f} |"
            print(row)
        print(
            f"\nworst ratios to rg: rg-backed {worst['wall rg']:.2f}x wall / {worst['cpu rg']:.2f}x CPU (target 1.3x); "
            f"Python engine {worst['wall py']:.2f}x wall / {worst['cpu py']:.2f}x CPU (target 5x)"
        )


if __name__ == "__main__":
    main()
