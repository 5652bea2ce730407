"""``claw config show``: the effective settings, each value with the file it came from."""

from __future__ import annotations

from claw.testing import write_project_settings


def test_config_show_json_through_cli(claw, workspace, claw_env):
    write_project_settings(workspace, {"model": "anthropic/claude-sonnet-4-6"})
    result = claw("config", "show", "--json", "--settings", '{"permissions": {"allow": ["Read"]}}')
    # --settings is a root option: it must come before the subcommand
    assert result.exit_code == 2
    result = claw(
        "--settings", '{"permissions": {"allow": ["Read"]}}', "config", "show", "--json"
    ).assert_success()
    data = result.json()
    assert data["settings"]["model"] == "anthropic/claude-sonnet-4-6"
    assert data["sources"]["model"] == str(workspace / ".claw" / "settings.json")
    assert data["sources"]["permissions.allow[0]"] == "--settings"
    assert [f["scope"] for f in data["files"]] == ["project", "cli"]


def test_config_show_text_names_sources(claw, workspace):
    write_project_settings(workspace, {"model": "m"})
    out = claw("config", "show").assert_success().stdout
    assert f'model = "m"  # {workspace / ".claw" / "settings.json"}' in out
    assert "retry.maxRetries = 10  # default" in out


def test_bad_settings_file_is_one_line_and_exit_1(claw, workspace):
    write_project_settings(workspace, {}).write_text("{oops")
    result = claw("config", "show")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"claw: error: {workspace / '.claw' / 'settings.json'}:1:2: invalid JSON: Expecting property name enclosed in double quotes"
    ]
