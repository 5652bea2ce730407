"""An allow rule naming a command lets that command run, effects inside the workspace included, as in
Claude Code: ``claw -p`` in the default mode with the scripted model and the real shell tool."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall
from transcripts import last_tool_results


def run_bash(claw, scripted, command: str, *flags: str) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """Run one Bash call through ``claw -p`` in the default mode; the run's JSON and the tool result."""
    scripted.script(Reply(ToolCall("Bash", {"command": command})), Reply(Text("done")))
    result = claw(
        "-p", "go", "--model", "scripted/default", "--output-format", "json", *flags
    ).assert_success().json()  # fmt: skip
    [tool_result] = last_tool_results(scripted, len(scripted.requests) - 1)
    return result, tool_result


@pytest.mark.parametrize("where", ["flag", "settings"])
def test_allowed_command_runs_with_its_write_inside_the_workspace(claw, scripted, workspace, where):
    rule = "Bash(mkdir build:*)"
    if where == "settings":
        (workspace / ".claude").mkdir()
        (workspace / ".claude" / "settings.json").write_text(json.dumps({"permissions": {"allow": [rule]}}))
        flags: tuple[str, ...] = ()
    else:
        flags = ("--allowedTools", rule)
    result, tool_result = run_bash(claw, scripted, "mkdir build", *flags)
    assert not tool_result.get("is_error"), tool_result
    assert (workspace / "build").is_dir()
    assert result["permission_denials"] == []


def test_allowed_command_still_needs_a_grant_outside_the_workspace(claw, scripted, workspace, tmp_path):
    outside = tmp_path / "outside-x"
    result, tool_result = run_bash(claw, scripted, f"mkdir {outside}", "--allowedTools", "Bash(mkdir:*)")
    assert tool_result["is_error"] and "outside the workspace" in tool_result["content"]
    assert not outside.exists()
    assert result["permission_denials"][0]["tool_name"] == "Bash"


def test_deny_rules_still_win_over_an_allowed_command(claw, scripted, workspace):
    _, tool_result = run_bash(
        claw,
        scripted,
        "mkdir secrets",
        "--allowedTools",
        "Bash(mkdir:*)",
        "--disallowedTools",
        "Edit(secrets)",
    )
    assert tool_result["is_error"] and 'deny rule "Edit(secrets)"' in tool_result["content"]
    assert not (workspace / "secrets").exists()


def test_a_redirection_of_another_command_is_not_covered(claw, scripted, workspace):
    _, tool_result = run_bash(
        claw, scripted, "mkdir build && echo hi > notes.txt", "--allowedTools", "Bash(mkdir build:*)"
    )
    # echo's redirection is not mkdir's effect: it still asks (and -p has nobody to ask).
    assert tool_result["is_error"] and "writes inside the workspace: needs approval" in tool_result["content"]
    assert not (workspace / "build").exists() and not (workspace / "notes.txt").exists()


def test_permissions_explain_names_the_rule_that_covers_the_commands_write(claw, workspace):
    args = (
        "permissions",
        "explain",
        "Bash",
        '{"command": "mkdir build"}',
        "--allowedTools",
        "Bash(mkdir build:*)",
    )
    out = claw(*args).assert_success().stdout
    rule = 'allow rule "Bash(mkdir build:*)" from --allowed-tools'
    assert f"  execute mkdir build: allow by {rule}\n" in out
    build = Path(workspace).resolve() / "build"
    assert (
        f"  write {build}: allow by {rule} (the allowed command's own effect inside the workspace)\n" in out
    )
    assert "decision: allow\n" in out
    data = claw(*args, "--json").assert_success().json()
    assert data["decision"] == "allow" and data["source"] == rule
    assert [u["decision"] for u in data["units"]] == ["allow", "allow"]


def test_the_shell_tool_declares_each_nested_command_and_the_real_redirection(claw, workspace):
    """Bash reads the line with a bash grammar and declares what it runs; the engine no longer
    re-splits it (the old reader saw "echo $(echo hi" and a write to "/tmp/x)")."""
    args = ("permissions", "explain", "Bash", '{"command": "echo $(echo hi > /tmp/x)"}', "--json")
    units = [u["unit"] for u in claw(*args).assert_success().json()["units"]]
    assert [u for u in units if u.startswith("execute ")] == [
        "execute echo $(echo hi > /tmp/x)",
        "execute echo hi",
    ]
    assert {u for u in units if u.startswith("write ")} == {f"write {os.path.realpath('/tmp/x')}"}
    denied = claw(
        "permissions",
        "explain",
        "Bash",
        '{"command": "ls && echo $(rm -rf x)"}',
        "--disallowedTools",
        "Bash(rm *)",
    ).stdout
    assert 'execute rm -rf x: deny by deny rule "Bash(rm *)"' in denied


def test_a_hook_if_condition_meets_what_the_shell_tool_declares(claw, scripted, workspace):
    """``"if": "Bash(touch *)"`` meets the ``touch`` inside a ``case`` because the condition is judged
    on the session's Bash tool's own accesses (read with a bash grammar); the kernel's old reader
    could not follow ``b)`` and matched nothing."""
    hook = {"type": "command", "command": "echo 'no touching' >&2; exit 2", "if": "Bash(touch *)"}
    (workspace / ".claude").mkdir()
    (workspace / ".claude" / "settings.json").write_text(
        json.dumps({"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [hook]}]}})
    )
    line = "case a in b) echo no;; a) touch made;; esac"
    _, blocked = run_bash(claw, scripted, line, "--allowedTools", "Bash")
    assert blocked["is_error"] and "no touching" in json.dumps(blocked["content"])
    assert not (workspace / "made").exists()
    _, ran = run_bash(claw, scripted, "case a in a) echo fine;; esac", "--allowedTools", "Bash")
    assert not ran.get("is_error") and "fine" in json.dumps(ran["content"]), ran
