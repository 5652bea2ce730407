"""Claude Code's record of installed plugins (``installed_plugins.json``), as claw-claude-plugins reads it:
both format versions, install scopes, and what it says when a plugin cannot load."""

from __future__ import annotations

import json
from pathlib import Path

from claw_claude_plugins.folders import data_dir
from claw_claude_plugins.installed import enabled_ids, installed_file, resolve


def _env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home")}


def _write(env: dict[str, str], plugins: dict[str, object], version: int = 2) -> None:
    path = installed_file(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": version, "plugins": plugins}))


def test_only_true_enables() -> None:
    settings = {"enabledPlugins": {"a@m": True, "b@m": False, "c@m": True}}
    assert enabled_ids(settings) == ["a@m", "c@m"] and enabled_ids({}) == []


def test_scopes_apply_where_claude_code_applies_them(tmp_path: Path) -> None:
    env, here, there = _env(tmp_path), tmp_path / "here", tmp_path / "there"
    for folder in (here, there, tmp_path / "u", tmp_path / "p", tmp_path / "q"):
        folder.mkdir()
    (tmp_path / "link").symlink_to(here)
    _write(
        env,
        {
            "u@m": [{"scope": "user", "installPath": str(tmp_path / "u")}],
            "p@m": [
                {
                    "scope": "project",
                    "installPath": str(tmp_path / "p"),
                    "projectPath": str(tmp_path / "link"),
                }
            ],
            "q@m": [{"scope": "local", "installPath": str(tmp_path / "q"), "projectPath": str(there)}],
        },
    )
    found = {e.plugin_id: (e.root, e.problem) for e in resolve(["u@m", "p@m", "q@m"], here, env)}
    assert found["u@m"] == (tmp_path / "u", "")
    assert found["p@m"] == (tmp_path / "p", ""), "projectPath compared as a real path"
    assert found["q@m"][0] is None and found["q@m"][1].startswith("not installed for this folder")


def test_version_1_has_one_record_per_id(tmp_path: Path) -> None:
    env = _env(tmp_path)
    (tmp_path / "a").mkdir()
    _write(env, {"a@m": {"installPath": str(tmp_path / "a"), "version": "1.0.0"}}, version=1)
    assert [(e.root, e.problem) for e in resolve(["a@m"], tmp_path, env)] == [(tmp_path / "a", "")]


def test_a_broken_record_file_is_each_plugins_problem(tmp_path: Path) -> None:
    env = _env(tmp_path)
    installed_file(env).parent.mkdir(parents=True)
    installed_file(env).write_text("{broken")
    problems = [e.problem for e in resolve(["a@m", "b@m"], tmp_path, env)]
    assert len(problems) == 2 and all("installed_plugins.json:1:2: invalid JSON" in p for p in problems)


def test_nothing_enabled_reads_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    installed_file(env).parent.mkdir(parents=True)
    installed_file(env).write_text("{broken")
    assert resolve([], tmp_path, env) == []


def test_the_data_folder_is_named_as_claude_code_names_it(tmp_path: Path) -> None:
    env = {"CLAUDE_CONFIG_DIR": str(tmp_path / "cc")}
    assert (
        data_dir("formatter@my-market", env) == tmp_path / "cc" / "plugins" / "data" / "formatter-my-market"
    )
