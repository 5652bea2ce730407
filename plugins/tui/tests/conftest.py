"""Fixtures: a :class:`claw_tui.app.ClawTui` on a real claw app, the scripted model and two test tools,
for Textual's Pilot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

#: ``Touch`` writes a file (so it needs approval in the default mode), ``Echo`` only reads, ``Quiz``
#: asks the user (as AskUser does).
TOOLS = """
import claw
from claw import Tool, ToolResult, ToolSpec


class Touch(Tool):
    spec = ToolSpec(name="Touch", description="Create a file.",
                    input_schema={"type": "object", "properties": {"name": {"type": "string"}},
                                  "required": ["name"]})

    async def run(self, input, ctx):
        (ctx.workspace / input["name"]).write_text("touched")
        return ToolResult(content="created " + input["name"])


class Echo(Tool):
    spec = ToolSpec(name="Echo", description="Echo text back.", read_only=True,
                    input_schema={"type": "object", "properties": {"text": {"type": "string"}}})

    async def run(self, input, ctx):
        return ToolResult(content="echo: " + input["text"])


class Quiz(Tool):
    spec = ToolSpec(name="Quiz", description="Ask the user.", read_only=True,
                    input_schema={"type": "object", "properties": {"q": {"type": "string"}}})

    async def run(self, input, ctx):
        answer = await ctx.ask(input["q"], ["red", "blue"])
        return ToolResult(content="the user said " + str(answer))


@claw.hookimpl
def claw_register_tools(register):
    register(Touch())
    register(Echo())
    register(Quiz())
"""


@pytest.fixture
def make_tui(scripted: Any, plugin_module: Any, workspace: Path) -> Callable[..., Any]:
    """``make_tui(initial=None, **options)``: the UI for a session in ``workspace`` answered by the
    scripted model (queue its replies with ``scripted.script``), with the Touch and Quiz tools."""
    import claw
    from claw_tui.app import ClawTui

    plugin_module("tui_test_tools", TOOLS)

    def make(initial: str | None = None, **options: Any) -> ClawTui:
        context = claw.CommandContext.create(workspace=workspace)
        return ClawTui(context, claw.LoopOptions(model="scripted/default", **options), initial)

    return make
