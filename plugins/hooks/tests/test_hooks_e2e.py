"""Command hooks through ``claw -p`` with the scripted model, compared with Claude Code's hook contract
(what a hook reads on stdin, what its exit code and output do)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall
from claw.testing.tools import TOOLS

#: A hook that appends the JSON it read on stdin to ``$LOG`` (one line per run).
LOGGER = f"{sys.executable} -c \"import os,sys; open(os.environ['LOG'],'a').write(sys.stdin.read().strip()+'\\n')\""


@pytest.fixture
def configure(workspace: Path, tmp_path: Path, claw_env: dict[str, str], scripted, plugin_module):  # type: ignore[no-untyped-def]
    """``configure(hooks, **settings)`` writes the project settings (scripted model; the test tools of
    :mod:`claw.testing.tools`: ``Echo``, ``Touch``) and returns the log path the ``LOGGER`` hook writes to."""
    plugin_module("loop_test_tools", TOOLS)
    log = tmp_path / "hooks.log"
    claw_env["LOG"] = str(log)

    def write(hooks: dict, **settings: object) -> Path:
        (workspace / ".claw").mkdir(exist_ok=True)
        data = {"model": "scripted/default", "hooks": hooks, **settings}
        (workspace / ".claw" / "settings.json").write_text(json.dumps(data))
        return log

    return write


def on(*events: str, command: str = LOGGER, **extra: object) -> dict:
    return {event: [{"hooks": [{"type": "command", "command": command, **extra}]}] for event in events}


def logged(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.mark.parametrize(("flag", "expected"), [("bypassPermissions", "bypassPermissions"), ("plan", "plan")])
def test_hook_input_names_the_permission_mode_as_claude_code(claw, configure, scripted, flag, expected):
    log = configure(on("UserPromptSubmit", "Stop"))
    scripted.script(Reply(Text("done")))
    claw("-p", "go", "--permission-mode", flag).assert_success()
    assert [e["permission_mode"] for e in logged(log)] == [expected, expected]


def test_default_mode_is_reported_as_default(claw, configure, scripted):
    log = configure(on("UserPromptSubmit"))
    scripted.script(Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert logged(log)[0]["permission_mode"] == "default"


def test_session_end_carries_its_reason_and_matches_on_it(claw, configure, scripted):
    hooks = {"SessionEnd": [{"matcher": "other", "hooks": [{"type": "command", "command": LOGGER}]}]}
    log = configure(hooks)
    scripted.script(Reply(Text("done")))
    claw("-p", "go").assert_success()
    (end,) = logged(log)
    assert end["hook_event_name"] == "SessionEnd"
    assert end["reason"] == "other" and "source" not in end


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\ncat >/dev/null\n" + body)
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("event", ["SessionStart", "SessionEnd"])
def test_exit_2_where_claude_code_cannot_block_shows_stderr_to_the_user(
    claw, configure, scripted, tmp_path, event
):
    configure(on(event, command=script(tmp_path, "h.sh", "echo 'not allowed here' >&2; exit 2\n")))
    scripted.script(Reply(Text("done")))
    res = claw("-p", "go").assert_success()
    assert res.stdout.strip() == "done"
    assert f"{event} hook" in res.stderr and "not allowed here" in res.stderr


def test_continue_false_ends_the_run_and_shows_stop_reason_to_the_user(claw, configure, scripted, tmp_path):
    answer = json.dumps({"continue": False, "stopReason": "halt: build is red"})
    configure(on("PostToolUse", command=script(tmp_path, "h.sh", f"echo '{answer}'\n")))
    scripted.script(Reply(ToolCall("Echo", {"text": "hi"})), Reply(Text("never sent")))
    res = claw(
        "-p", "go", "--permission-mode", "bypassPermissions", "--output-format", "json"
    ).assert_success()
    assert json.loads(res.stdout)["stop_reason"] == "hook_stop"
    assert "halt: build is red" in res.stderr


def test_continue_false_outranks_a_stop_hooks_block(claw, configure, scripted, tmp_path):
    block = script(tmp_path, "b.sh", """echo '{"decision": "block", "reason": "keep going"}'\n""")
    stop = script(tmp_path, "s.sh", """echo '{"continue": false, "stopReason": "enough"}'\n""")
    configure({"Stop": [{"hooks": [{"type": "command", "command": c} for c in (block, stop)]}]})
    scripted.script(Reply(Text("first")), Reply(Text("second")))
    res = claw("-p", "go").assert_success()
    assert res.stdout.strip() == "first"
    assert "enough" in res.stderr


def test_disable_all_hooks_runs_no_hook_and_hooks_list_says_so(claw, configure, scripted, workspace):
    log = configure(on("UserPromptSubmit", "Stop"), disableAllHooks=True)
    scripted.script(Reply(Text("done")))
    res = claw("-p", "go").assert_success()
    assert logged(log) == [] and "unknown settings key" not in res.stderr
    claw("trust", str(workspace)).assert_success()
    listed = claw("hooks", "list").assert_success().stdout
    assert "disableAllHooks" in listed and "settings.json" in listed
    assert json.loads(claw("hooks", "list", "--json").stdout)["disabledBy"].endswith("settings.json")


def test_disable_all_hooks_outside_managed_settings_keeps_the_managed_hooks(claw, configure, scripted):
    log = configure(on("Stop"), disableAllHooks=True)
    claw.managed_settings.write_text(json.dumps({"hooks": on("UserPromptSubmit")}))
    scripted.script(Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert [e["hook_event_name"] for e in logged(log)] == ["UserPromptSubmit"]


def test_disable_all_hooks_in_managed_settings_turns_off_every_hook(claw, configure, scripted):
    log = configure(on("Stop"), disableAllHooks=False)
    claw.managed_settings.write_text(json.dumps({"hooks": on("UserPromptSubmit"), "disableAllHooks": True}))
    scripted.script(Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert logged(log) == []


def test_a_hook_printing_megabytes_is_capped_for_the_model_and_the_user(claw, configure, scripted, tmp_path):
    spew = f"{sys.executable} -c \"import sys; sys.stderr.write('e' * 3_000_000)\""
    hooks = {
        "PreToolUse": [{"matcher": "Echo", "hooks": [{"type": "command", "command": f"{spew}; exit 2"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": f"{spew}; exit 1"}]}],
    }
    configure(hooks)
    scripted.script(Reply(ToolCall("Echo", {"text": "hi"})), Reply(Text("done")))
    res = claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    assert len(res.stderr) < 2_000 and "exited with code 1" in res.stderr
    result = scripted.requests[1]["messages"][-1]["content"][0]
    assert 9_000 < len(json.dumps(result)) < 12_000 and "characters omitted" in json.dumps(result)


def permission_answer(tmp_path: Path, answer: dict) -> dict:
    path = tmp_path / "p.sh"
    path.write_text(f'#!/bin/sh\ncat >> "$LOG"; echo >> "$LOG"; echo \'{json.dumps(answer)}\'\n')
    path.chmod(0o755)
    return {"PermissionRequest": [{"matcher": "Touch", "hooks": [{"type": "command", "command": str(path)}]}]}


def test_permission_request_hook_approves_what_would_be_asked(claw, configure, scripted, tmp_path, workspace):
    answer = {"hookSpecificOutput": {"hookEventName": "PermissionRequest", "decision": {"behavior": "allow"}}}
    log = configure(permission_answer(tmp_path, answer))
    scripted.script(Reply(ToolCall("Touch", {"name": "made.txt"})), Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert (workspace / "made.txt").exists()
    (asked,) = logged(log)
    assert asked["hook_event_name"] == "PermissionRequest" and asked["tool_name"] == "Touch"
    assert asked["tool_input"] == {"name": "made.txt"} and asked["permission_mode"] == "default"


def test_permission_request_hook_denies_with_its_message(claw, configure, scripted, tmp_path, workspace):
    answer = {
        "hookSpecificOutput": {
            "hookEventName": "PermissionRequest",
            "decision": {"behavior": "deny", "message": "no shell on fridays"},
        }
    }
    configure(permission_answer(tmp_path, answer))
    scripted.script(Reply(ToolCall("Touch", {"name": "made.txt"})), Reply(Text("done")))
    claw("-p", "go").assert_success()
    assert not (workspace / "made.txt").exists()
    assert "no shell on fridays" in json.dumps(scripted.requests[1]["messages"][-1])


def test_permission_request_does_not_fire_for_a_call_nobody_is_asked_about(
    claw, configure, scripted, tmp_path
):
    log = configure(permission_answer(tmp_path, {}))
    scripted.script(Reply(ToolCall("Echo", {"text": "hi"})), Reply(Text("done")))
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    assert logged(log) == []


def test_compaction_fires_session_start_compact_whose_output_is_context(claw, configure, scripted, tmp_path):
    from claw.testing.script import Fault

    remind = script(tmp_path, "r.sh", "echo 'REMEMBER: tabs, not spaces'\n")
    hooks = {
        **on("PreCompact", "PostCompact", "SessionStart"),
        "SessionStart": [
            {"hooks": [{"type": "command", "command": LOGGER}]},
            {"matcher": "compact", "hooks": [{"type": "command", "command": remind}]},
        ],
    }
    log = configure(hooks, compaction={"keepRecentTurns": 1})
    scripted.script(
        Reply(ToolCall("Echo", {"text": "1"})),
        Reply(ToolCall("Echo", {"text": "2"})),
        Fault(status=400, message="prompt is too long: 210000 tokens > 200000 maximum"),
        Reply(Text("summary of the start")),
        Reply(Text("fits now")),
    )
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    fired = [(e["hook_event_name"], e.get("source") or e.get("trigger")) for e in logged(log)]
    assert fired == [
        ("SessionStart", "startup"),
        ("PreCompact", "auto"),
        ("SessionStart", "compact"),
        ("PostCompact", "auto"),
    ]
    assert "REMEMBER: tabs, not spaces" in json.dumps(scripted.requests[4]["messages"][0])
    pre, post = logged(log)[1], logged(log)[3]
    assert pre["custom_instructions"] == "" and post["compact_summary"] == "summary of the start"


def test_stop_hook_reads_the_last_assistant_message(claw, configure, scripted):
    log = configure(on("Stop"))
    scripted.script(Reply(Text("all tests pass")))
    claw("-p", "go").assert_success()
    (stop,) = logged(log)
    assert stop["last_assistant_message"] == "all tests pass" and stop["stop_hook_active"] is False


@pytest.mark.parametrize("decision", ["allow", None])
def test_pre_tool_use_updated_input_is_what_runs(claw, configure, scripted, tmp_path, workspace, decision):
    specific = {"hookEventName": "PreToolUse", "updatedInput": {"name": "rewritten.txt"}}
    if decision:
        specific["permissionDecision"] = decision
    configure(
        on(
            "PreToolUse",
            command=script(tmp_path, "u.sh", f"echo '{json.dumps({'hookSpecificOutput': specific})}'\n"),
        )
    )
    scripted.script(Reply(ToolCall("Touch", {"name": "original.txt"})), Reply(Text("done")))
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    assert (workspace / "rewritten.txt").exists() and not (workspace / "original.txt").exists()


def test_session_start_carries_source_and_model(claw, configure, scripted):
    log = configure(on("SessionStart"))
    scripted.script(Reply(Text("done")))
    claw("-p", "go").assert_success()
    (start,) = logged(log)
    assert start["source"] == "startup" and start["model"] == "default"
