"""The Python Claude Agent SDK's ``query()`` to its first assistant message, with claw as the CLI beside
Claude Code, both against the same instant loopback Anthropic server.

What an SDK application waits for before anything happens: spawning the CLI, the ``initialize``
handshake, the session start, the first model request and its streamed answer. The two CLIs run in turn
(A B A B ...) so a drifting machine affects both alike; the ratio is computed pair by pair and its median
quoted. Claude Code is looked for in ``CLAUDE_CODE_BIN``, as ``claude`` on PATH or bundled with
claude-agent-sdk (``_bench.claude_code``); without it the benchmark prints claw's figure alone.

Run: ``uv run python benchmarks/agent_sdk.py [ROUNDS]``. Target (issue 20): claw within 0.6x of Claude
Code's time (a ratio of 0.6 or less); exits 1 when it misses it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time

from _bench import MODEL, beside_claude_code
from claude_agent_sdk import AssistantMessage, ClaudeAgentOptions, query

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 9
TARGET = 0.6


async def _first_assistant(options: ClaudeAgentOptions) -> float:
    """ms from calling ``query()`` to its first :class:`AssistantMessage` (the rest is drained)."""
    start = time.perf_counter()
    first = None
    async for message in query(prompt="hello", options=options):
        if first is None and isinstance(message, AssistantMessage):
            first = (time.perf_counter() - start) * 1000
    if first is None:
        raise SystemExit(f"{options.cli_path} gave no assistant message")
    return first


def main() -> int:
    # The SDK adds its own process's environment: keep bytecode caching on there too, as users run it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with beside_claude_code("claw-sdk-bench-") as c:
        claw = ClaudeAgentOptions(
            cli_path=c.claw, cwd=str(c.workspace), env=c.claw_env, model=f"anthropic/{MODEL}"
        )
        claude = ClaudeAgentOptions(cli_path=c.claude, cwd=str(c.workspace), env=c.claude_env, model=MODEL)
        rows: dict[str, list[float]] = {"claw": [], "claude": []}
        asyncio.run(_first_assistant(claw))  # warm-up: bytecode, page cache
        if c.claude:
            asyncio.run(_first_assistant(claude))
        for _ in range(ROUNDS):
            rows["claw"].append(asyncio.run(_first_assistant(claw)))
            if c.claude:
                rows["claude"].append(asyncio.run(_first_assistant(claude)))
    for name, runs in rows.items():
        if runs:
            print(
                f"{name:7} query() to first assistant message {statistics.median(runs):7.0f} ms (median of {len(runs)})"
            )
    if not rows["claude"]:
        print("Claude Code not found (CLAUDE_CODE_BIN, PATH, claude-agent-sdk): claw's figure only")
        return 0
    ratio = statistics.median(a / b for a, b in zip(rows["claw"], rows["claude"], strict=True))
    print(f"claw / Claude Code: {ratio:.2f}x (target {TARGET}x or less)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
