"""Tools a plugin adds mid-session (an MCP server authorised through ``McpAuth``) are offered from the
next model request on, and ``SessionContext.available_tools`` follows."""

from __future__ import annotations

from claw.testing.script import Reply, Text, ToolCall

UNLOCK = """
import claw
from claw import Tool, ToolResult, ToolSpec

SEEN = []


class Secret(Tool):
    spec = ToolSpec(name="Secret", description="Tell the secret.", read_only=True)

    async def run(self, input, ctx):
        return ToolResult(content="the secret is 42")


class Unlock(Tool):
    spec = ToolSpec(name="Unlock", description="Unlock more tools.", read_only=True)

    async def run(self, input, ctx):
        ctx.session.add_tool(Secret())
        return ToolResult(content="unlocked")


class Offered(Tool):
    spec = ToolSpec(name="Offered", description="List the offered tools.", read_only=True)

    async def run(self, input, ctx):
        return ToolResult(content=",".join(sorted(s.name for s in ctx.session.available_tools)))


@claw.hookimpl
def claw_register_tools(register):
    register(Unlock())
    register(Offered())
"""


def test_a_tool_added_during_a_tool_call_is_offered_next_request(claw, loop_env, plugin_module):
    plugin_module("unlock_tools", UNLOCK)
    loop_env.script(
        Reply(ToolCall("Unlock", {})),
        Reply(ToolCall("Secret", {}), ToolCall("Offered", {})),
        Reply(Text("done")),
    )
    claw("-p", "unlock", "--tools", "Unlock,Offered").assert_success()
    names = [[t["name"] for t in r["tools"]] for r in loop_env.requests]
    assert "Secret" not in names[0] and "Secret" in names[1] and "Secret" in names[2]
    results = loop_env.requests[2]["messages"][-1]["content"]
    assert [r["content"] for r in results] == ["the secret is 42", "Offered,Secret,Unlock"]
