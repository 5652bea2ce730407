"""``claw hooks list`` and the validation of settings ``hooks`` (claw-hooks declares the key) through the CLI."""

from __future__ import annotations

import pytest
from claw.testing import write_project_settings

pytestmark = pytest.mark.usefixtures("trusted_workspace")


def test_hooks_list(claw, workspace, claw_env):
    path = write_project_settings(
        workspace,
        {
            "hooks": {
                "PreToolUse": [
                    {"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh", "timeout": 5}]}
                ]
            }
        },
    )
    result = claw("hooks", "list").assert_success()
    assert "PreToolUse" in result.stdout and "./check.sh" in result.stdout and str(path) in result.stdout
    data = claw("hooks", "list", "--json").json()
    assert data["hooks"] == [
        {
            "event": "PreToolUse",
            "matcher": "Bash",
            "type": "command",
            "command": "./check.sh",
            "timeout": 5.0,
            "if": None,
            "source": str(path),
        }
    ]
    assert claw("hooks", "list").stdout.count("./check.sh") == 1


def test_hooks_list_empty(claw):
    assert claw("hooks", "list").assert_success().stdout.strip() == "no hooks configured"


def test_hook_typo_is_an_error_naming_file_and_key(claw, workspace):
    path = write_project_settings(
        workspace,
        {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "comand": "x"}]}]}},
    )
    claw("hooks", "list").assert_failure(
        1, f"claw: error: {path}: hooks.PreToolUse[0].hooks[0].comand: Extra inputs are not permitted"
    )
    write_project_settings(
        workspace,
        {"hooks": {"PreToolUse": [{"matcher": "Bash(", "hooks": [{"type": "command", "command": "x"}]}]}},
    )
    claw("hooks", "list").assert_failure(
        1, f"{path}: hooks.PreToolUse[0].matcher: Value error, invalid regular expression 'Bash('"
    )
    write_project_settings(workspace, {"hooks": {"PreTooluse": []}})
    claw("hooks", "list").assert_failure(1, f"{path}: hooks.PreTooluse")
    write_project_settings(
        workspace, {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": -1}]}]}}
    )
    claw("hooks", "list").assert_failure(1, f"{path}: hooks.Stop[0].hooks[0].timeout")


def test_hook_if_rule_is_validated_and_listed(claw, workspace):
    entry = {"matcher": "Bash", "hooks": [{"type": "command", "command": "./c.sh", "if": "Bash(git *)"}]}
    path = write_project_settings(workspace, {"hooks": {"PreToolUse": [entry]}})
    assert claw("hooks", "list", "--json").json()["hooks"][0]["if"] == "Bash(git *)"
    entry["hooks"][0]["if"] = "Bash(git *"
    write_project_settings(workspace, {"hooks": {"PreToolUse": [entry]}})
    claw("hooks", "list").assert_failure(
        1, f"{path}: hooks.PreToolUse[0].hooks[0].if: Value error, rule 'Bash(git *' must end with ')'"
    )


def test_a_hook_without_timeout_gets_claude_codes_default_of_600_seconds(claw, workspace):
    write_project_settings(
        workspace, {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "true"}]}]}}
    )
    assert claw("hooks", "list", "--json").json()["hooks"][0]["timeout"] == 600.0
