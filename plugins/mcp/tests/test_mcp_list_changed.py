"""``notifications/tools/list_changed`` from a real server: ``claw -p`` offers the new tool list to the
model from its next request, as Claude Code does."""

from __future__ import annotations

import json
from pathlib import Path

from claw.testing.script import Reply, Text, ToolCall
from mcp_fixture_servers import write_changing_server


def test_tool_list_change_reaches_the_next_model_request(
    claw, scripted, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    command = write_changing_server(tmp_path)
    servers = {"dyn": {"command": command[0], "args": command[1:]}}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    scripted.script(
        Reply(ToolCall("mcp__dyn__grow", {}, id="toolu_grow")),
        Reply(ToolCall("mcp__dyn__extra", {}, id="toolu_extra")),
        Reply(Text("done")),
    )
    res = claw(
        "-p",
        "grow it",
        "--model",
        "scripted/default",
        "--allowed-tools",
        "mcp__dyn",
        "--output-format",
        "json",
    )
    res.assert_success()
    first, second, third = scripted.requests
    before = {t["name"] for t in first["tools"]}
    after = {t["name"] for t in second["tools"]}
    assert {"mcp__dyn__grow", "mcp__dyn__gone"} <= before and "mcp__dyn__extra" not in before
    assert "mcp__dyn__extra" in after and "mcp__dyn__gone" not in after
    results = {
        block["tool_use_id"]: block
        for message in third["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    }
    assert not results["toolu_extra"].get("is_error"), results["toolu_extra"]
    assert "extra ran" in json.dumps(results["toolu_extra"]["content"])
    assert res.json()["result"] == "done"
