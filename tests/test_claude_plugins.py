"""The plugins a user installed in Claude Code (``/plugin install name@marketplace``) load in every claw run
when settings ``enabledPlugins`` turns them on, as ``--plugin-dir`` folders do: a fake home holds Claude
Code's ``~/.claude/plugins/installed_plugins.json`` and the plugin's folder in its install cache.
claw-claude-plugins reads them; claw-tools-workflow runs the commands, claw-tools-shell the ``!`cmd` ``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import front_ends
import pytest
from claw.testing.script import Reply, Text

GREET = """---
description: Greet someone
allowed-tools: Bash(cat:*)
---
Greet $ARGUMENTS. Notes: !`cat ${CLAUDE_PLUGIN_ROOT}/notes.txt`
"""


def _text(message: dict[str, Any]) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(b.get("text", "") for b in content)


class ClaudeHome:
    """Claude Code's user directory in the test's home: plugins installed into its cache, recorded in
    ``plugins/installed_plugins.json``, enabled in a settings file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.records: dict[str, list[dict[str, Any]]] = {}

    def install(self, name: str, *, scope: str = "user", project: Path | None = None) -> Path:
        """Install plugin ``name@market`` (a ``/greet`` command) as Claude Code lays it out."""
        folder = self.root / "plugins" / "cache" / "market" / name / "1.0.0"
        (folder / ".claude-plugin").mkdir(parents=True, exist_ok=True)
        (folder / "commands").mkdir(exist_ok=True)
        (folder / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": name, "version": "1.0.0"}))
        (folder / "commands" / "greet.md").write_text(GREET)
        (folder / "notes.txt").write_text(f"from {name}")
        record = {"scope": scope, "installPath": str(folder), "version": "1.0.0", "installedAt": "2026-12-01"}
        if project is not None:
            record["projectPath"] = str(project)
        self.records.setdefault(f"{name}@market", []).append(record)
        self.write_records({"version": 2, "plugins": self.records})
        return folder

    def write_records(self, data: dict[str, Any]) -> None:
        (self.root / "plugins").mkdir(parents=True, exist_ok=True)
        (self.root / "plugins" / "installed_plugins.json").write_text(json.dumps(data))

    def enable(self, settings_file: Path, **enabled: bool) -> None:
        """``enabledPlugins`` in ``settings_file`` (``name=True`` for ``name@market``)."""
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        data = {"enabledPlugins": {f"{name}@market": on for name, on in enabled.items()}}
        settings_file.write_text(json.dumps(data))


@pytest.fixture
def home(claw_env: dict[str, str]) -> ClaudeHome:
    return ClaudeHome(Path(claw_env["HOME"]) / ".claude")


def _greet(claw, *args: str) -> Any:  # type: ignore[no-untyped-def]
    return claw("--model", "scripted/default", "-p", "/greeter:greet you", *args)


def test_an_enabled_installed_plugins_command_runs(claw, scripted, home: ClaudeHome) -> None:
    """User scope, enabled in ``~/.claude/settings.json``: ``/greeter:greet`` expands with
    ``${CLAUDE_PLUGIN_ROOT}`` as the install folder, and the run's ``init`` lists the plugin."""
    folder = home.install("greeter")
    home.enable(home.root / "settings.json", greeter=True)
    scripted.script(Reply(Text("hi")))
    done = _greet(claw, "--verbose", "--output-format", "stream-json").assert_success()
    assert "Greet you. Notes: from greeter" in _text(scripted.requests[0]["messages"][-1])
    init = json.loads(done.stdout.splitlines()[0])
    assert {"name": "greeter", "path": str(folder)} in init["plugins"]
    assert "claw: warning" not in done.stderr


def test_a_plugin_enabled_then_disabled_in_the_project_does_not_load(
    claw, scripted, home: ClaudeHome, workspace: Path
) -> None:
    """The project's ``false`` wins over the user's ``true`` (settings merge key by key, as in Claude Code):
    the command is unknown."""
    home.install("greeter")
    home.enable(home.root / "settings.json", greeter=True)
    home.enable(workspace / ".claude" / "settings.json", greeter=False)
    _greet(claw).assert_failure(1, "unknown slash command /greeter:greet")
    home.enable(workspace / ".claude" / "settings.json", greeter=True)
    scripted.script(Reply(Text("hi")))
    _greet(claw).assert_success()
    assert "Greet you. Notes: from greeter" in _text(scripted.requests[0]["messages"][-1])


def test_a_project_install_loads_only_in_its_project(
    claw, scripted, home: ClaudeHome, workspace: Path, tmp_path: Path
) -> None:
    """A ``project`` install record applies where its ``projectPath`` is; enabled in the project's own
    ``.claude/settings.json`` (``-p`` trusts the folder, as Claude Code does)."""
    home.install("greeter", scope="project", project=tmp_path / "elsewhere")
    home.enable(workspace / ".claude" / "settings.json", greeter=True)
    done = _greet(claw).assert_failure(1, "unknown slash command /greeter:greet")
    assert (
        "claw: warning: Claude Code plugin greeter@market is not loaded: not installed for this folder"
        in (done.stderr)
    )
    home.install("greeter", scope="project", project=workspace)
    scripted.script(Reply(Text("hi")))
    _greet(claw).assert_success()
    assert "Greet you. Notes: from greeter" in _text(scripted.requests[0]["messages"][-1])


def test_an_untrusted_folders_enabled_plugins_are_held_back(
    claw, scripted, home: ClaudeHome, workspace: Path
) -> None:
    """With trust required, a folder not trusted does not turn plugins on (their hooks and servers run
    commands); the one line names what it skipped. The user's own settings still do."""
    home.install("greeter", scope="project", project=workspace)
    home.install("other")
    home.enable(workspace / ".claude" / "settings.json", greeter=True)
    home.enable(home.root / "settings.json", other=True)
    done = _greet(claw, "--require-trust").assert_failure(1, "unknown slash command /greeter:greet")
    assert "skipped enabledPlugins greeter@market" in done.stderr
    scripted.script(Reply(Text("hi")))
    claw("--model", "scripted/default", "-p", "/other:greet me", "--require-trust").assert_success()
    assert "Greet me. Notes: from other" in _text(scripted.requests[0]["messages"][-1])
    claw("trust").assert_success()
    scripted.script(Reply(Text("hi")))
    _greet(claw, "--require-trust").assert_success()
    assert "Greet you. Notes: from greeter" in _text(scripted.requests[1]["messages"][-1])


@pytest.mark.parametrize("damage", ["no record", "folder gone", "version 1", "broken manifest"])
def test_a_plugin_that_cannot_load_warns_and_the_run_goes_on(
    claw, scripted, home: ClaudeHome, damage: str
) -> None:
    """One warning line naming the plugin (Claude Code lists it as failed to load); the other enabled
    plugin loads. Format version 1 (one record per id) is read too."""
    folder = home.install("greeter")
    home.install("other")
    home.enable(home.root / "settings.json", greeter=True, other=True)
    expected = {
        "no record": "greeter@market is not loaded: not installed for this folder",
        "folder gone": f"greeter@market is not loaded: its folder {folder} is gone",
        "version 1": "",
        "broken manifest": f"greeter@market is not loaded: {folder / '.claude-plugin' / 'plugin.json'}:1:2: invalid",
    }[damage]
    if damage == "no record":
        del home.records["greeter@market"]
        home.write_records({"version": 2, "plugins": home.records})
    elif damage == "folder gone":
        folder.rename(folder.with_name("moved"))
    elif damage == "version 1":
        home.write_records({"version": 1, "plugins": {k: v[0] for k, v in home.records.items()}})
    else:
        (folder / ".claude-plugin" / "plugin.json").write_text("{nope")
    scripted.script(Reply(Text("hi")))
    done = claw("--model", "scripted/default", "-p", "/other:greet me").assert_success()
    assert "Greet me. Notes: from other" in _text(scripted.requests[0]["messages"][-1])
    warnings = [line for line in done.stderr.splitlines() if line.startswith("claw: warning")]
    if expected:
        assert len(warnings) == 1 and f"claw: warning: Claude Code plugin {expected}" in warnings[0]
    else:
        assert warnings == []


def test_claude_config_dir_moves_the_installed_plugins(
    claw, scripted, claw_env: dict[str, str], tmp_path: Path
) -> None:
    home = ClaudeHome(tmp_path / "claude-config")
    home.install("greeter")
    home.enable(home.root / "settings.json", greeter=True)
    claw_env["CLAUDE_CONFIG_DIR"] = str(home.root)
    scripted.script(Reply(Text("hi")))
    _greet(claw).assert_success()
    assert "Greet you. Notes: from greeter" in _text(scripted.requests[0]["messages"][-1])


def test_a_plugin_dir_of_the_same_name_stands_in_for_the_installed_one(
    claw, scripted, home: ClaudeHome, tmp_path: Path
) -> None:
    home.install("greeter")
    home.enable(home.root / "settings.json", greeter=True)
    local = tmp_path / "work" / "greeter"
    (local / "commands").mkdir(parents=True)
    (local / "commands" / "greet.md").write_text("Local greeting for $ARGUMENTS.\n")
    scripted.script(Reply(Text("hi")))
    _greet(claw, "--plugin-dir", str(local)).assert_success()
    assert _text(scripted.requests[0]["messages"][-1]) == "Local greeting for you."


def test_plugin_data_is_replaced_in_hooks_and_commands(
    claw, scripted, home: ClaudeHome, claw_env: dict[str, str]
) -> None:
    """``${CLAUDE_PLUGIN_DATA}`` is ``~/.claude/plugins/data/<id with @ as ->``, made as the plugin
    loads when it uses it; a hook writes there and a command reads it back."""
    folder = home.install("greeter")
    (folder / "hooks").mkdir()
    command = 'echo "$CLAW_HOOK_EVENT" > "${CLAUDE_PLUGIN_DATA}/seen.txt"'
    hooks = {"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": command}]}]}}
    (folder / "hooks" / "hooks.json").write_text(json.dumps(hooks))
    home.enable(home.root / "settings.json", greeter=True)
    scripted.script(Reply(Text("hi")), Reply(Text("hi")))
    _greet(claw).assert_success()
    data = home.root / "plugins" / "data" / "greeter-market"
    assert (data / "seen.txt").is_file()
    (folder / "commands" / "seen.md").write_text(
        "---\nallowed-tools: Bash(cat:*)\n---\nData in ${CLAUDE_PLUGIN_DATA}\n"
    )
    claw("--model", "scripted/default", "-p", "/greeter:seen").assert_success()
    assert _text(scripted.requests[1]["messages"][-1]) == f"Data in {data}"


