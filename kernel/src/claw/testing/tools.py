"""Small test tools, as the source of a plugin module (:func:`plugin_module` loads it): ``Echo`` answers
``echo: <text> #<n>`` (after an optional ``delay``), ``Touch`` creates a file (so the default mode asks),
``Boom`` always raises, ``Nap`` sleeps (to be interrupted). ``Touch`` and ``Nap`` append a line to the
workspace's ``tools.log``, so a test sees what ran. The :func:`claw.testing.plugin.loop_env` fixture loads
them with the ``scripted`` model as the default."""

from __future__ import annotations

#: The plugin module's source.
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
