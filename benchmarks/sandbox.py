"""Overhead of confinement per Bash call: the ``Bash`` tool running ``true`` and ``ls -R`` of a
100-file tree, sandboxed (bubblewrap, workspace-only, network none) and not, median of 50 calls each.

Run: ``uv run python benchmarks/sandbox.py [--calls N]``. Calls alternate between the two so load on
a shared machine hits both alike. Target: under 15 ms added per call (median); exits 1 when missed,
2 when bwrap is not available.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import claw
from claw_sandbox.sandbox import BubblewrapSandbox
from claw_tools_shell._bash import BashTool

TARGET_MS = 15.0


def _tree(root: Path) -> None:
    for i in range(100):
        folder = root / "tree" / f"d{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i}.txt").write_text("x\n")


def _ms(tool: BashTool, ctx: claw.ToolContext, command: str) -> float:
    started = time.perf_counter()
    result = asyncio.run(tool.run({"command": command}, ctx))
    elapsed = (time.perf_counter() - started) * 1000
    if result.is_error:
        raise SystemExit(f"{command!r} failed: {result.content}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    calls = parser.parse_args().calls
    workspace = Path(tempfile.mkdtemp(prefix="claw-bench-sandbox-"))
    _tree(workspace)
    settings = {"sandbox": {"enabled": True}}
    sandbox = BubblewrapSandbox(claw.SandboxSettings(enabled=True))
    if not sandbox.available():
        print(sandbox.unavailable_reason(), file=sys.stderr)
        return 2
    plain = claw.ToolContext(workspace=workspace, session_id="bench", env=dict(os.environ))
    confined = plain.model_copy(update={"settings": settings, "sandbox": sandbox})
    tool = BashTool()
    missed = False
    for label, command in (("true", "true"), ("ls -R (100 files)", "ls -R tree")):
        times: dict[str, list[float]] = {"plain": [], "sandboxed": []}
        for _ in range(calls):
            times["plain"].append(_ms(tool, plain, command))
            times["sandboxed"].append(_ms(tool, confined, command))
        base, boxed = statistics.median(times["plain"]), statistics.median(times["sandboxed"])
        added = boxed - base
        missed |= added > TARGET_MS
        print(
            f"{label:<18} unconfined {base:6.1f} ms  sandboxed {boxed:6.1f} ms  "
            f"added {added:5.1f} ms (median of {calls}; target < {TARGET_MS:g} ms)"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