def test_doctor_lists_the_claude_code_plugins(claw, home: ClaudeHome) -> None:
    folder = home.install("greeter")
    home.enable(home.root / "settings.json", greeter=True, missing=True)
    done = claw("doctor", "--json")
    checks = [c for c in json.loads(done.stdout) if c["section"] == "claude plugins"]
    assert [(c["name"], c["status"]) for c in checks] == [
        ("greeter@market", "ok"),
        ("missing@market", "warn"),
    ]
    assert checks[0]["detail"] == str(folder)
    assert "not installed for this folder" in checks[1]["detail"]


def test_switched_off_nothing_loads_and_the_flag_names_the_plugin(claw, scripted, home: ClaudeHome) -> None:
    """``plugins.disabled: ["claude-plugins"]``: enabled plugins stay unloaded, ``--plugin-dir`` says what
    to install."""
    home.install("greeter")
    home.enable(home.root / "settings.json", greeter=True)
    settings = Path(claw.env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"plugins": {"disabled": ["claude-plugins"]}}))
    _greet(claw).assert_failure(1, "unknown slash command /greeter:greet")
    for flag in ("--plugin-dir", "--plugin-url"):
        claw("-p", "hi", flag, "x").assert_failure(2, f"{flag} needs the claw-claude-plugins plugin")


