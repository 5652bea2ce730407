"""Claude Code's settings files (``~/.claude/settings.json``, ``.claude/settings.json``,
``.claude/settings.local.json``) through the CLI: they apply, directly below claw's own file at the
same scope, with the same validation and provenance, and ``--setting-sources`` limits them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall
from transcripts import last_tool_results


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.fixture
def files(claw_env: dict[str, str], workspace: Path) -> dict[str, Path]:
    """The six file-scope settings paths, by ``<origin> <scope>``; the workspace is the test's own,
    so it is trusted (its hooks, env and permission grants count: docs/trust.md)."""
    from claw import TrustStore

    TrustStore(claw_env).add(workspace)
    claude_user = Path(claw_env["HOME"]) / ".claude"
    claw_user = Path(claw_env["CLAW_CONFIG_DIR"])
    return {
        "claude user": claude_user / "settings.json",
        "claw user": claw_user / "settings.json",
        "claude project": workspace / ".claude" / "settings.json",
        "claw project": workspace / ".claw" / "settings.json",
        "claude local": workspace / ".claude" / "settings.local.json",
        "claw local": workspace / ".claw" / "settings.local.json",
    }


def test_read_deny_in_claude_project_settings_stops_a_read(claw, scripted, files, workspace):
    (workspace / "secret.txt").write_text("hunter2")
    write(files["claude project"], {"permissions": {"deny": ["Read(secret.txt)"]}})
    scripted.script(Reply(ToolCall("Read", {"file_path": "secret.txt"})), Reply(Text("could not read it")))
    # Even bypassPermissions mode keeps deny rules.
    result = claw(
        "-p", "show the secret", "--model", "scripted/default", "--output-format", "json",
        "--permission-mode", "bypassPermissions",
    ).assert_success().json()  # fmt: skip
    [denied] = last_tool_results(scripted, 1)
    assert denied["is_error"] and "hunter2" not in json.dumps(scripted.requests[1])
    assert f'deny rule "Read(secret.txt)" from {files["claude project"]}' in denied["content"]
    assert result["permission_denials"][0]["tool_name"] == "Read"


def test_setting_sources_user_skips_the_project_deny(claw, scripted, files, workspace):
    (workspace / "secret.txt").write_text("hunter2")
    write(files["claude project"], {"permissions": {"deny": ["Read(secret.txt)"]}})
    scripted.script(Reply(ToolCall("Read", {"file_path": "secret.txt"})), Reply(Text("read it")))
    claw(
        "--setting-sources", "user", "-p", "show the secret", "--model", "scripted/default",
        "--output-format", "json",
    ).assert_success()  # fmt: skip
    [read] = last_tool_results(scripted, 1)
    assert not read.get("is_error") and "hunter2" in read["content"]


def test_invalid_json_in_claude_settings_fails_the_run_naming_file_line_col(claw, scripted, files):
    write(files["claude project"], '{\n  "permissions": {"deny": ["Read(secret.txt)",]}\n}\n')
    result = claw("-p", "hi", "--model", "scripted/default")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"claw: error: {files['claude project']}:2:47: invalid JSON: Expecting value"
    ]
    assert scripted.requests == []


@pytest.mark.parametrize("scope", ["user", "project", "local"])
def test_claw_file_beats_claude_file_at_each_scope_in_config_show(claw, files, scope):
    claude, own = files[f"claude {scope}"], files[f"claw {scope}"]
    write(claude, {"model": f"claude-{scope}", "permissions": {"allow": [f"Read(claude-{scope})"]}})
    write(own, {"model": f"claw-{scope}", "permissions": {"allow": [f"Read(claw-{scope})"]}})
    data = claw("config", "show", "--json").assert_success().json()
    assert [(f["scope"], f["origin"], f["path"]) for f in data["files"]] == [
        (scope, "claude", str(claude)),
        (scope, "claw", str(own)),
    ]
    assert data["settings"]["model"] == f"claw-{scope}" and data["sources"]["model"] == str(own)
    # Lists concatenate, lowest layer first, each item with its own file.
    assert data["settings"]["permissions"]["allow"] == [f"Read(claude-{scope})", f"Read(claw-{scope})"]
    assert data["sources"]["permissions.allow[0]"] == str(claude)
    assert data["sources"]["permissions.allow[1]"] == str(own)
    text = claw("config", "show").assert_success().stdout
    assert f'model = "claw-{scope}"  # {own}' in text
    assert f'permissions.allow[0] = "Read(claude-{scope})"  # {claude}' in text


def test_claude_file_beats_claw_file_of_a_lower_scope(claw, files):
    write(files["claw user"], {"model": "claw-user"})
    write(files["claude project"], {"model": "claude-project", "env": {"A": "1"}})
    write(files["claw project"], {"env": {"B": "2"}})
    write(files["claude local"], {"model": "claude-local"})
    data = claw("config", "show", "--json").assert_success().json()
    assert data["settings"]["model"] == "claude-local"
    assert data["sources"]["model"] == str(files["claude local"])
    assert data["settings"]["env"] == {"A": "1", "B": "2"}
    assert [f["path"] for f in data["files"]] == [
        str(files[k]) for k in ("claw user", "claude project", "claw project", "claude local")
    ]


def test_setting_sources_project_ignores_user_files(claw, files):
    write(files["claude user"], {"model": "claude-user", "permissions": {"allow": ["Read(u1)"]}})
    write(files["claw user"], {"model": "claw-user", "permissions": {"allow": ["Read(u2)"]}})
    write(files["claude project"], {"permissions": {"allow": ["Read(p1)"]}})
    write(files["claw local"], {"model": "claw-local"})
    data = claw(
        "--setting-sources", "project", "--settings", '{"env": {"X": "1"}}', "config", "show", "--json"
    ).assert_success().json()  # fmt: skip
    assert [(f["scope"], f["path"]) for f in data["files"]] == [
        ("project", str(files["claude project"])),
        ("cli", "--settings"),  # --settings always applies
    ]
    assert "model" not in data["settings"]
    assert data["settings"]["permissions"]["allow"] == ["Read(p1)"]
    both = claw("--setting-sources", "user,local", "config", "show", "--json").assert_success().json()
    assert [f["path"] for f in both["files"]] == [
        str(files[k]) for k in ("claude user", "claw user", "claw local")
    ]


def test_setting_sources_rejects_an_unknown_scope(claw):
    claw("--setting-sources", "project,team", "config", "show").assert_failure(
        2, "unknown source 'team' (choose from user, project, local)"
    )


def test_claude_config_dir_relocates_the_user_file_and_anchors_its_rules(claw, claw_env, tmp_path):
    claude_dir = tmp_path / "claude-config"
    claw_env["CLAUDE_CONFIG_DIR"] = str(claude_dir)
    # In Claude Code, "/path" in user settings is relative to the user settings' directory.
    path = write(claude_dir / "settings.json", {"permissions": {"deny": ["Read(/notes/**)"]}})
    inside = claw(
        "permissions", "explain", "Read", json.dumps({"file_path": str(claude_dir / "notes" / "a.md")}), "--json"
    ).assert_success().json()  # fmt: skip
    assert inside["decision"] == "deny" and inside["source"] == f'deny rule "Read(/notes/**)" from {path}'
    elsewhere = claw("permissions", "explain", "Read", '{"file_path": "notes/a.md"}', "--json").json()
    assert elsewhere["decision"] == "allow"


def test_claude_only_keys_are_quiet_and_hooks_claw_cannot_run_are_dropped_with_a_warning(claw, files):
    write(
        files["claude project"],
        {
            "statusLine": {"type": "command", "command": "echo hi"},
            "enabledPlugins": {"x@y": True},
            "hooks": {
                "Notification": [{"hooks": [{"type": "command", "command": "notify"}]}],
                "PreToolUse": [
                    {
                        "matcher": "Bash",
                        "hooks": [
                            {"type": "prompt", "prompt": "is this safe?"},
                            {"type": "command", "command": "check.sh"},
                        ],
                    }
                ],
            },
        },
    )
    result = claw("config", "show", "--json").assert_success()
    label = files["claude project"]
    assert result.stderr.splitlines() == [
        f"claw: warning: {label}: hooks.Notification: claw has no such hook event; ignored",
        f"claw: warning: {label}: hooks.PreToolUse[0].hooks[0]: claw does not run 'prompt' hooks; ignored",
    ]
    assert result.json()["settings"]["hooks"] == {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "check.sh"}]}]
    }
    # The same unknown key in claw's own file is reported.
    write(files["claw project"], {"statusLine": {}})
    assert f'{files["claw project"]}: unknown settings key "statusLine"' in claw("config", "show").stderr


def test_the_same_rule_text_in_two_files_keeps_each_files_anchor(claw, files, workspace):
    # "/secret.txt" is ~/.claude/secret.txt in the user file and <workspace>/secret.txt in the project
    # file: both rules apply, though the merged list shows the text once.
    user = write(files["claude user"], {"permissions": {"deny": ["Read(/secret.txt)"]}})
    project = write(files["claude project"], {"permissions": {"deny": ["Read(/secret.txt)"]}})
    for path, source in ((workspace / "secret.txt", project), (user.parent / "secret.txt", user)):
        data = claw("permissions", "explain", "Read", json.dumps({"file_path": str(path)}), "--json").json()
        assert data["decision"] == "deny" and data["source"] == f'deny rule "Read(/secret.txt)" from {source}'
    rules = claw("permissions", "list", "--json").assert_success().json()["rules"]
    assert [r["source"] for r in rules] == [str(user), str(project)]


def test_doctor_checks_claude_code_settings_files_too(claw, workspace):
    (workspace / ".claude").mkdir()
    (workspace / ".claude" / "settings.json").write_text('{"permissions": {"deny": [}')
    result = claw("doctor", "--json")
    assert result.exit_code == 1
    check = next(c for c in result.json() if c["name"] == "project (Claude Code)")
    assert (
        check["status"] == "fail" and str(workspace / ".claude" / "settings.json") + ":1:" in check["detail"]
    )
