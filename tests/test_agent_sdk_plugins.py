"""The Agent SDK's ``plugins`` option (Claude Code plugin folders) against claw through the real Python
SDK, which passes one ``--plugin-dir`` per plugin: a folder's hooks (``hooks/hooks.json``) run and its
MCP servers (``.mcp.json``) start, with ``${CLAUDE_PLUGIN_ROOT}`` replaced by the folder as Claude Code
does, and its commands run as ``/plugin:name`` (more in ``test_plugin_folders.py``). (The TypeScript
SDK's ``initialize`` delivery is tested in ``test_agent_sdk_ts_e2e.py``.)"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from claude_agent_sdk import ClaudeAgentOptions, ResultMessage, query
from claw.testing.script import Reply, Text, ToolCall

CLAW = str(Path(sys.executable).with_name("claw"))


def _run(env: dict[str, str], workspace: Path, folder: Path, **more: Any) -> list[Any]:
    options = ClaudeAgentOptions(
        cli_path=CLAW,
        cwd=str(workspace),
        env=dict(env),
        plugins=[{"type": "local", "path": str(folder)}],
        allowed_tools=["mcp__pinger__ping"],
        **more,
    )

    async def collect() -> list[Any]:
        return [m async for m in query(prompt="ping it", options=options)]

    return asyncio.run(collect())


def test_a_plugin_folders_hooks_and_mcp_servers_apply(
    scripted_default, claw_env, workspace: Path, tmp_path: Path, plugin_folder
):  # type: ignore[no-untyped-def]
    folder = plugin_folder(tmp_path / "my plugin")
    scripted_default.script(Reply(ToolCall("mcp__pinger__ping", {}, id="toolu_ping")), Reply(Text("pinged")))
    messages = _run(claw_env, workspace, folder)
    init = messages[0]
    assert [(s["name"], s["status"]) for s in init.data["mcp_servers"]] == [("pinger", "connected")]
    assert (folder / "hooked.txt").read_text() == "hooked\n", (
        "the hook ran, its ${CLAUDE_PLUGIN_ROOT} the folder"
    )
    results = [
        block["content"]
        for block in scripted_default.requests[1]["messages"][-1]["content"]
        if block.get("type") == "tool_result"
    ]
    assert json.dumps(results).count(f"pong from {folder}") == 1
    assert isinstance(messages[-1], ResultMessage) and messages[-1].result == "pinged"


def test_a_folder_without_mcp_servers_runs_its_hooks(
    scripted_default, claw_env, workspace: Path, tmp_path: Path, plugin_folder
):  # type: ignore[no-untyped-def]
    folder = plugin_folder(tmp_path / "hooks only")
    (folder / ".mcp.json").unlink()
    scripted_default.script(Reply(Text("no servers")))
    messages = _run(claw_env, workspace, folder)
    assert messages[0].data["mcp_servers"] == []
    assert (folder / "hooked.txt").exists()


def test_a_plugin_folders_command_runs_namespaced(
    scripted_default, claw_env, workspace: Path, tmp_path: Path, plugin_folder
):  # type: ignore[no-untyped-def]
    """A folder with commands loads whole: the SDK's prompt ``/pinging:hello`` is the command's text."""
    folder = plugin_folder(tmp_path / "plug", extra="commands")
    scripted_default.script(Reply(Text("hello")))
    options = ClaudeAgentOptions(
        cli_path=CLAW,
        cwd=str(workspace),
        env=dict(claw_env),
        plugins=[{"type": "local", "path": str(folder)}],
    )

    async def collect() -> list[Any]:
        return [m async for m in query(prompt="/pinging:hello", options=options)]

    messages = asyncio.run(collect())
    assert isinstance(messages[-1], ResultMessage) and messages[-1].result == "hello"
    assert json.dumps(scripted_default.requests[0]["messages"][-1]).count("Say hello.") == 1


def test_a_folder_that_is_not_there_ends_the_run(claw, scripted, tmp_path: Path):  # type: ignore[no-untyped-def]
    claw("-p", "hi", "--plugin-dir", str(tmp_path / "nowhere")).assert_failure(
        2, f"--plugin-dir: plugins: not a directory: {tmp_path / 'nowhere'}"
    )
    assert scripted.requests == []
