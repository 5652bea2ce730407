"""``claw permissions explain|list`` and ``claw hooks list`` through the CLI."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(autouse=True)
def trusted(claw) -> None:  # type: ignore[no-untyped-def]
    """The workspace is the test's own: trusted, so its permission grants and hooks count."""
    claw("trust").assert_success()


def write_settings(workspace, data, name="settings.json"):
    path = workspace / ".claw" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def test_explain_modes_and_aliases(claw, workspace):
    args = ("permissions", "explain", "Edit", '{"file_path": "src/x.py"}', "--json")
    assert claw(*args).json()["decision"] == "ask"
    # "installed" depends on whether claw-tools-files is installed alongside the kernel.
    assert claw(*args, "--mode", "acceptEdits").json() | {"units": None, "installed": None} == {
        "tool": "Edit", "installed": None, "mode": "workspace-write", "decision": "allow",
        "source": "mode workspace-write", "reason": "", "classifier": None, "units": None,
    }  # fmt: skip
    assert claw(*args, "--mode", "plan").json()["decision"] == "deny"
    out = claw("permissions", "explain", "Edit", '{"file_path": "/etc/passwd"}', "--mode", "workspace-write")
    assert "outside the workspace" in out.stdout
    auto = claw(
        "permissions", "explain", "Bash", '{"command": "rm -rf x"}', "--mode", "auto", "--json"
    ).json()
    assert auto["decision"] == "ask" and auto["classifier"] == "rule"


def test_explain_registered_plan_mode_tool(claw):
    data = claw("permissions", "explain", "ExitPlanMode", '{"plan": "x"}', "--mode", "plan", "--json").json()
    assert data["installed"] and data["decision"] == "allow"


def test_explain_bad_input(claw):
    claw("permissions", "explain", "Bash", "{oops").assert_failure(
        2, "claw: error: INPUT_JSON is not valid JSON"
    )
    claw("permissions", "explain", "Bash", "[]").assert_failure(2, "INPUT_JSON must be a JSON object")
    claw("permissions", "explain", "Bash", "{}", "--mode", "yolo").assert_failure(
        2, "unknown permission mode 'yolo'"
    )


def test_bypass_refused_by_settings(claw, workspace):
    path = write_settings(workspace, {"permissions": {"disableBypassPermissionsMode": "disable"}})
    result = claw("permissions", "explain", "Bash", "{}", "--mode", "bypassPermissions")
    result.assert_failure(1, f"claw: error: permission mode danger-full-access is disabled by {path}")


def test_permissions_list(claw, workspace):
    path = write_settings(workspace, {"permissions": {"ask": ["Bash(git push *)"]}})
    local = write_settings(workspace, {"permissions": {"allow": ["Read"]}}, "settings.local.json")
    data = claw("permissions", "list", "--json").assert_success().json()
    assert data["rules"] == [
        {"behavior": "ask", "rule": "Bash(git push *)", "source": str(path)},
        {"behavior": "allow", "rule": "Read", "source": str(local)},
    ]


def test_bad_rule_names_file_and_key(claw, workspace):
    path = write_settings(workspace, {"permissions": {"deny": ["Bash(rm *"]}})
    claw("permissions", "list").assert_failure(
        1, f"claw: error: {path}: permissions.deny[0]: rule 'Bash(rm *' must end with ')'"
    )


def test_hooks_list(claw, workspace, claw_env):
    path = write_settings(
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
    path = write_settings(
        workspace,
        {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "comand": "x"}]}]}},
    )
    claw("hooks", "list").assert_failure(
        1, f"claw: error: {path}: hooks.PreToolUse[0].hooks[0].comand: Extra inputs are not permitted"
    )
    write_settings(
        workspace,
        {"hooks": {"PreToolUse": [{"matcher": "Bash(", "hooks": [{"type": "command", "command": "x"}]}]}},
    )
    claw("hooks", "list").assert_failure(
        1, f"{path}: hooks.PreToolUse[0].matcher: Value error, invalid regular expression 'Bash('"
    )
    write_settings(workspace, {"hooks": {"PreTooluse": []}})
    claw("hooks", "list").assert_failure(1, f"{path}: hooks.PreTooluse")
    write_settings(
        workspace, {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": -1}]}]}}
    )
    claw("hooks", "list").assert_failure(1, f"{path}: hooks.Stop[0].hooks[0].timeout")


def test_hook_if_rule_is_validated_and_listed(claw, workspace):
    entry = {"matcher": "Bash", "hooks": [{"type": "command", "command": "./c.sh", "if": "Bash(git *)"}]}
    path = write_settings(workspace, {"hooks": {"PreToolUse": [entry]}})
    assert claw("hooks", "list", "--json").json()["hooks"][0]["if"] == "Bash(git *)"
    entry["hooks"][0]["if"] = "Bash(git *"
    write_settings(workspace, {"hooks": {"PreToolUse": [entry]}})
    claw("hooks", "list").assert_failure(
        1, f"{path}: hooks.PreToolUse[0].hooks[0].if: Value error, rule 'Bash(git *' must end with ')'"
    )
