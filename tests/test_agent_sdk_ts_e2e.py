"""claw as the CLI behind the real TypeScript Claude Agent SDK (``@anthropic-ai/claude-agent-sdk``):
``tests/agent_sdk_ts/driver.mjs`` runs ``query()`` with ``pathToClaudeCodeExecutable`` pointing at claw
(a one-shot prompt, a multi-turn streaming session, ``canUseTool`` allowing, rewriting and denying Bash
calls, the options this SDK version sends in ``initialize``: ``mcpServers``, ``settings``,
``managedSettings``, ``disallowedTools``, ``additionalDirectories``, a background job's end reported
between turns) and prints what the SDK yielded;
the scripted model's requests and the file system show what claw did.

The SDK is installed by ``tests/setup.d/mcp-servers.sh`` (``.ci/run`` runs it); nothing is fetched at
test time. Without it these tests fail and say how to install it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall

ROOT = Path(__file__).resolve().parent
DRIVER = ROOT / "agent_sdk_ts" / "driver.mjs"
SDK = ROOT / ".npm" / "node_modules" / "@anthropic-ai" / "claude-agent-sdk" / "sdk.mjs"
EVERYTHING = (
    ROOT / ".npm" / "node_modules" / "@modelcontextprotocol" / "server-everything" / "dist" / "index.js"
)
SETUP = "bash tests/setup.d/mcp-servers.sh"
CLAW = str(Path(sys.executable).with_name("claw"))


@pytest.fixture
def drive(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    """``drive(scenario)``: run the driver with the scripted model as the default; returns its JSON."""
    if not SDK.exists():
        pytest.fail(f"@anthropic-ai/claude-agent-sdk is not installed in tests/.npm; run: {SETUP}")
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH; install Node.js 20+ and run: {SETUP}")
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))

    def run(scenario: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        extra = [json.dumps(options)] if options is not None else []
        done = subprocess.run(
            [node, str(DRIVER), scenario, CLAW, str(workspace), *extra],
            env=claw_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def test_query_one_shot(drive, scripted):  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("hello from claw")))
    messages = drive("one-shot")["messages"]
    assert [(m["type"], m.get("subtype")) for m in messages] == [
        ("system", "init"),
        ("assistant", None),
        ("result", "success"),
    ]
    assert messages[-1]["result"] == "hello from claw" and messages[-1]["num_turns"] == 1
    assert messages[-1]["session_id"] == messages[0]["session_id"]
    assert scripted.requests[0]["system"][0]["text"].startswith("Be brief.")  # from initialize


def test_multi_turn_in_one_session(drive, scripted):  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("first answer")), Reply(Text("second answer")))
    results = [m for m in drive("multi-turn")["messages"] if m["type"] == "result"]
    assert [r["result"] for r in results] == ["first answer", "second answer"]
    assert results[0]["session_id"] == results[1]["session_id"]
    texts = [m["content"][0]["text"] for m in scripted.requests[1]["messages"]]
    assert texts == ["one", "first answer", "two"]


def test_can_use_tool_allows_rewrites_and_denies_bash(drive, scripted, workspace: Path):  # type: ignore[no-untyped-def]
    scripted.script(
        Reply(ToolCall("Bash", {"command": "touch allowed.txt"}, id="toolu_1")),
        Reply(ToolCall("Bash", {"command": "touch asked.txt"}, id="toolu_2")),
        Reply(ToolCall("Bash", {"command": "touch denied.txt"}, id="toolu_3")),
        Reply(Text("done")),
    )
    out = drive("can-use-tool")
    assert [(a["toolName"], a["command"], a["toolUseID"]) for a in out["asked"]] == [
        ("Bash", "touch allowed.txt", "toolu_1"),
        ("Bash", "touch asked.txt", "toolu_2"),
        ("Bash", "touch denied.txt", "toolu_3"),
    ]
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["allowed.txt", "rewritten.txt"]
    result = out["messages"][-1]
    assert result["result"] == "done"
    assert [d["tool_use_id"] for d in result["permission_denials"]] == ["toolu_3"]


def _tool_names(request: dict[str, Any]) -> set[str]:
    return {t["name"] for t in request["tools"]}


def _tool_results(scripted) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of each tool result the model was sent back, in order."""
    return [
        str(block["content"])
        for request in scripted.requests
        for message in request["messages"][-1:]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]


