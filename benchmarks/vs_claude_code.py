"""``claw -p hello`` beside Claude Code's ``claude -p hello``, against the same loopback Anthropic server.

Two figures per tool, from the moment the process is started: when the server receives the first Messages
request, and when the process has exited. The two tools run in turn (A B A B ...) so a drifting machine
affects both alike; the ratios are computed pair by pair and their medians quoted. Claude Code is looked for
in ``CLAUDE_CODE_BIN``, as ``claude`` on PATH (``npm install @anthropic-ai/claude-code``) or bundled with
claude-agent-sdk (``_bench.claude_code``); without it the benchmark prints claw's figures alone and passes.
The targets are set against the npm package (``CLAUDE_CODE_BIN=node_modules/.bin/claude``); the native
binary bundled with claude-agent-sdk starts faster, and the ratios against it are higher.

Run: ``uv run python benchmarks/vs_claude_code.py [ROUNDS]``. Targets (issue 12): the first request within
0.5x of Claude Code's and the whole run within 0.6x (medians of the pair-by-pair ratios); the exit status
is 1 when one is missed. The load average is printed beside them: on a busy machine both tools slow down,
but not alike, so quote ratios taken on a quiet one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench import MODEL, beside_claude_code
from claw_testkit.mock_anthropic import MockAnthropicServer

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 9
#: claw / Claude Code, at most: time to the first Messages request, and to the end of the run.
TARGETS = {"first request": 0.5, "whole run": 0.6}


def _run(argv: list[str], env: dict[str, str], cwd: Path, server: MockAnthropicServer) -> tuple[float, float]:
    """(ms to the first Messages request, ms to exit) for one process."""
    seen = len(server.requests)
    start = time.time()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    wall = (time.time() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    firsts = [r.received_at for r in server.requests[seen:] if r.path.split("?")[0].endswith("/v1/messages")]
    if not firsts:
        raise SystemExit(f"{argv[0]} made no Messages request")
    return (firsts[0] - start) * 1000, wall


def main() -> int:
    with beside_claude_code("claw-vs-cc-") as c:
        claw_argv = [c.claw, "-p", "hello", "--model", f"anthropic/{MODEL}"]
        claude_argv = [c.claude, "-p", "hello", "--model", MODEL] if c.claude else None
        rows: dict[str, list[tuple[float, float]]] = {"claw": [], "claude": []}
        _run(claw_argv, c.claw_env, c.workspace, c.server)  # warm-up: bytecode, page cache
        if claude_argv:
            _run(claude_argv, c.claude_env, c.workspace, c.server)
        for _ in range(ROUNDS):
            rows["claw"].append(_run(claw_argv, c.claw_env, c.workspace, c.server))
            if claude_argv:
                rows["claude"].append(_run(claude_argv, c.claude_env, c.workspace, c.server))
    for name, runs in rows.items():
        if runs:
            first = statistics.median(r[0] for r in runs)
            wall = statistics.median(r[1] for r in runs)
            print(
                f"{name:7} first request {first:7.0f} ms   whole run {wall:7.0f} ms   (median of {len(runs)})"
            )
    if not rows["claude"]:
        print("Claude Code not found (CLAUDE_CODE_BIN, PATH, claude-agent-sdk): claw's figures only")
        return 0
    pairs = list(zip(rows["claw"], rows["claude"], strict=True))
    missed = False
    print(f"claw / Claude Code (load average {os.getloadavg()[0]:.1f}):")
    for i, (figure, target) in enumerate(TARGETS.items()):
        ratio = statistics.median(a[i] / b[i] for a, b in pairs)
        ok = ratio <= target
        missed |= not ok
        print(f"  {figure:14} {ratio:.2f}x   target <= {target:.2f}x   {'met' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
