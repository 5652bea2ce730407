"""Peak RSS over a 1,000-turn tool-using session: memory must stay flat apart from the transcript
itself (the messages the model is sent each turn). Prints RSS every 100 turns next to the size of the
transcript as JSON. The transcript's Python objects take about 2.8 KB per turn here (measured with
tracemalloc: two messages, three content blocks); the target allows RSS to grow by at most 10 KB per
turn, i.e. nothing but the transcript and allocator slack.
Run: ``uv run python benchmarks/long_session_rss.py``.
"""

from __future__ import annotations

import asyncio
import json
import resource

from _bench import rss_mb, setup

TURNS = 1000


def main() -> None:
    workspace = setup()
    from claw._app import App
    from claw._loop import AgentLoop, LoopOptions
    from claw._output import Renderer
    from claw.testing import scripted_provider
    from claw.testing.script import Reply, Text, ToolCall

    samples: list[tuple[int, float, int]] = []
    state = {"n": 0, "loop": None}

    def respond(request):  # type: ignore[no-untyped-def]
        state["n"] += 1
        n = state["n"]
        if n % 100 == 0:
            size = len(json.dumps([m.model_dump(mode="json") for m in request.messages]))
            samples.append((n, rss_mb(), size))
        if n < TURNS:
            return Reply(Text("step"), ToolCall("Noop", {}))
        return Reply(Text("done"))

    scripted_provider.RESPONDER = respond
    loop = AgentLoop(App(workspace=workspace), LoopOptions(model="scripted/default"), Renderer())

    async def run() -> None:
        try:
            await loop.start()
            outcome = await loop.run_prompt("go")
            assert outcome.result["num_turns"] == TURNS
        finally:
            await loop.close()

    asyncio.run(run())
    print(f"RSS over a {TURNS}-turn session (turn, RSS MB, transcript JSON KB)")
    for n, rss, size in samples:
        print(f"  {n:5d}  {rss:7.1f}  {size / 1024:8.1f}")
    first, last = samples[0], samples[-1]
    growth = (last[1] - first[1]) * 1024 / (last[0] - first[0])
    transcript = (last[2] - first[2]) / 1024 / (last[0] - first[0])
    print(f"  growth: {growth:.2f} KB/turn RSS vs {transcript:.2f} KB/turn transcript JSON")
    print(f"  peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")
    if growth > 10:
        raise SystemExit("missed the target: RSS grows by more than 10 KB per turn")


if __name__ == "__main__":
    main()
