"""``claw lsp list``, ``claw doctor`` and the configuration sources, through the real CLI; and the
entry point's import cost (pygls must not load at start-up)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing import assert_import_light
from lsp_support import pylsp

pytestmark = pytest.mark.usefixtures("trusted_workspace")


def test_the_entry_point_imports_no_client_library() -> None:
    assert_import_light("claw_lsp.plugin", banned=("pygls", "lsprotocol", "cattrs"), only_itself=True)


def write(project: Path, lsp_json: dict, settings: dict | None = None) -> None:
    (project / ".lsp.json").write_text(json.dumps(lsp_json))
    if settings is not None:
        (project / ".claude").mkdir(exist_ok=True)
        (project / ".claude" / "settings.json").write_text(json.dumps(settings))


def test_list_shows_servers_from_both_sources_and_settings_win(claw, workspace: Path) -> None:
    write(
        workspace,
        {"pylsp": pylsp(), "ghost": {"command": "no-such-lsp-xyz", "extensionToLanguage": {".gh": "ghost"}}},
        {"lspServers": {"ghost": {**pylsp(), "extensionToLanguage": {".gh": "ghost"}}}},
    )
    result = claw("lsp", "list", "--json").assert_success()
    rows = {r["name"]: r for r in result.json()["servers"]}
    assert (
        rows["ghost"]["source"] == "settings lspServers"
        and rows["ghost"]["state"] == "ready (starts on first use)"
    )
    assert rows["pylsp"]["source"].endswith(".lsp.json") and rows["pylsp"]["extensions"] == [".py"]


def test_list_check_starts_each_server_and_fails_on_a_missing_command(claw, workspace: Path) -> None:
    write(
        workspace,
        {"pylsp": pylsp(), "ghost": {"command": "no-such-lsp-xyz", "extensionToLanguage": {".gh": "ghost"}}},
    )
    result = claw("lsp", "list", "--check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("pylsp: ") and "running (initialized in" in line for line in lines), lines
    assert "ghost: no-such-lsp-xyz [.gh] - failed" in lines
    assert "    command not found: no-such-lsp-xyz (from " in result.stdout


def test_invalid_entries_are_reported_and_the_others_kept(claw, workspace: Path) -> None:
    write(workspace, {"pylsp": pylsp(), "bad": {"command": "x", "extensionToLanguage": {"py": "python"}}})
    result = claw("lsp", "list")
    assert result.exit_code == 1
    assert (
        "invalid: " in result.stdout
        and "server 'bad': extensionToLanguage: Value error, extension 'py' must start with '.'"
        in result.stdout
    )
    assert "pylsp: " in result.stdout


def test_nothing_configured_says_so(claw, workspace: Path) -> None:
    assert "No language servers configured" in claw("lsp", "list").assert_success().stdout


def test_doctor_checks_each_server_command(claw, workspace: Path) -> None:
    write(
        workspace,
        {"pylsp": pylsp(), "ghost": {"command": "no-such-lsp-xyz", "extensionToLanguage": {".gh": "ghost"}}},
    )
    result = claw("doctor", "--json")
    checks = {c["name"]: c for c in result.json() if c["section"] == "lsp"}
    assert checks["pylsp"]["status"] == "ok" and checks["pylsp"]["detail"].startswith(pylsp()["command"])
    assert (
        checks["ghost"]["status"] == "fail"
        and "command not found: no-such-lsp-xyz" in checks["ghost"]["detail"]
    )
    assert result.exit_code == 1


def test_doctor_reads_the_work_dir_s_servers_from_anywhere(claw, workspace: Path, tmp_path: Path) -> None:
    """``claw --work-dir DIR doctor`` checks DIR's ``.lsp.json``, not the current directory's."""
    write(workspace, {"ghost": {"command": "no-such-lsp-xyz", "extensionToLanguage": {".gh": "ghost"}}})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = claw("--work-dir", workspace, "doctor", "--json", cwd=elsewhere)
    checks = {c["name"]: c for c in result.json() if c["section"] == "lsp"}
    assert (
        checks["ghost"]["status"] == "fail"
        and "command not found: no-such-lsp-xyz" in checks["ghost"]["detail"]
    )
    assert result.exit_code == 1


def test_bad_lsp_options_are_a_settings_error(claw, workspace: Path) -> None:
    write(workspace, {}, {"lsp": {"requestTimeout": -1}})
    result = claw("lsp", "list")
    assert result.exit_code != 0 and "lsp.requestTimeout" in result.stderr


def test_an_untrusted_folder_s_servers_are_not_listed_and_named_as_held_back(claw, workspace: Path) -> None:
    write(workspace, {"pylsp": pylsp()}, {"lspServers": {"other": pylsp()}})
    claw("trust", "--revoke").assert_success()
    assert json.loads(claw("lsp", "list", "--json").assert_success().stdout) == {"servers": [], "errors": []}
    shown = claw("config", "show").assert_success().stdout
    assert "#   language server pylsp: " in shown  # .lsp.json, named by claw-lsp
    assert f"#   lspServers other ({workspace / '.claude' / 'settings.json'})" in shown  # by the kernel
