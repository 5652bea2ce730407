"""Fixtures for the line REPL's tests: the scripted model as the default and two test tools, ``Touch``
(writes a file, so it needs approval) and ``Nap`` (sleeps, to be interrupted); both log to ``tools.log``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TOOLS = """
import asyncio
from claw import Tool, ToolResult, ToolSpec, hookimpl


def _log(ctx, line):
    with open(ctx.workspace / "tools.log", "a") as fh:
        fh.write(line + "\\n")


class Touch(Tool):
    spec = ToolSpec(name="Touch", description="Create a file.",
                    input_schema={"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]})

    async def run(self, input, ctx):
        (ctx.workspace / input["name"]).write_text("touched")
        _log(ctx, "touch " + input["name"])
        return ToolResult(content="created " + input["name"])


class Nap(Tool):
    spec = ToolSpec(name="Nap", description="Sleep.", read_only=True,
                    input_schema={"type": "object", "properties": {"seconds": {"type": "number"}}})

    async def run(self, input, ctx):
        _log(ctx, "nap")
        await asyncio.sleep(float(input.get("seconds", 30)))
        return ToolResult(content="rested")


@hookimpl
def claw_register_tools(register):
    register(Touch())
    register(Nap())
"""


@pytest.fixture
def loop_env(scripted, plugin_module, claw_env):  # type: ignore[no-untyped-def]
    """The scripted provider as the default model, plus the test tools ``Touch`` and ``Nap``."""
    plugin_module("repl_test_tools", TOOLS)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted
