"""End to end: ``claw -p --permission-prompt-tool mcp__approver__approve``: a real stdio MCP server
(built on the mcp SDK's ``MCPServer``) answers the permission questions for the scripted model's Bash
calls, allowing, rewriting or denying them; the file system shows what really ran."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall

APPROVER = textwrap.dedent(
    """
    import json
    import sys
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("approver")
    LOG = sys.argv[1]

    @server.tool()
    def approve(tool_name: str, input: dict, tool_use_id: str | None = None) -> str:
        \"\"\"Decide on a tool call.\"\"\"
        with open(LOG, "a") as fh:
            fh.write(json.dumps({"tool_name": tool_name, "input": input, "tool_use_id": tool_use_id}) + "\\n")
        command = input.get("command", "")
        if "rewrite-me" in command:
            return json.dumps({"behavior": "allow", "updatedInput": {**input, "command": "touch rewritten.txt"}})
        if "denied" in command:
            return json.dumps({"behavior": "deny", "message": "no denied files here"})
        if "garbage" in command:
            return "sure, go ahead"
        return json.dumps({"behavior": "allow", "updatedInput": input})

    server.run()
    """
)


@pytest.fixture
def approver(scripted, claw_env, tmp_path: Path) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """``(--mcp-config JSON, log file)``: the scripted model as default, and the approver server."""
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    script = tmp_path / "approver.py"
    script.write_text(APPROVER, encoding="utf-8")
    log = tmp_path / "asked.jsonl"
    config = {"mcpServers": {"approver": {"command": sys.executable, "args": [str(script), str(log)]}}}
    return json.dumps(config), log


def test_the_prompt_tool_allows_rewrites_and_denies_bash_calls(claw, scripted, approver, workspace: Path):  # type: ignore[no-untyped-def]
    config, log = approver
    scripted.script(
        Reply(ToolCall("Bash", {"command": "touch allowed.txt"}, id="toolu_allow")),
        Reply(ToolCall("Bash", {"command": "touch rewrite-me.txt"}, id="toolu_rewrite")),
        Reply(ToolCall("Bash", {"command": "touch denied.txt"}, id="toolu_deny")),
        Reply(ToolCall("Bash", {"command": "touch garbage.txt"}, id="toolu_garbage")),
        Reply(Text("all done")),
    )
    res = claw(
        "-p",
        "make some files",
        "--mcp-config",
        config,
        "--permission-prompt-tool",
        "mcp__approver__approve",
        "--output-format",
        "json",
    ).assert_success()
    assert res.json()["result"] == "all done"

    assert sorted(p.name for p in workspace.glob("*.txt")) == ["allowed.txt", "rewritten.txt"]
    asked = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(a["tool_name"], a["input"]["command"], a["tool_use_id"]) for a in asked] == [
        ("Bash", "touch allowed.txt", "toolu_allow"),
        ("Bash", "touch rewrite-me.txt", "toolu_rewrite"),
        ("Bash", "touch denied.txt", "toolu_deny"),
        ("Bash", "touch garbage.txt", "toolu_garbage"),
    ]
    errors = {
        b["tool_use_id"]: b["content"]
        for m in scripted.requests[-1]["messages"]
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_result" and b.get("is_error")
    }
    assert errors == {
        "toolu_deny": "no denied files here",
        "toolu_garbage": "permission prompt tool mcp__approver__approve gave an invalid answer: "
        'expected JSON like {"behavior": "allow"}, got \'sure, go ahead\'',
    }
    denials = [d["tool_use_id"] for d in res.json()["permission_denials"]]
    assert denials == ["toolu_deny", "toolu_garbage"]


def test_a_prompt_tool_that_does_not_exist_stops_the_run(claw, scripted, approver):  # type: ignore[no-untyped-def]
    config, _ = approver
    res = claw("-p", "hi", "--mcp-config", config, "--permission-prompt-tool", "mcp__approver__nope")
    res.assert_failure(
        1,
        "MCP tool mcp__approver__nope (passed via --permission-prompt-tool) not found. "
        "Available MCP tools: mcp__approver__approve",
    )
    assert scripted.requests == []


def test_with_the_prompt_tool_builtin_disabled_the_flag_stops_the_run_naming_it(
    claw, scripted, approver, claw_env
):  # type: ignore[no-untyped-def]
    config, log = approver
    claw_env["CLAW_DISABLE_PLUGINS"] = "prompt_tool"
    res = claw("-p", "hi", "--mcp-config", config, "--permission-prompt-tool", "mcp__approver__approve")
    res.assert_failure(1, "--permission-prompt-tool comes with claw's built-in plugin 'prompt_tool'")
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert scripted.requests == [] and not log.exists()
