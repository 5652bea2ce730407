"""MCP start-up benchmark: a session with 5 stdio servers (``mcp-server-time``) configured.

Servers start in parallel, so session start-up should be close to the slowest server, not the sum
of all five. Measures, per run: the session start (``claw_session_start`` through the plugin's hook
with a real ``claw.SessionContext``, until every server is connected and its tools listed), each
server's own time to connected, and for comparison the same five servers started one after another.

Run: ``uv run python benchmarks/mcp_startup.py [--servers 5] [--runs 3]``. Prints medians in ms.
Target: the parallel start is within 10% (+100 ms) of the slowest server in it. On a small machine
the servers' own start-up (Python importing the MCP SDK) competes for the cores, so each server is
slower in a crowd than alone; that is the servers' cost, not claw's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import claw
from claw_mcp import plugin
from claw_mcp.session import MANAGER

TIME_SERVER = str(Path(sys.executable).with_name("mcp-server-time"))


async def session_start(workspace: Path, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """One session start and end; returns (wall seconds, {server: seconds to connected})."""
    session = claw.SessionContext(session_id="bench", workspace=workspace, settings={}, env=env)
    start = time.perf_counter()
    await plugin.claw_session_start(session)
    wall = time.perf_counter() - start
    manager = session.stash[MANAGER]
    per_server = dict(manager.startup_seconds)
    bad = [s for s in session.statuses if s["status"] != "connected"]
    await plugin.claw_session_end(session)
    if bad:
        raise SystemExit(f"servers did not connect: {bad}")
    return wall, per_server


def configure(workspace: Path, names: list[str]) -> None:
    servers = {name: {"command": TIME_SERVER, "args": ["--local-timezone", "UTC"]} for name in names}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    names = [f"time{i}" for i in range(args.servers)]
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "workspace"
        workspace.mkdir()
        env = {**os.environ, "CLAW_STATE_DIR": f"{tmp}/state", "CLAW_CONFIG_DIR": f"{tmp}/config"}
        configure(workspace, names[:1])
        asyncio.run(session_start(workspace, env))  # warm the page cache

        parallel, slowest, summed, sequential = [], [], [], []
        for _ in range(args.runs):
            configure(workspace, names)
            wall, per_server = asyncio.run(session_start(workspace, env))
            parallel.append(wall)
            slowest.append(max(per_server.values()))
            summed.append(sum(per_server.values()))
            total = 0.0
            for name in names:  # the same servers, one session each, one after another
                configure(workspace, [name])
                total += asyncio.run(session_start(workspace, env))[0]
            sequential.append(total)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:7.0f} ms"

    cpus = os.cpu_count()
    print(
        f"MCP session start-up, {args.servers} stdio servers (mcp-server-time), {cpus} CPUs, median of {args.runs} runs"
    )
    print(f"  parallel session start (all connected): {ms(parallel)}")
    print(f"  slowest single server within it:        {ms(slowest)}")
    print(f"  sum of the servers' times within it:    {ms(summed)}")
    print(f"  the same servers started one by one:    {ms(sequential)}")
    ratio = statistics.median(parallel) / statistics.median(sequential)
    print(f"  parallel / sequential:                  {ratio:7.2f}")
    target = statistics.median(slowest) * 1.1 + 0.1
    if statistics.median(parallel) > target:
        print("  MISSED: parallel start exceeds the slowest server by more than 10% (+100 ms)")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
