"""The Python Claude Agent SDK's ``query()`` to its first assistant message, with claw as the CLI beside
Claude Code, both against the same instant loopback Anthropic server.

What an SDK application waits for before anything happens: spawning the CLI, the ``initialize``
handshake, the session start, the first model request and its streamed answer. The two CLIs run in turn
(A B A B ...) so a drifting machine affects both alike; the ratio is computed pair by pair and its median
quoted. Claude Code is looked for in ``CLAUDE_CODE_BIN`` or as ``claude`` on PATH; without it the
benchmark prints claw's figure alone.

Run: ``uv run python benchmarks/agent_sdk.py [ROUNDS]``. Target (issue 20): claw within 0.6x of Claude
Code's time (a ratio of 0.6 or less); exits 1 when it misses it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from claude_agent_sdk import AssistantMessage, ClaudeAgentOptions, query
from claw.testing import isolated_env
from claw.testing.script import Reply, Text
from claw_testkit.mock_anthropic import MockAnthropicServer

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 9
MODEL = "claude-sonnet-4-6"
TARGET = 0.6


def _claude() -> str | None:
    return os.environ.get("CLAUDE_CODE_BIN") or shutil.which("claude")


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
    root = Path(tempfile.mkdtemp(prefix="claw-sdk-bench-"))
    workspace = root / "ws"
    workspace.mkdir()
    with MockAnthropicServer() as server:
        server.respond_with(lambda request: Reply(Text("hello")))
        common = {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "sk-ant-bench"}
        claw_env = {**isolated_env(root / "claw"), **common}
        # Measure with bytecode caching, as users run it (the SDK adds its own process's environment).
        claw_env.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        cc_home = root / "cc-home"
        cc_home.mkdir()
        cc_env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(cc_home),
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "IS_SANDBOX": "1",
            **common,
        }
        claw = ClaudeAgentOptions(
            cli_path=str(Path(sys.executable).with_name("claw")),
            cwd=str(workspace),
            env=claw_env,
            model=f"anthropic/{MODEL}",
        )
        claude_bin = _claude()
        claude = ClaudeAgentOptions(cli_path=claude_bin, cwd=str(workspace), env=cc_env, model=MODEL)
        rows: dict[str, list[float]] = {"claw": [], "claude": []}
        asyncio.run(_first_assistant(claw))  # warm-up: bytecode, page cache
        if claude_bin:
            asyncio.run(_first_assistant(claude))
        for _ in range(ROUNDS):
            rows["claw"].append(asyncio.run(_first_assistant(claw)))
            if claude_bin:
                rows["claude"].append(asyncio.run(_first_assistant(claude)))
    for name, runs in rows.items():
        if runs:
            print(
                f"{name:7} query() to first assistant message {statistics.median(runs):7.0f} ms (median of {len(runs)})"
            )
    if not rows["claude"]:
        print("Claude Code not found (set CLAUDE_CODE_BIN or put `claude` on PATH): claw's figure only")
        return 0
    ratio = statistics.median(a / b for a, b in zip(rows["claw"], rows["claude"], strict=True))
    print(f"claw / Claude Code: {ratio:.2f}x (target {TARGET}x or less)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
