"""The main-thread agent end to end: ``claw -p --agent NAME`` and settings ``agent`` (Claude Code's) run the
session itself as a sub-agent type: the scripted model receives the agent's system prompt (claw's
instructions replaced, CLAUDE.md kept) and only its tools, in its model and permission mode; flags beat
the definition, ``--agent`` beats the setting, an unknown name ends the run in one line before the model
is asked; a Claude Code plugin folder's agents are chosen as ``plugin:agent``, and its ``settings.json``
``agent`` makes one of them the default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claw.testing.script import Reply, Text

INSTRUCTIONS = "You are claw, an agent"  # claw-prompt's own instructions, which an agent's body replaces


def _define(directory: Path, name: str, *frontmatter: str, body: str = "") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(frontmatter)
    text = f"---\nname: {name}\ndescription: The {name}.\n{lines}\n---\n{body or f'AGENT-{name}-MARK'}\n"
    (directory / f"{name}.md").write_text(text)


def _settings(workspace: Path, data: dict[str, Any]) -> None:
    (workspace / ".claw").mkdir(exist_ok=True)
    (workspace / ".claw" / "settings.json").write_text(json.dumps(data))


def _run(claw: Any, *options: str) -> dict[str, Any]:
    """``claw -p go`` in stream-json with ``options``, checked successful: its ``system/init`` message."""
    res = claw("-p", "go", "--output-format", "stream-json", "--verbose", *options)
    res.assert_success()
    lines = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    return next(m for m in lines if m.get("type") == "system" and m.get("subtype") == "init")


def test_agent_flag_runs_the_session_as_the_agent(claw, scripted, workspace):
    _define(
        workspace / ".claude" / "agents",
        "reviewer",
        "tools: Read, Glob, Task",
        "model: scripted/backup",
        "permissionMode: plan",
    )
    (workspace / "CLAUDE.md").write_text("PROJECT-MEMORY-MARK\n")
    _settings(workspace, {"model": "scripted/default"})
    scripted.script(Reply(Text("reviewed")))
    init = _run(claw, "--agent", "reviewer")
    (request,) = scripted.requests
    system = json.dumps(request["system"])
    assert "AGENT-reviewer-MARK" in system and "PROJECT-MEMORY-MARK" in system
    assert INSTRUCTIONS not in system, "the agent's body replaces claw's instructions"
    # Task, the Agent tool's old name, offers it (as in a sub-agent's list)
    assert sorted(t["name"] for t in request["tools"]) == ["Agent", "Glob", "Read"]
    assert request["model"] == "backup", "the agent's model beats the settings' model"
    assert (init["model"], init["permissionMode"]) == ("backup", "plan")


def test_flags_beat_the_definition(claw, scripted, workspace):
    _define(
        workspace / ".claude" / "agents",
        "reviewer",
        "tools: Read",
        "disallowedTools: Glob",
        "model: scripted/backup",
        "permissionMode: plan",
    )
    scripted.script(Reply(Text("ok")))
    init = _run(
        claw,
        *("--agent", "reviewer", "--model", "scripted/default", "--permission-mode", "acceptEdits"),
        *("--system-prompt", "FLAG-PROMPT-MARK", "--tools", "Read,Glob,Write"),
    )
    (request,) = scripted.requests
    system = json.dumps(request["system"])
    assert "FLAG-PROMPT-MARK" in system and "AGENT-reviewer-MARK" not in system
    assert request["model"] == "default"
    assert init["permissionMode"] == "acceptEdits"
    # --tools replaces the agent's list; its disallowedTools still hide Glob
    assert sorted(t["name"] for t in request["tools"]) == ["Read", "Write"]


def test_the_setting_chooses_the_agent_and_the_flag_beats_it(claw, scripted, workspace):
    agents = workspace / ".claw" / "agents"
    _define(agents, "fromsetting", "tools: Read")
    _define(agents, "fromflag", "tools: Glob")
    _settings(workspace, {"agent": "fromsetting", "model": "scripted/default"})
    scripted.script(Reply(Text("one")), Reply(Text("two")))
    _run(claw)
    _run(claw, "--agent", "fromflag")
    by_setting, by_flag = scripted.requests
    assert "AGENT-fromsetting-MARK" in json.dumps(by_setting["system"])
    assert [t["name"] for t in by_setting["tools"]] == ["Read"]
    assert "AGENT-fromflag-MARK" in json.dumps(by_flag["system"])
    assert [t["name"] for t in by_flag["tools"]] == ["Glob"]


def test_an_unknown_agent_ends_the_run_in_one_line(claw, scripted, workspace):
    _define(workspace / ".claude" / "agents", "reviewer")
    res = claw("-p", "go", "--model", "scripted/default", "--agent", "nope")
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        "claw: error: unknown agent 'nope' (--agent); available agents: general-purpose, reviewer"
    ]
    _settings(workspace, {"agent": "missing"})
    res = claw("-p", "go", "--model", "scripted/default")
    settings_file = workspace / ".claw" / "settings.json"
    assert res.exit_code == 1 and f"unknown agent 'missing' (settings agent in {settings_file})" in res.stderr
    assert scripted.requests == [], "nothing ran"


def test_a_project_agent_cannot_start_the_run_skipping_approval(claw, scripted, workspace):
    _define(workspace / ".claude" / "agents", "yolo", "permissionMode: bypassPermissions")
    scripted.script(Reply(Text("ok")))
    res = claw(
        *("-p", "go", "--model", "scripted/default", "--agent", "yolo"),
        *("--output-format", "stream-json", "--verbose"),
    )
    res.assert_success()
    init = json.loads(next(line for line in res.stdout.splitlines() if '"init"' in line))
    assert init["permissionMode"] == "default"
    assert "permissions.defaultMode 'bypassPermissions' is ignored in project settings" in res.stderr


def _plugin(root: Path, name: str, settings: dict[str, Any] | None = None) -> Path:
    (root / ".claude-plugin").mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": name}))
    _define(root / "agents", "helper", "tools: Read", "permissionMode: plan")
    if settings is not None:
        (root / "settings.json").write_text(json.dumps(settings))
    return root


def test_a_plugin_agent_is_chosen_by_its_scoped_name(claw, scripted, tmp_path):
    root = _plugin(tmp_path / "plug", "myplug")
    scripted.script(Reply(Text("ok")))
    init = _run(claw, "--plugin-dir", str(root), "--model", "scripted/default", "--agent", "myplug:helper")
    (request,) = scripted.requests
    assert "AGENT-helper-MARK" in json.dumps(request["system"])
    assert [t["name"] for t in request["tools"]] == ["Read"]
    assert init["permissionMode"] == "default", (
        "a plugin agent's permissionMode is ignored (Claude Code's rule)"
    )


def test_a_plugin_settings_json_agent_is_the_default(claw, scripted, tmp_path, workspace):
    root = _plugin(tmp_path / "plug", "myplug", {"agent": "helper"})
    _define(workspace / ".claude" / "agents", "mine", "tools: Glob")
    scripted.script(Reply(Text("one")), Reply(Text("two")))
    _run(claw, "--plugin-dir", str(root), "--model", "scripted/default")
    _run(claw, "--plugin-dir", str(root), "--model", "scripted/default", "--agent", "mine")
    by_plugin, by_flag = scripted.requests
    assert "AGENT-helper-MARK" in json.dumps(by_plugin["system"])
    assert "AGENT-mine-MARK" in json.dumps(by_flag["system"]), "the user's choice beats the plugin's"
    broken = _plugin(tmp_path / "other", "other", {"agent": "absent"})
    scripted.script(Reply(Text("three")))
    res = claw("-p", "go", "--model", "scripted/default", "--plugin-dir", str(broken))
    res.assert_success()
    assert "unknown agent 'other:absent'" in res.stderr, "a plugin's broken default is a warning"


def test_help_lists_the_agent_flag(claw):
    res = claw("--help")
    res.assert_success()
    assert "--agent NAME" in res.stdout and "overrides the `agent` setting" in res.stdout.replace("\n", " ")


def test_an_agent_defined_by_the_agents_flag_can_be_the_main_thread(claw, scripted):
    defined = {"shouter": {"description": "Shouts.", "prompt": "SHOUT-MARK", "permissionMode": "acceptEdits"}}
    scripted.script(Reply(Text("LOUD")))
    init = _run(claw, "--model", "scripted/default", "--agents", json.dumps(defined), "--agent", "shouter")
    (request,) = scripted.requests
    assert "SHOUT-MARK" in json.dumps(request["system"])
    assert init["permissionMode"] == "acceptEdits"


def _resume(claw: Any, *options: str) -> Any:
    return claw("-p", "next", "--continue", "--model", "scripted/default", *options)


def test_a_resumed_session_keeps_its_agent_and_agent_switches_it(claw, scripted, workspace):
    agents = workspace / ".claw" / "agents"
    _define(agents, "first", "tools: Read")
    _define(agents, "second", "tools: Glob")
    scripted.script(*(Reply(Text(t)) for t in ("one", "two", "three", "four")))
    _run(claw, "--model", "scripted/default", "--agent", "first")
    _resume(claw).assert_success()
    _resume(claw, "--agent", "second").assert_success()
    _resume(claw).assert_success()
    started, resumed, switched, kept = scripted.requests
    for request, name, tool in ((started, "first", "Read"), (resumed, "first", "Read")):
        assert f"AGENT-{name}-MARK" in json.dumps(request["system"])
        assert [t["name"] for t in request["tools"]] == [tool]
    assert len(resumed["messages"]) == 3, "the conversation went on"
    for request in (switched, kept):
        assert "AGENT-second-MARK" in json.dumps(request["system"]), "--agent on resume switches, and stays"
        assert [t["name"] for t in request["tools"]] == ["Glob"]


def test_a_resumed_session_keeps_its_agent_over_the_setting(claw, scripted, workspace):
    agents = workspace / ".claw" / "agents"
    _define(agents, "chosen", "tools: Read")
    _define(agents, "setting", "tools: Glob")
    scripted.script(Reply(Text("one")), Reply(Text("two")))
    _run(claw, "--model", "scripted/default", "--agent", "chosen")
    _settings(workspace, {"agent": "setting"})
    _resume(claw).assert_success()
    assert "AGENT-chosen-MARK" in json.dumps(scripted.requests[1]["system"]), "as a resumed session's model"


def test_a_resumed_session_whose_agent_is_gone_goes_on_with_a_warning(claw, scripted, workspace):
    _define(workspace / ".claw" / "agents", "gone", "tools: Read")
    scripted.script(Reply(Text("one")), Reply(Text("two")), Reply(Text("three")))
    _run(claw, "--model", "scripted/default", "--agent", "gone")
    (workspace / ".claw" / "agents" / "gone.md").unlink()
    res = _resume(claw)
    res.assert_success()
    warned = [line for line in res.stderr.splitlines() if "gone" in line]
    assert len(warned) == 1 and "agent 'gone' of session" in warned[0] and "no longer exists" in warned[0]
    _, resumed = scripted.requests
    assert INSTRUCTIONS in json.dumps(resumed["system"]) and len(resumed["tools"]) > 1, "claw's own again"
    res = _resume(claw)
    res.assert_success()
    assert "gone" not in res.stderr, "said once: the run without it no longer records it"


def test_agents_list_and_show_include_a_plugin_dirs_agents(claw, tmp_path):
    root = _plugin(tmp_path / "plug", "myplug")
    res = claw("--plugin-dir", str(root), "agents", "list", "--json")
    res.assert_success()
    listed = {d["name"]: d for d in json.loads(res.stdout)}
    assert listed["myplug:helper"]["source"] == "plugin:myplug"
    assert listed["myplug:helper"]["path"] == str(root / "agents" / "helper.md")
    table = claw("--plugin-dir", str(root), "agents", "list")
    table.assert_success()
    assert any(line.split()[:2] == ["myplug:helper", "plugin:myplug"] for line in table.stdout.splitlines())
    shown = claw("--plugin-dir", str(root), "agents", "show", "myplug:helper")
    shown.assert_success()
    assert "source: plugin:myplug" in shown.stdout and "AGENT-helper-MARK" in shown.stdout
    without = claw("agents", "list", "--json")
    assert "myplug:helper" not in {d["name"] for d in json.loads(without.stdout)}, "only with the folder"


def test_agents_list_names_a_plugin_dir_that_cannot_be_read(claw, tmp_path):
    """A listing goes on without it, saying so in one line (a run would end: it needs the folder)."""
    root = _plugin(tmp_path / "plug", "myplug")
    res = claw("--plugin-dir", str(tmp_path / "nowhere"), "--plugin-dir", str(root), "agents", "list")
    res.assert_success()
    assert res.stderr.strip().splitlines() == [
        f"claw: warning: --plugin-dir: not a directory: {tmp_path / 'nowhere'}"
    ]
    assert "myplug:helper" in res.stdout
