"""claw-hooks as a plugin: settings hooks run only through it, the kernel fires every hook event
through ``claw_hook_event`` (a third-party handler sees them with or without claw-hooks), and claw
without it runs and says what to install."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall

OBSERVER = """
import os
import claw
from claw import Tool, ToolResult, ToolSpec


class Ping(Tool):
    spec = ToolSpec(name="Ping", description="Writes pinged.txt and answers pong.", read_only=True)

    async def run(self, input, ctx):
        (ctx.workspace / "pinged.txt").write_text("pong")
        return ToolResult(content="pong")


@claw.hookimpl
def claw_register_tools(register):
    register(Ping())


@claw.hookimpl
def claw_hook_event(event):
    with open(os.environ["SEEN"], "a") as fh:
        fh.write(event.hook_event_name + "\\n")
"""


@pytest.fixture
def hooked(workspace: Path, tmp_path: Path, claw_env: dict[str, str], scripted, plugin_module):  # type: ignore[no-untyped-def]
    """A workspace whose settings hooks touch ``markers/<event>``, a third-party handler logging every
    event it sees to ``seen.txt``, and a model that calls one tool."""
    markers = tmp_path / "markers"
    markers.mkdir()
    touch = f'{sys.executable} -c "import pathlib,sys; pathlib.Path(sys.argv[1]).touch()"'
    hooks = {
        event: [{"hooks": [{"type": "command", "command": f"{touch} {markers}/{event}"}]}]
        for event in ("SessionStart", "PreToolUse", "Stop")
    }
    (workspace / ".claw").mkdir(exist_ok=True)
    (workspace / ".claw" / "settings.json").write_text(
        json.dumps({"model": "scripted/default", "hooks": hooks})
    )
    claw_env["SEEN"] = str(tmp_path / "seen.txt")
    plugin_module("hooks_observer", OBSERVER)
    scripted.script(Reply(ToolCall("Ping", {})), Reply(Text("done")))
    return markers


EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd"]


def _seen(claw_env: dict[str, str]) -> list[str]:
    return Path(claw_env["SEEN"]).read_text().split()


def test_settings_hooks_run_and_a_third_party_handler_sees_every_event(claw, claw_env, hooked):
    res = claw("-p", "go").assert_success()
    assert "pip install claw-hooks" not in res.stderr
    assert sorted(p.name for p in hooked.iterdir()) == ["PreToolUse", "SessionStart", "Stop"]
    assert _seen(claw_env) == EVENTS


def test_without_claw_hooks_claw_runs_hooks_do_not_and_one_line_says_what_to_install(claw, claw_env, hooked):
    claw_env["CLAW_DISABLE_PLUGINS"] = "hooks"
    res = claw("-p", "go").assert_success()
    assert res.stdout.strip() == "done"
    assert list(hooked.iterdir()) == []
    assert _seen(claw_env) == EVENTS  # the kernel still fires every event through claw_hook_event
    line = 'claw: warning: settings "hooks" are not used: claw-hooks is not installed or is disabled (pip install claw-hooks)'
    assert res.stderr.count("pip install claw-hooks") == 1 and line in res.stderr
    doctor = claw("doctor", "--json").json()
    check = next(c for c in doctor if c["name"] == "claw-hooks")
    assert check["status"] == "warn" and "pip install claw-hooks" in check["detail"]


def test_doctor_is_quiet_about_claw_hooks_when_it_is_loaded(claw, hooked):
    doctor = claw("doctor", "--json").json()
    assert not [c for c in doctor if c["name"] == "claw-hooks"]


def _stream(*messages: dict) -> str:
    return "".join(json.dumps(m) + "\n" for m in messages)


def test_without_claw_hooks_the_agent_sdk_callbacks_are_said_not_to_run(
    claw, claw_env, scripted, workspace, plugin_module, tmp_path
):
    """The SDK registers a PreToolUse callback; without claw-hooks nobody asks the client, the call
    goes ahead and one line says what to install."""
    claw_env["CLAW_DISABLE_PLUGINS"] = "hooks"
    claw_env["SEEN"] = str(tmp_path / "seen.txt")
    plugin_module("hooks_observer", OBSERVER)
    scripted.script(Reply(ToolCall("Ping", {})), Reply(Text("done")))
    hooks = {"PreToolUse": [{"matcher": "Ping", "hookCallbackIds": ["cb_1"]}]}
    stdin = _stream(
        {
            "type": "control_request",
            "request_id": "init",
            "request": {"subtype": "initialize", "hooks": hooks},
        },
        {"type": "user", "message": {"role": "user", "content": "make a file"}},
    )
    args = ("-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json")
    res = claw.subprocess(
        *args, "--model", "scripted/default", "--permission-mode", "bypassPermissions", input=stdin
    )
    res.assert_success()
    asked = [line for line in res.stdout.splitlines() if '"hook_callback"' in line]
    assert asked == [] and (workspace / "pinged.txt").exists()
    line = "the Agent SDK's hook callbacks are not used: claw-hooks is not installed or is disabled (pip install claw-hooks)"
    assert res.stderr.count(line) == 1
