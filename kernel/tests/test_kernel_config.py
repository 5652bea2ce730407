"""Layered settings: precedence, merging, provenance and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw import _config as config
from claw._errors import ConfigError
from claw.testing import write_project_settings
from claw.testing.script import Reply, Text


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
        workspace, claw_env, cli_settings='{"model": "flag-model"}', managed_path=managed
    )
    settings = config.validate(layers)
    assert settings.model.model == "flag-model"
    assert settings.model.permissions.allow == ["Read", "Bash(npm test:*)"]
    assert settings.model.permissions.deny == ["Read(./.env)", "WebFetch"]
    # ordered lists are not merged: the highest layer's list wins
    assert settings.model.fallbackModels == ["c"]
    assert settings.sources["model"] == "--settings"
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


@pytest.mark.parametrize(
    ("admin", "added", "model"),
    [
        (None, [("cli", "sdk-settings")], "sdk-settings"),  # over the files and --settings
        (None, [("cli", "sdk-settings"), ("managed", "sdk-managed")], "sdk-managed"),
        ({"model": "admin"}, [("managed", "sdk-managed")], "admin"),  # the machine's policy wins
    ],
)
def test_settings_added_to_a_built_app_layer_where_their_scope_does(
    layers_env, claw_env, workspace, admin, added, model
):
    """``App.add_settings`` (the Agent SDK's settings, sent after the app is built): a ``cli`` layer
    goes after ``--settings``, a ``managed`` one under the managed file."""
    from claw._app import App

    user, _, _, managed = layers_env
    write(user, {"model": "user"})
    if admin is not None:
        write(managed, admin)
    app = App(workspace=workspace, env=claw_env, cli_settings='{"model": "flag-file"}', managed_path=managed)
    assert app.settings.model.model == (admin or {}).get("model", "flag-file")
    for scope, value in added:
        app.add_settings(scope, f"{scope} added", {"model": value})
    assert app.settings.model.model == model  # validated again


def test_a_layer_added_again_is_kept_once(claw_env, workspace):
    """A front end's next session (``/clear``) brings its options' layers again: each stays one layer, so
    their hooks and list values do not double; the same label with other data is another layer."""
    from claw._app import App

    app = App(workspace=workspace, env=claw_env)
    before = len(app.layers)
    for _ in range(2):
        app.add_settings("cli", "plugin p", {"permissions": {"allow": ["Read"]}})
    assert len(app.layers) == before + 1
    assert app.settings.model.permissions.allow == ["Read"]
    app.add_settings("cli", "plugin p", {"permissions": {"allow": ["Glob"]}})
    assert app.settings.model.permissions.allow == ["Read", "Glob"]


def test_an_unknown_key_inside_a_section_warns_with_a_suggestion(claw, loop_env, workspace):
    """A typo inside one of the kernel's sections (``sandbox.enabeld``) was kept and ignored without a
    word, so the sandbox stayed off while the file said otherwise; it is reported as a top-level typo
    is. Claude Code's files keep their allowance: its keys claw lacks are quiet there."""
    project = write_project_settings(
        workspace,
        {"sandbox": {"enabeld": True, "network": {"allowedDomain": ["x.org"]}}, "retry": {"maxRetry": 1}},
    )
    claude = workspace / ".claude" / "settings.json"
    claude.parent.mkdir()
    claude.write_text(json.dumps({"sandbox": {"ignoreViolations": {}}, "permissions": {"allow": ["Read"]}}))
    loop_env.script(Reply(Text("ok")))
    result = claw("-p", "hi").assert_success()
    assert result.stderr.splitlines() == [
        f'claw: warning: {project}: unknown settings key "retry.maxRetry" (did you mean "retry.maxRetries"?); '
        "ignored",
        f'claw: warning: {project}: unknown settings key "sandbox.enabeld" (did you mean "sandbox.enabled"?); '
        "ignored",
        f'claw: warning: {project}: unknown settings key "sandbox.network.allowedDomain" (did you mean '
        '"sandbox.network.allowedDomains"?); ignored',
    ]


def test_an_unknown_hook_event_names_the_key_as_written(claw, loop_env, workspace):
    """The error named ``hooks.PreToolUs.[key]`` (pydantic's marker for a mapping's key), not the key."""
    project = write_project_settings(workspace, {"hooks": {"PreToolUs": []}})
    err = claw("-p", "hi").assert_failure(1).stderr
    assert err.startswith(f"claw: error: {project}: hooks.PreToolUs: Input should be 'PreToolUse', ")
    assert loop_env.requests == []