def test_mcp_servers_sent_in_initialize_are_started(drive, scripted):  # type: ignore[no-untyped-def]
    """mcpServersDelivery 'initialize' is the default: the servers come in the initialize request, claw
    starts them as --mcp-config would and confirms mcp_servers_applied (else the SDK ends the session)."""
    node = shutil.which("node")
    scripted.script(
        Reply(ToolCall("mcp__everything__echo", {"message": "over stdin"}, id="toolu_1")),
        Reply(Text("echoed")),
    )
    server = {"command": node, "args": [str(EVERYTHING), "stdio"]}
    out = drive("options", {"mcpServers": {"everything": server}})
    assert out["initialization"]["mcp_servers_applied"] is True
    assert "mcp__everything__echo" in _tool_names(scripted.requests[0])
    assert _tool_results(scripted) == ["Echo: over stdin"]
    init = out["messages"][0]
    assert [(s["name"], s["status"]) for s in init["mcp_servers"]] == [("everything", "connected")]
    assert out["messages"][-1]["result"] == "echoed"


def test_settings_sent_in_initialize_apply(drive, scripted, workspace: Path):  # type: ignore[no-untyped-def]
    """settingsDelivery 'initialize': an allow rule in them lets a Bash call run that -p would deny."""
    scripted.script(
        Reply(ToolCall("Bash", {"command": "touch ruled.txt"}, id="toolu_1")),
        Reply(Text("done")),
    )
    settings = {"permissions": {"allow": ["Bash(touch ruled.txt)"]}}
    out = drive("options", {"settings": settings, "settingsDelivery": "initialize"})
    assert out["initialization"]["settings_applied"] is True
    assert (workspace / "ruled.txt").exists()
    assert out["messages"][-1]["permission_denials"] == []


def test_without_the_settings_the_call_is_denied(drive, scripted, workspace: Path):  # type: ignore[no-untyped-def]
    """The control for the test above: the same call, no settings, is denied in -p."""
    scripted.script(
        Reply(ToolCall("Bash", {"command": "touch ruled.txt"}, id="toolu_1")),
        Reply(Text("done")),
    )
    out = drive("options", {})
    assert "settings_applied" not in out["initialization"]
    assert not (workspace / "ruled.txt").exists()
    assert [d["tool_use_id"] for d in out["messages"][-1]["permission_denials"]] == ["toolu_1"]


def test_managed_settings_sent_in_initialize_win(drive, scripted, workspace: Path):  # type: ignore[no-untyped-def]
    """managedSettingsDelivery 'initialize': the managed layer's defaultMode wins over the settings' (policy,
    as /etc/claw/managed-settings.json), and its deny beats their allow."""
    scripted.script(
        Reply(ToolCall("Bash", {"command": "touch ruled.txt"}, id="toolu_1")),
        Reply(Text("done")),
    )
    out = drive(
        "options",
        {
            "settings": {"permissions": {"allow": ["Bash(touch ruled.txt)"], "defaultMode": "plan"}},
            "settingsDelivery": "initialize",
            "managedSettings": {"permissions": {"deny": ["Bash(touch *)"], "defaultMode": "default"}},
            "managedSettingsDelivery": "initialize",
        },
    )
    assert out["initialization"]["managed_settings_applied"] is True
    assert out["initialization"]["settings_applied"] is True
    assert out["messages"][0]["permissionMode"] == "default"
    assert not (workspace / "ruled.txt").exists()
    assert [d["tool_use_id"] for d in out["messages"][-1]["permission_denials"]] == ["toolu_1"]


def test_disallowed_tools_sent_in_initialize_are_not_offered(drive, scripted):  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("ok")))
    out = drive("options", {"disallowedTools": ["WebFetch"], "disallowedToolsDelivery": "initialize"})
    assert out["initialization"]["disallowed_tools_applied"] is True
    offered = _tool_names(scripted.requests[0])
    assert "WebFetch" not in offered and "Read" in offered


def test_additional_directories_sent_in_initialize_are_readable(drive, scripted, tmp_path: Path):  # type: ignore[no-untyped-def]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text("outside the workspace\n")
    scripted.script(
        Reply(ToolCall("Read", {"file_path": str(outside / "notes.txt")}, id="toolu_1")),
        Reply(Text("read it")),
    )
    out = drive(
        "options",
        {"additionalDirectories": [str(outside)], "additionalDirectoriesDelivery": "initialize"},
    )
    assert out["initialization"]["additional_directories_applied"] is True
    assert out["messages"][-1]["permission_denials"] == []
    assert "outside the workspace" in _tool_results(scripted)[0]


