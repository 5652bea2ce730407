"""``claw -p --bare``: Claude Code's minimal mode. In a workspace with a CLAUDE.md, a settings hook, a
``.mcp.json`` server, a custom command, a skill and an agent file, a bare run sends a system prompt
without CLAUDE.md, runs no hook, starts no MCP server and knows none of the folder's commands, skills or
agents; the same run without ``--bare`` has all of them. What a flag names (``--mcp-config``) still
applies, and ``CLAUDE_CODE_SIMPLE=1`` (Claude Code's variable) means the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text
from customized_folder import TIME_SERVER, customize, init_event, sent

pytestmark = pytest.mark.usefixtures("trusted_workspace")


@pytest.fixture
def folder(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    """The workspace with one of each thing bare mode skips; the user settings choose the model."""
    customize(workspace, claw_env)
    return scripted


@pytest.mark.parametrize("bare", [False, True])
def test_bare_skips_what_the_folder_brings(claw, folder, workspace: Path, bare: bool) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    flags = ["--bare"] if bare else []
    res = claw.subprocess(
        "-p", "hello", "--output-format", "stream-json", "--verbose", *flags
    ).assert_success()
    system, tools = sent(folder)
    init = init_event(res.stdout)
    assert ("BANANA-CASE" in system) is not bare
    assert (workspace / "hook-ran.txt").exists() is not bare
    assert any(t.startswith("mcp__time__") for t in tools) is not bare
    assert bool(init["mcp_servers"]) is not bare
    assert ("greet" in init["slash_commands"]) is not bare
    assert ("tidy" in init["slash_commands"]) is not bare
    assert ("critic" in tools["Agent"]) is not bare


def test_bare_still_starts_the_servers_a_flag_names(claw, folder) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    config = json.dumps({"mcpServers": {"clock": {"command": TIME_SERVER}}})
    claw.subprocess("-p", "hello", "--bare", "--mcp-config", config).assert_success()
    _, tools = sent(folder)
    assert any(t.startswith("mcp__clock__") for t in tools)
    assert not any(t.startswith("mcp__time__") for t in tools)


def test_claude_code_simple_is_bare_mode(claw, folder, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    claw.env["CLAUDE_CODE_SIMPLE"] = "1"
    claw.subprocess("-p", "hello").assert_success()
    system, _ = sent(folder)
    assert "BANANA-CASE" not in system and not (workspace / "hook-ran.txt").exists()


def test_with_the_builtin_disabled_bare_names_the_builtin(claw, folder, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    (workspace / ".claw" / "settings.local.json").write_text(json.dumps({"plugins": {"disabled": ["bare"]}}))
    res = claw.subprocess("-p", "hello", "--bare")
    assert (
        res.exit_code == 2
        and "--bare comes with claw's built-in plugin 'bare', which is disabled" in res.stderr
    )


def test_bare_still_loads_a_plugin_dir_folder_and_its_hooks(claw, folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Claude Code's --bare skips plugin discovery, not ``--plugin-dir``: its commands and hooks load."""
    root = tmp_path / "myplug"
    (root / ".claude-plugin").mkdir(parents=True)
    (root / "commands").mkdir()
    marker = tmp_path / "plugin-hook-ran.txt"
    hook = {"hooks": [{"type": "command", "command": f"echo ran > {marker}"}]}
    manifest = {"name": "myplug", "hooks": {"hooks": {"UserPromptSubmit": [hook]}}}
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest))
    (root / "commands" / "hello.md").write_text("---\ndescription: hi\n---\nSay hi\n")
    folder.script(Reply(Text("done")))
    res = claw.subprocess(
        "-p", "hello", "--bare", "--plugin-dir", str(root), "--output-format", "stream-json", "--verbose"
    ).assert_success()
    init = init_event(res.stdout)
    assert "myplug:hello" in init["slash_commands"] and "greet" not in init["slash_commands"]
    assert marker.exists()
