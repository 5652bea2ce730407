"""Layered settings: precedence, merging, provenance and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw import config
from claw.errors import ConfigError


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


@pytest.fixture
def layers_env(claw_env: dict[str, str], workspace: Path, tmp_path: Path):
    user = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    project = workspace / ".claw" / "settings.json"
    local = workspace / ".claw" / "settings.local.json"
    managed = tmp_path / "managed.json"
    return user, project, local, managed


def test_precedence_scalars_and_array_merge(layers_env, claw_env, workspace):
    user, project, local, managed = layers_env
    write(user, {"model": "user-model", "permissions": {"allow": ["Read"]}, "fallbackModels": ["a", "b"]})
    write(
        project,
        {"model": "project-model", "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./.env)"]}},
    )
    write(local, {"model": "local-model", "fallbackModels": ["c"]})
    write(managed, {"permissions": {"deny": ["WebFetch"]}})
    layers = config.load_layers(
        workspace, claw_env, cli_overrides={"model": "flag-model"}, managed_path=managed
    )
    settings = config.validate(layers)
    assert settings.model.model == "flag-model"
    assert settings.model.permissions.allow == ["Read", "Bash(npm test:*)"]
    assert settings.model.permissions.deny == ["Read(./.env)", "WebFetch"]
    # ordered lists are not merged: the highest layer's list wins
    assert settings.model.fallbackModels == ["c"]
    assert settings.sources["model"] == "command line"
    assert settings.sources["permissions.allow[0]"] == str(user)
    assert settings.sources["permissions.allow[1]"] == str(project)
    assert settings.sources["permissions.deny[1]"] == str(managed)
    assert settings.sources["fallbackModels[0]"] == str(local)


def test_managed_overrides_everything(layers_env, claw_env, workspace):
    _, _, local, managed = layers_env
    write(local, {"model": "local-model"})
    write(managed, {"model": "managed-model"})
    layers = config.load_layers(workspace, claw_env, cli_settings='{"model": "cli"}', managed_path=managed)
    assert config.validate(layers).model.model == "managed-model"


def test_invalid_json_reports_file_line_and_column(layers_env, claw_env, workspace):
    _, project, _, _ = layers_env
    write(project, '{\n  "model": "x"\n  "env": {}\n}')
    with pytest.raises(ConfigError) as info:
        config.load_layers(workspace, claw_env)
    assert str(info.value) == f"{project}:3:3: invalid JSON: Expecting ',' delimiter"


def test_wrong_value_names_file_and_key_path(layers_env, claw_env, workspace):
    _, project, _, _ = layers_env
    write(project, {"permissions": {"allow": ["Read", 3]}})
    with pytest.raises(ConfigError) as info:
        config.validate(config.load_layers(workspace, claw_env))
    assert str(info.value).startswith(f"{project}: permissions.allow[1]: ")


def test_unknown_key_warns_with_suggestion(layers_env, claw_env, workspace, capsys):
    _, project, _, _ = layers_env
    write(project, {"permisions": {"allow": []}})
    settings = config.validate(config.load_layers(workspace, claw_env))
    err = capsys.readouterr().err
    assert f'{project}: unknown settings key "permisions" (did you mean "permissions"?); ignored' in err
    assert settings.data["permisions"] == {"allow": []}


def test_plugin_registered_key_is_validated(layers_env, claw_env, workspace):
    _, project, _, _ = layers_env
    write(project, {"mcpServers": {"time": 3}})
    with pytest.raises(ConfigError) as info:
        config.validate(config.load_layers(workspace, claw_env), {"mcpServers": dict[str, dict]})
    assert str(info.value).startswith(f"{project}: mcpServers.time: ")


def test_settings_flag_file_missing(claw_env, workspace):
    with pytest.raises(ConfigError, match="--settings: no such file"):
        config.load_layers(workspace, claw_env, cli_settings=str(workspace / "nope.json"))


def test_top_level_must_be_object(layers_env, claw_env, workspace):
    _, project, _, _ = layers_env
    write(project, "[1, 2]")
    with pytest.raises(ConfigError, match="settings must be a JSON object, not list"):
        config.load_layers(workspace, claw_env)


def test_config_show_json_through_cli(claw, workspace, claw_env):
    write(workspace / ".claw" / "settings.json", {"model": "anthropic/claude-sonnet-4-6"})
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
    write(workspace / ".claw" / "settings.json", {"model": "m"})
    out = claw("config", "show").assert_success().stdout
    assert f'model = "m"  # {workspace / ".claw" / "settings.json"}' in out
    assert "retry.maxRetries = 10  # default" in out


def test_bad_settings_file_is_one_line_and_exit_1(claw, workspace):
    write(workspace / ".claw" / "settings.json", "{oops")
    result = claw("config", "show")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"claw: error: {workspace / '.claw' / 'settings.json'}:1:2: invalid JSON: Expecting property name enclosed in double quotes"
    ]
