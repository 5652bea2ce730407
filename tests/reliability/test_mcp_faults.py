"""MCP servers that misbehave in volume, over stdio with the real MCP SDK: one that floods the client
with notifications while a call runs, and one that answers with 10 MB. The run completes, the model
sees a bounded result (``MAX_MCP_OUTPUT_TOKENS``), and claw's memory stays bounded."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from claw.testing.script import Reply, Text, ToolCall
from transcripts import all_tool_results

NOISY_SERVER = textwrap.dedent(
    """
    from mcp.server.mcpserver import Context, MCPServer

    server = MCPServer("noisy")

    @server.tool()
    async def flood(ctx: Context) -> str:
        '''Send 5,000 log notifications, then answer.'''
        for i in range(5000):
            await ctx.info(f"notification {i}")
        return "flood done"

    @server.tool()
    def huge() -> str:
        '''Answer with 10 MB of text.'''
        return "x" * (10 * 1024 * 1024)

    server.run()
    """
)


def test_a_flood_of_notifications_and_a_10_mb_result(claw, model, workspace: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "noisy_server.py"
    script.write_text(NOISY_SERVER)
    (workspace / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"noisy": {"command": sys.executable, "args": [str(script)]}}})
    )
    model.script(
        Reply(ToolCall("mcp__noisy__flood", {}, id="toolu_flood")),
        Reply(ToolCall("mcp__noisy__huge", {}, id="toolu_huge")),
        Reply(Text("survived both")),
    )
    res = claw.subprocess(
        "-p", "go", "--output-format", "json", "--dangerously-skip-permissions", timeout=180
    )
    assert res.exit_code == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert res.json()["result"] == "survived both"
    flood, huge = (r["content"] for r in all_tool_results(model.requests[-1:]))
    assert "flood done" in json.dumps(flood)
    text = json.dumps(huge)
    assert "MCP tool output truncated" in text and len(text) < 200_000  # 25k tokens, not 10 MB
