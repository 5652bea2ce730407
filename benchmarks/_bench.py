"""Shared set-up for the loop benchmarks: an isolated environment, the in-process ``scripted`` provider
and one trivial read-only tool, all without pytest."""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
from pathlib import Path

TOOL = """
import claw
from claw import Tool, ToolResult, ToolSpec

class Noop(Tool):
    spec = ToolSpec(name="Noop", description="Does nothing.", read_only=True)

    async def run(self, input, ctx):
        return ToolResult(content="ok")

@claw.hookimpl
def claw_register_tools(register):
    register(Noop())
"""


def setup() -> Path:
    """Point this process at a fresh state/config dir and load the scripted provider and Noop tool.
    Returns the workspace."""
    from claw.testing import isolated_env

    root = Path(tempfile.mkdtemp(prefix="claw-bench-"))
    plugins = root / "plugins"
    plugins.mkdir()
    (plugins / "bench_tools.py").write_text(textwrap.dedent(TOOL))
    sys.path.insert(0, str(plugins))
    env = isolated_env(root / "env")
    env["CLAW_PLUGIN_MODULES"] = "claw.testing.scripted_provider,bench_tools"
    env["PYTHONPATH"] = str(plugins)
    env.pop("CLAW_SCRIPT", None)
    # An installed claw has compiled bytecode; measure that, not recompiling every module per start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.clear()
    os.environ.update(env)
    workspace = root / "workspace"
    workspace.mkdir()
    return workspace


def tool_then_stop(turns: int):  # type: ignore[no-untyped-def]
    """A responder: a Noop call on every turn until ``turns``, then a final text."""
    from claw.testing.script import Reply, Text, ToolCall

    count = {"n": 0}

    def respond(request):  # type: ignore[no-untyped-def]
        count["n"] += 1
        if count["n"] < turns:
            return Reply(Text("step"), ToolCall("Noop", {}))
        return Reply(Text("done"))

    return respond


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
