"""Shared fixtures for the kernel's loop and session tests: small test tools in a plugin module and a
configured ``scripted`` model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TOOLS = """
import asyncio
import claw
from claw import HookOutcome, Tool, ToolError, ToolResult, ToolSpec, StashKey

CALLS = StashKey()


def _log(ctx, line):
    with open(ctx.workspace / "tools.log", "a") as fh:
        fh.write(line + "\\n")


class Echo(Tool):
    spec = ToolSpec(name="Echo", description="Echo text back.", read_only=True,
                    input_schema={"type": "object", "properties": {"text": {"type": "string"},
                                  "delay": {"type": "number"}}})

    async def run(self, input, ctx):
        calls = ctx.stash.setdefault(CALLS, [])
        calls.append(input.get("text"))
        n = len(calls)
        _log(ctx, "start " + str(input.get("text")))
        await asyncio.sleep(float(input.get("delay", 0)))
        _log(ctx, "end " + str(input.get("text")))
        return ToolResult(content="echo: " + str(input.get("text")) + " #" + str(n))


class Touch(Tool):
    spec = ToolSpec(name="Touch", description="Create a file.",
                    input_schema={"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]})

    async def run(self, input, ctx):
        (ctx.workspace / input["name"]).write_text("touched")
        _log(ctx, "touch " + input["name"])
        return ToolResult(content="created " + input["name"])


class Boom(Tool):
    spec = ToolSpec(name="Boom", description="Always fails.", read_only=True)

    async def run(self, input, ctx):
        raise RuntimeError("kaboom")


class Nap(Tool):
    spec = ToolSpec(name="Nap", description="Sleep.", read_only=True,
                    input_schema={"type": "object", "properties": {"seconds": {"type": "number"}}})

    async def run(self, input, ctx):
        _log(ctx, "nap")
        await asyncio.sleep(float(input.get("seconds", 30)))
        return ToolResult(content="rested")


@claw.hookimpl
def claw_register_tools(register):
    for tool in (Echo(), Touch(), Boom(), Nap()):
        register(tool)
"""


@pytest.fixture
def loop_env(scripted, plugin_module, claw_env):  # type: ignore[no-untyped-def]
    """The scripted provider as the default model, plus the test tools (Echo, Touch, Boom, Nap)."""
    plugin_module("loop_test_tools", TOOLS)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted


@pytest.fixture
def session_events(claw_env, workspace):  # type: ignore[no-untyped-def]
    """``session_events(session_id)``: the events of a session of this workspace."""
    from claw import paths

    def read(session_id: str) -> list[dict]:
        path = paths.sessions_dir(workspace, claw_env) / f"{session_id}.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    return read
