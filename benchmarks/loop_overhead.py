"""Per-turn overhead of the agent loop: a 50-turn tool-using session against an instantly answering
in-process provider (``scripted``), so the time measured is claw's own: building requests, streaming
events, permission checks, hooks, tool dispatch, session writes (fsynced) and rendering.

Target: < 5 ms per turn. Run: ``uv run python benchmarks/loop_overhead.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from _bench import setup, tool_then_stop

TURNS = 50
REPEATS = 5


def main() -> None:
    workspace = setup()
    from claw._app import App
    from claw._loop import AgentLoop, LoopOptions
    from claw._output import Renderer
    from claw.testing import scripted_provider

    per_turn: list[float] = []
    starts: list[float] = []
    for _ in range(REPEATS):
        scripted_provider.RESPONDER = tool_then_stop(TURNS)
        app = App(workspace=workspace)
        loop = AgentLoop(app, LoopOptions(model="scripted/default"), Renderer())

        async def run(loop: AgentLoop = loop) -> tuple[float, float]:
            t0 = time.perf_counter()
            await loop.start()
            t1 = time.perf_counter()
            outcome = await loop.run_prompt("go")
            t2 = time.perf_counter()
            await loop.close()
            assert outcome.result["num_turns"] == TURNS, outcome.result
            return t1 - t0, t2 - t1

        start_s, run_s = asyncio.run(run())
        starts.append(start_s * 1000)
        per_turn.append(run_s * 1000 / TURNS)
    print(f"loop overhead, {TURNS}-turn tool-using session, {REPEATS} runs")
    print(
        f"  per turn: median {statistics.median(per_turn):.2f} ms, min {min(per_turn):.2f} ms, max {max(per_turn):.2f} ms"
        "  (target < 5 ms)"
    )
    print(
        f"  session start (plugins, tools, system prompt, session file): median {statistics.median(starts):.1f} ms"
    )


if __name__ == "__main__":
    main()
