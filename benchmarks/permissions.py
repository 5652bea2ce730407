"""Permission decisions per second: ``PermissionGate.check`` with claw-permissions' rule engine, on
typical calls with typical rules.

Run: ``uv run python benchmarks/permissions.py [--seconds S]``. A mix of calls (reads and edits of
workspace files, allowed and compound shell commands, a WebFetch, an MCP tool) against a dozen rules
from two settings files, in ``workspace-write`` mode, in one event loop. Target: > 50,000/s, measured
per CPU second of this process (the wall-clock rate is printed too; on a shared machine it mostly
measures the load).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from claw import Access, Tool, ToolContext, ToolResult, ToolSpec
from claw._config import Layer, validate
from claw_permissions import PermissionEngine

TARGET = 50_000


class _Tool(Tool):
    def __init__(self, name: str, kind: str | None, key: str = "", read_only: bool = False) -> None:
        self.spec = ToolSpec(name=name, description=name, read_only=read_only)
        self.kind, self.key = kind, key

    def access(self, input: Any, ctx: ToolContext) -> list[Access]:
        if self.kind is None:
            return []
        field = {"read": "path", "write": "path", "execute": "command", "network": "url"}[self.kind]
        return [Access(kind=self.kind, **{field: input[self.key]})]

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return ToolResult()


class _ParsedBash(_Tool):
    """``Bash`` as the engine sees it: the accesses the installed shell tool declares for a line
    (one execute per simple command, read by tree-sitter-bash, and its redirections), computed once
    per distinct line so the loop measures the engine. ``--real-bash`` measures the tool's
    ``access()`` too (it also resolves the shell's cwd and the line's writes on every call)."""

    def __init__(self, real: bool) -> None:
        from importlib.metadata import entry_points

        module = next(ep for ep in entry_points(group="claw") if ep.name == "shell").load()
        found: list[Tool] = []
        module.claw_register_tools(register=found.append)
        self.tool = next(t for t in found if t.name == "Bash")
        self.spec = self.tool.spec
        self.real = real
        self.seen: dict[str, list[Access]] = {}

    def access(self, input: Any, ctx: ToolContext) -> list[Access]:
        if self.real:
            return self.tool.access(input, ctx)
        command = input["command"]
        if command not in self.seen:
            self.seen[command] = self.tool.access(input, ctx)
        return self.seen[command]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--real-bash", action="store_true", help="call Bash.access() on every decision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        (ws / "src").mkdir(parents=True)
        cfg = Path(tmp) / "config"
        layers = [
            Layer("user", str(cfg / "settings.json"), {"permissions": {
                "allow": ["Bash(git status)", "Bash(git diff *)", "WebFetch(domain:docs.python.org)"],
                "deny": ["Read(~/.ssh/**)", "Bash(curl *)"]}}, cfg),
            Layer("project", str(ws / ".claw/settings.json"), {"permissions": {
                "allow": ["Bash(npm run test:*)", "Bash(pytest *)", "Edit(/src/**)", "mcp__github__get_issue"],
                "ask": ["Bash(git push *)"],
                "deny": ["Read(./.env)", "Edit(/secrets/**)", "Bash(rm -rf *)"]}}, ws),
        ]  # fmt: skip
        engine = PermissionEngine(
            settings=validate(layers), workspace=ws, mode="workspace-write", env=os.environ
        )
        read = _Tool("Read", "read", "file_path", read_only=True)
        edit = _Tool("Edit", "write", "file_path")
        bash = _ParsedBash(args.real_bash)
        fetch = _Tool("WebFetch", "network", "url", read_only=True)
        mcp = _Tool("mcp__github__get_issue", None)
        calls = [
            (read, {"file_path": "src/app.py"}),
            (edit, {"file_path": "src/app.py"}),
            (bash, {"command": "pytest -q tests"}),
            (bash, {"command": "npm run test && git status"}),
            (read, {"file_path": str(ws / "README.md")}),
            (fetch, {"url": "https://docs.python.org/3/"}),
            (mcp, {"issue": 1}),
            (bash, {"command": "git diff HEAD~1 | head -50"}),
            (read, {"file_path": ".env"}),
            (bash, {"command": "git push origin main"}),
        ]
        ctx = ToolContext(workspace=ws, session_id="bench", env=os.environ)

        async def run(deadline: float) -> tuple[int, dict[str, int]]:
            n, seen = 0, {}
            while time.perf_counter() < deadline:
                for tool, tool_input in calls:
                    verdict = await engine.check(tool, tool_input, ctx)
                    seen[verdict.decision] = seen.get(verdict.decision, 0) + 1
                n += len(calls)
            return n, seen

        asyncio.run(run(time.perf_counter() + 0.2))  # warm up
        start, cpu = time.perf_counter(), time.process_time()
        n, seen = asyncio.run(run(start + args.seconds))
        wall_rate = n / (time.perf_counter() - start)
        rate = n / (time.process_time() - cpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {load:.1f}: {n} decisions, {seen}")
    print(f"wall clock: {wall_rate:,.0f} decisions/s")
    ok = rate > TARGET
    print(
        f"permission decisions per CPU second: {rate:,.0f} (target > {TARGET:,}) {'ok' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
