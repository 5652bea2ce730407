"""Fixtures for claw-sdk's tests: the scripted model as the default model, with two test tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

#: ``Touch`` writes a file (so the default mode asks before it runs); ``Nap`` sleeps, to be interrupted.
TOOLS = """
import asyncio
import claw
from claw import Tool, ToolResult, ToolSpec


class Touch(Tool):
    spec = ToolSpec(name="Touch", description="Create a file.",
                    input_schema={"type": "object", "properties": {"name": {"type": "string"}},
                                  "required": ["name"]})

    async def run(self, input, ctx):
        (ctx.workspace / input["name"]).write_text("touched")
        return ToolResult(content="created " + input["name"])


class Nap(Tool):
    spec = ToolSpec(name="Nap", description="Sleep.", read_only=True,
                    input_schema={"type": "object", "properties": {"seconds": {"type": "number"}}})

    async def run(self, input, ctx):
        await asyncio.sleep(float(input.get("seconds", 30)))
        return ToolResult(content="rested")


@claw.hookimpl
def claw_register_tools(register):
    register(Touch())
    register(Nap())
"""


@pytest.fixture
def loop_env(scripted, plugin_module, claw_env):  # type: ignore[no-untyped-def]
    """The scripted provider as the default model, plus the test tools (Touch, Nap)."""
    plugin_module("sdk_test_tools", TOOLS)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted


@pytest.fixture
def session_events(claw_env, workspace):  # type: ignore[no-untyped-def]
    """``session_events(session_id)``: the events of a session of this workspace."""
    from claw import sessions_dir

    def read(session_id: str) -> list[dict]:
        path = sessions_dir(workspace, claw_env) / f"{session_id}.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    return read