def test_an_interactive_session_loads_what_the_settled_trust_allows(
    claw, scripted, home: ClaudeHome, workspace: Path, plugin_module
) -> None:
    """Interactive, the folder's trust is settled after the command line: an untrusted folder's
    ``enabledPlugins`` stay off (one line says so), a trusted one's load."""
    plugin_module("front_end", front_ends.ONE_TURN)
    claw.env["CLAW_DISABLE_PLUGINS"] = "repl,tui"
    home.install("greeter", scope="local", project=workspace)
    home.enable(workspace / ".claude" / "settings.local.json", greeter=True)
    done = claw("--model", "scripted/default", "--repl", "/greeter:greet you")
    done.assert_failure(1, "unknown slash command /greeter:greet")
    assert "skipped enabledPlugins greeter@market" in done.stderr and scripted.requests == []
    claw("trust").assert_success()
    scripted.script(Reply(Text("hi")))
    claw("--model", "scripted/default", "--repl", "/greeter:greet you").assert_success()
    assert "Greet you. Notes: from greeter" in _text(scripted.requests[0]["messages"][-1])


def test_agents_list_includes_the_installed_plugins_agents(claw, home: ClaudeHome, tmp_path: Path) -> None:
    """``claw agents list|show`` (no session) see the agents of the plugins settings enable, and a
    ``--plugin-dir`` folder of the same name stands in for the installed one there too."""
    folder = home.install("greeter")
    (folder / "agents").mkdir()
    (folder / "agents" / "helper.md").write_text("---\nname: helper\ndescription: Helps.\n---\nINSTALLED\n")
    home.enable(home.root / "settings.json", greeter=True, missing=True)
    done = claw("agents", "list", "--json").assert_success()
    listed = {d["name"]: d for d in json.loads(done.stdout)}
    assert listed["greeter:helper"]["source"] == "plugin:greeter"
    assert "Claude Code plugin missing@market is not loaded" in done.stderr
    shown = claw("agents", "show", "greeter:helper").assert_success()
    assert "INSTALLED" in shown.stdout
    local = tmp_path / "work" / "greeter"
    (local / "agents").mkdir(parents=True)
    (local / "agents" / "helper.md").write_text("---\nname: helper\ndescription: Local.\n---\nLOCAL\n")
    shown = claw("--plugin-dir", str(local), "agents", "show", "greeter:helper").assert_success()
    assert "LOCAL" in shown.stdout and "INSTALLED" not in shown.stdout