@pytest.mark.parametrize("delivery", ["initialize", "argv"])
def test_plugins_load_their_hooks_and_servers(drive, scripted, tmp_path: Path, plugin_folder, delivery: str):  # type: ignore[no-untyped-def]
    """A Claude Code plugin folder's hooks and MCP servers load, sent in initialize (pluginDelivery
    'initialize': plugins_applied true) or as --plugin-dir / --plugin-dir-no-mcp flags (the default);
    skipMcpDiscovery leaves a folder's servers to the host."""
    folder, hooks_only = plugin_folder(tmp_path / "plug"), plugin_folder(tmp_path / "hooks-only")
    servers = json.loads((hooks_only / ".mcp.json").read_text())["mcpServers"]
    (hooks_only / ".mcp.json").write_text(json.dumps({"mcpServers": {"skipped": servers["pinger"]}}))
    scripted.script(Reply(ToolCall("mcp__pinger__ping", {}, id="toolu_1")), Reply(Text("pinged")))
    plugins = [
        {"type": "local", "path": str(folder)},
        {"type": "local", "path": str(hooks_only), "skipMcpDiscovery": True},
    ]
    out = drive(
        "options",
        {"plugins": plugins, "pluginDelivery": delivery, "allowedTools": ["mcp__pinger__ping"]},
    )
    assert out["initialization"].get("plugins_applied") is (True if delivery == "initialize" else None)
    assert [(s["name"], s["status"]) for s in out["messages"][0]["mcp_servers"]] == [("pinger", "connected")]
    assert _tool_results(scripted) == [f"pong from {folder}"]
    assert (folder / "hooked.txt").exists() and (hooks_only / "hooked.txt").exists()


def test_plugins_with_output_styles_load_without_them(drive, scripted, tmp_path: Path, plugin_folder):  # type: ignore[no-untyped-def]
    """A folder with output styles (which claw leaves out, with a warning): the rest of it loads and
    plugins_applied is true, as Claude Code, which has deprecated plugin output styles, loads it."""
    folder = plugin_folder(tmp_path / "plug", extra="output-styles")
    scripted.script(Reply(Text("ran with it")))
    plugins = [{"type": "local", "path": str(folder)}]
    out = drive("options", {"plugins": plugins, "pluginDelivery": "initialize"})
    assert out["initialization"]["plugins_applied"] is True
    assert [s["name"] for s in out["messages"][0]["mcp_servers"]] == ["pinger"] and (
        folder / "hooked.txt"
    ).exists()
    assert out["messages"][-1]["result"] == "ran with it"


def test_an_in_process_sdk_mcp_tool(drive, scripted):  # type: ignore[no-untyped-def]
    """createSdkMcpServer: the server's name comes in initialize's sdkMcpServers; claw connects it
    through the control channel (mcp_message) and the model calls its tool like any MCP tool."""
    scripted.script(Reply(ToolCall("mcp__calc__add", {"a": 2, "b": 40}, id="toolu_1")), Reply(Text("42")))
    out = drive("sdk-mcp")
    assert "mcp__calc__add" in _tool_names(scripted.requests[0])
    assert _tool_results(scripted) == ["42"]
    assert out["messages"][-1]["result"] == "42"


def test_a_background_job_that_fails_is_reported_between_turns(drive, scripted):  # type: ignore[no-untyped-def]
    job = {"command": "sleep 1; exit 3", "run_in_background": True, "description": "fail later"}
    scripted.script(Reply(ToolCall("Bash", job, id="toolu_job")), Reply(Text("started")))
    messages = drive("task-end")["messages"]
    kinds = [m.get("subtype") or m["type"] for m in messages]
    assert kinds.index("task_started") < kinds.index("success") < kinds.index("task_updated")
    started, updated, notified = (
        messages[kinds.index(k)] for k in ("task_started", "task_updated", "task_notification")
    )
    assert kinds[-1] == "task_notification" and kinds.count("task_notification") == 1
    assert started["task_id"] == updated["task_id"] == notified["task_id"]
    assert updated["patch"]["status"] == "failed"
    assert (notified["status"], notified["tool_use_id"]) == ("failed", "toolu_job")
    assert notified["summary"] == 'Background command "fail later" failed with exit code 3'
