"""``claw -p --safe-mode``: Claude Code's troubleshooting mode (``CLAUDE_CODE_SAFE_MODE=1``). Unlike
``--bare`` it leaves out what a flag names too (``--mcp-config``, ``--plugin-dir``, ``--agents``, the
hooks of ``--settings``: Claude Code's safe mode disables them regardless of how they were requested),
and claw loads no third-party claw plugin (a broken one is what a user troubleshooting wants to rule
out); built-in tools and the first-party plugins work as always."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text
from customized_folder import TIME_SERVER, customize, init_event, sent

pytestmark = pytest.mark.usefixtures("trusted_workspace")

#: A third-party claw plugin (an installed distribution with a ``claw`` entry point) adding a tool.
WORDCOUNT = """
import claw


@claw.tool(read_only=True)
def WordCount(text: str) -> str:
    '''Counts words.

    :param text: the text.
    '''
    return str(len(text.split()))


@claw.hookimpl
def claw_register_tools(register):
    register(WordCount)
"""


@pytest.fixture
def folder(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    """The workspace with one of each customization; the user settings choose the model."""
    customize(workspace, claw_env)
    site = workspace.parent / "site"
    site.mkdir()
    (site / "claw_tool_wordcount.py").write_text(WORDCOUNT)
    info = site / "claw_tool_wordcount-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: claw-tool-wordcount\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[claw]\nwordcount = claw_tool_wordcount\n")
    claw_env["PYTHONPATH"] = str(site)
    return scripted


@pytest.mark.parametrize("safe", [False, True])
def test_safe_mode_turns_off_every_customization(claw, folder, workspace: Path, safe: bool) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    flags = ["--safe-mode"] if safe else []
    res = claw.subprocess(
        "-p", "hello", "--output-format", "stream-json", "--verbose", *flags
    ).assert_success()
    system, tools = sent(folder)
    init = init_event(res.stdout)
    assert ("BANANA-CASE" in system) is not safe
    assert (workspace / "hook-ran.txt").exists() is not safe
    assert any(t.startswith("mcp__time__") for t in tools) is not safe
    assert ("greet" in init["slash_commands"]) is not safe
    assert ("tidy" in init["slash_commands"]) is not safe
    assert ("critic" in tools["Agent"]) is not safe
    assert ("WordCount" in tools) is not safe  # the third-party claw plugin
    assert {"Read", "Edit", "Bash"} <= set(tools)  # built-in tools work normally


def test_safe_mode_also_turns_off_what_flags_name(claw, folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Where ``--bare`` keeps --mcp-config, --plugin-dir, --agents and --settings' hooks, safe mode does not."""
    root = tmp_path / "myplug"
    (root / ".claude-plugin").mkdir(parents=True)
    (root / "commands").mkdir()
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": "myplug"}))
    (root / "commands" / "hello.md").write_text("---\ndescription: hi\n---\nSay hi\n")
    marker = tmp_path / "settings-hook-ran.txt"
    hook = {"hooks": [{"type": "command", "command": f"echo ran > {marker}"}]}
    folder.script(Reply(Text("done")))
    res = claw.subprocess(
        "-p", "hello", "--safe-mode", "--output-format", "stream-json", "--verbose",
        "--mcp-config", json.dumps({"mcpServers": {"clock": {"command": TIME_SERVER}}}),
        "--plugin-dir", str(root),
        "--agents", json.dumps({"reviewer": {"description": "Reviews code", "prompt": "Review."}}),
        "--settings", json.dumps({"hooks": {"UserPromptSubmit": [hook]}}),
    ).assert_success()  # fmt: skip
    _, tools = sent(folder)
    init = init_event(res.stdout)
    assert not any(t.startswith("mcp__") for t in tools) and not init["mcp_servers"]
    assert "myplug:hello" not in init["slash_commands"]
    assert "reviewer" not in tools["Agent"] and "general-purpose" in tools["Agent"]
    assert not marker.exists()


def test_claude_code_safe_mode_variable_means_the_same(claw, folder, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    claw.env["CLAUDE_CODE_SAFE_MODE"] = "1"
    claw.subprocess("-p", "hello").assert_success()
    system, tools = sent(folder)
    assert "BANANA-CASE" not in system and not (workspace / "hook-ran.txt").exists()
    assert "WordCount" not in tools


def test_doctor_says_why_a_third_party_plugin_is_off(claw, folder) -> None:  # type: ignore[no-untyped-def]
    line = next(x for x in claw.subprocess("doctor").stdout.splitlines() if "wordcount:" in x)
    assert line.split()[0] == "ok" and line.endswith("loaded")
    line = next(x for x in claw.subprocess("--safe-mode", "doctor").stdout.splitlines() if "wordcount:" in x)
    assert line.endswith("disabled (CLAUDE_CODE_SAFE_MODE: safe mode loads no third-party plugin)")


def test_with_the_builtin_disabled_safe_mode_names_the_builtin(claw, folder, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    (workspace / ".claw" / "settings.local.json").write_text(json.dumps({"plugins": {"disabled": ["bare"]}}))
    res = claw.subprocess("-p", "hello", "--safe-mode")
    assert (
        res.exit_code == 2
        and "--safe-mode comes with claw's built-in plugin 'bare', which is disabled" in res.stderr
    )
