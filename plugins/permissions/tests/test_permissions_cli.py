"""``claw permissions explain|list`` through the CLI (``claw hooks list``: claw-hooks' tests)."""

from __future__ import annotations

import pytest
from claw.testing import write_project_settings

pytestmark = pytest.mark.usefixtures("trusted_workspace")


def test_explain_modes_and_aliases(claw, workspace):
    args = ("permissions", "explain", "Edit", '{"file_path": "src/x.py"}', "--json")
    assert claw(*args).json()["decision"] == "ask"
    # "installed" depends on whether claw-tools-files is installed alongside the kernel.
    assert claw(*args, "--mode", "acceptEdits").json() | {"units": None, "installed": None} == {
        "tool": "Edit", "installed": None, "mode": "workspace-write", "decision": "allow",
        "source": "mode workspace-write", "reason": "", "classifier": None, "units": None, "heldBack": [],
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
    path = write_project_settings(workspace, {"permissions": {"disableBypassPermissionsMode": "disable"}})
    result = claw("permissions", "explain", "Bash", "{}", "--mode", "bypassPermissions")
    result.assert_failure(1, f"claw: error: permission mode danger-full-access is disabled by {path}")


def test_permissions_list(claw, workspace):
    path = write_project_settings(workspace, {"permissions": {"ask": ["Bash(git push *)"]}})
    local = write_project_settings(workspace, {"permissions": {"allow": ["Read"]}}, "settings.local.json")
    data = claw("permissions", "list", "--json").assert_success().json()
    assert data["rules"] == [
        {"behavior": "ask", "rule": "Bash(git push *)", "source": str(path)},
        {"behavior": "allow", "rule": "Read", "source": str(local)},
    ]


def test_bad_rule_names_file_and_key(claw, workspace):
    path = write_project_settings(workspace, {"permissions": {"deny": ["Bash(rm *"]}})
    claw("permissions", "list").assert_failure(
        1, f"claw: error: {path}: permissions.deny[0]: rule 'Bash(rm *' must end with ')'"
    )


def test_rules_an_untrusted_folder_holds_back_are_named(claw, workspace):
    """``explain`` and ``list`` judge an untrusted folder without its allow rules, as an interactive run
    does; they said nothing of them, so "(-p) denies" contradicted ``claw -p``, which trusts the folder
    and uses them. Now each held-back rule is named, with the file it is in."""
    path = write_project_settings(
        workspace, {"permissions": {"allow": ["Edit(src/**)"], "deny": ["Read(./secrets/**)"]}}
    )
    claw("trust", "--revoke").assert_success()
    held = [f"permissions.allow: Edit(src/**) ({path})"]
    args = ("permissions", "explain", "Edit", '{"file_path": "src/app.py"}')
    data = claw(*args, "--json").assert_success().json()
    assert data["decision"] == "ask" and data["heldBack"] == held
    text = claw(*args).assert_success().stdout.splitlines()
    assert text[-3:] == [
        "(an interactive run asks; a non-interactive run (-p) denies, unless a rule held back below decides: "
        "-p trusts the folder)",
        f"held back until the folder is trusted (trust the folder with /trust or `claw trust {workspace}`); "
        "claw -p trusts it and uses them:",
        f"  {held[0]}",
    ]
    listed = claw("permissions", "list", "--json").assert_success().json()
    assert [r["rule"] for r in listed["rules"]] == ["Read(./secrets/**)"] and listed["heldBack"] == held
    assert claw("permissions", "list").stdout.splitlines()[-1] == f"  {held[0]}"
    claw("trust").assert_success()
    assert claw(*args, "--json").json() | {"units": None} == data | {
        "decision": "allow", "source": f'allow rule "Edit(src/**)" from {path}', "reason": "",
        "heldBack": [], "units": None,
    }  # fmt: skip
