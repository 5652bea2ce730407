"""Shared set-up for the benchmarks, all without pytest: for the loop benchmarks an isolated environment,
the in-process ``scripted`` provider and one trivial read-only tool; for those that run claw beside Claude
Code (``vs_claude_code.py``, ``agent_sdk.py``, ``tui.py``) the loopback Anthropic server and the two
environments (:func:`beside_claude_code`)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claw_testkit.mock_anthropic import MockAnthropicServer

#: The model both CLIs are asked for (claw addresses it as ``anthropic/<MODEL>``).
MODEL = "claude-sonnet-4-6"

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


def first_request_ms(workspace: Path, repeats: int, *args: str) -> list[float]:
    """``repeats`` runs of ``claw -p hello --model scripted/default ARGS`` as a process (after :func:`setup`):
    milliseconds from its start to its first model request, as the scripted provider's request log's
    mtime says."""
    import json
    import subprocess
    import time

    from claw.testing.script import Reply, Text
    from claw.testing.scripted_provider import write_script

    script = workspace.parent / "script.json"
    env = {**os.environ, "CLAW_SCRIPT": str(script)}
    exe = str(Path(sys.executable).with_name("claw"))
    times = []
    for _ in range(repeats):
        write_script(script, [Reply(Text("done"))])
        log = script.with_name(script.name + ".log.jsonl")
        log.unlink(missing_ok=True)
        t0 = time.time()
        subprocess.run(
            [exe, "-p", "hello", "--model", "scripted/default", *args],
            env=env,
            cwd=workspace,
            capture_output=True,
            check=True,
        )
        json.loads(log.read_text().splitlines()[0])  # a request was logged
        times.append((log.stat().st_mtime - t0) * 1000)
    return times


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


def claude_code() -> str | None:
    """Claude Code's binary: ``CLAUDE_CODE_BIN``, else ``claude`` on PATH, else the one bundled with
    claude-agent-sdk (what the SDK itself runs); ``None`` when there is none."""
    found = os.environ.get("CLAUDE_CODE_BIN") or shutil.which("claude")
    if found:
        return found
    try:
        import claude_agent_sdk
    except ImportError:
        return None
    bundled = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    return str(bundled) if bundled.exists() else None


@dataclass
class Contest:
    """claw and Claude Code set up to run the same prompt against the same server."""

    workspace: Path
    #: the loopback Anthropic server; it answers every request with "hello"
    server: MockAnthropicServer
    #: ``claw``'s path, beside this interpreter
    claw: str
    #: claw's isolated environment, with bytecode caching on as users run it
    claw_env: dict[str, str]
    #: Claude Code's binary (:func:`claude_code`), ``None`` when not found
    claude: str | None
    #: Claude Code's environment: a fresh home, no non-essential traffic
    claude_env: dict[str, str]


@contextmanager
def beside_claude_code(prefix: str, extra_env: dict[str, str] | None = None) -> Iterator[Contest]:
    """A fresh directory named ``prefix...`` with a workspace, and a loopback Anthropic server both CLIs
    are pointed at (``extra_env`` is added to both environments, e.g. ``TERM``); the server stops on exit."""
    from claw.testing import isolated_env
    from claw.testing.script import Reply, Text
    from claw_testkit.mock_anthropic import MockAnthropicServer

    root = Path(tempfile.mkdtemp(prefix=prefix))
    workspace = root / "ws"
    workspace.mkdir()
    cc_home = root / "cc-home"
    cc_home.mkdir()
    with MockAnthropicServer() as server:
        server.respond_with(lambda request: Reply(Text("hello")))
        common = {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "sk-ant-bench", **(extra_env or {})}
        claw_env = {**isolated_env(root / "claw"), **common}
        claw_env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure with bytecode caching, as users run it
        claude_env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(cc_home),
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "IS_SANDBOX": "1",
            **common,
        }
        claw = str(Path(sys.executable).with_name("claw"))
        claude = claude_code()
        # The npm package (node) is what the targets are set against; the native build bundled with
        # claude-agent-sdk starts faster, so every comparison says which one its ratios are against.
        print(f"Claude Code: {claude or 'not found'}")
        yield Contest(workspace, server, claw, claw_env, claude, claude_env)
