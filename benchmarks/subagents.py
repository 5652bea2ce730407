"""Sub-agent start: from the ``Agent`` call to the sub-agent's first model request.

Two figures: an in-process sub-agent (the ``Agent`` tool's ``run`` in a started session: definitions
read, child session opened, tools narrowed, system prompt built, up to the scripted provider receiving
the child's request; target under 150 ms) and a sub-agent as a process (a ``claw -p`` child started
with ``subprocess``, up to its first request; target under 500 ms). Exits 1 when a median misses its
target. Run: ``uv run python benchmarks/subagents.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench import first_request_ms, setup

REPEATS = 9
IN_PROCESS_TARGET_MS = 150.0
PROCESS_TARGET_MS = 500.0


def in_process(workspace: Path) -> list[float]:
    from claw._app import App
    from claw._loop import AgentLoop, LoopOptions
    from claw._output import Renderer
    from claw.testing import scripted_provider
    from claw.testing.script import Reply, Text

    first: list[float] = []

    def respond(request):  # type: ignore[no-untyped-def]
        first.append(time.perf_counter())
        return Reply(Text("done"))

    scripted_provider.RESPONDER = respond

    async def run() -> list[float]:
        loop = AgentLoop(App(workspace=workspace), LoopOptions(model="scripted/default"), Renderer())
        times = []
        try:
            await loop.start()
            agent = loop.tools["Agent"]
            for _ in range(REPEATS):
                first.clear()
                t0 = time.perf_counter()
                result = await agent.run({"description": "bench", "prompt": "hello"}, loop.tool_ctx)
                assert not result.is_error, result.content
                times.append((first[0] - t0) * 1000)
        finally:
            await loop.close()
        return times

    return asyncio.run(run())


def main() -> int:
    workspace = setup()
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    ip = in_process(workspace)
    sp = first_request_ms(workspace, REPEATS, "--no-session-persistence")
    ip_median, sp_median = statistics.median(ip), statistics.median(sp)
    print("sub-agent spawn to first model request")
    print(
        f"  in-process: median {ip_median:.1f} ms, min {min(ip):.1f} ms (target < {IN_PROCESS_TARGET_MS:.0f} ms)"
    )
    print(
        f"  claw -p process: median {sp_median:.0f} ms, min {min(sp):.0f} ms (target < {PROCESS_TARGET_MS:.0f} ms)"
    )
    missed = [
        name
        for name, value, target in (
            ("in-process", ip_median, IN_PROCESS_TARGET_MS),
            ("process", sp_median, PROCESS_TARGET_MS),
        )
        if value >= target
    ]
    if missed:
        print(f"missed target: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
