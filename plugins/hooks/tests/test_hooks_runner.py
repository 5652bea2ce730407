"""The hook runner with real hook scripts run as subprocesses."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest
from claw import HookContext, HookEvent
from claw._app import App
from claw._config import Layer, validate
from claw._hook_dispatch import HookDispatch
from claw.testing import processes_gone
from claw_hooks.settings import HooksSettings


def settings_with(ws: Path, hooks: dict, extra_layers=()):
    layers = [*extra_layers, Layer("project", str(ws / ".claw/settings.json"), {"hooks": hooks}, ws)]
    return validate(layers, {"hooks": HooksSettings})


def runner(ws, hooks, env, records=None, extra_layers=(), plugins=()):
    """Hook events fired as the loop fires them: through ``claw_hook_event``, with claw-hooks loaded
    (and the test's handler plugins, ``plugin_module``, and ``plugins`` by module)."""
    modules = [m for m in env.get("CLAW_PLUGIN_MODULES", "").split(",") if m]
    env = {**env, "CLAW_PLUGIN_MODULES": ",".join([*modules, *plugins, "claw_hooks.plugin"])}
    pm = App(workspace=ws, env=env, load_entry_points=False).pm
    context = HookContext(
        settings=settings_with(ws, hooks, extra_layers),
        workspace=ws,
        env=env,
        report=(lambda record: None) if records is None else records.append,
    )
    return HookDispatch(pm, context)


def cmd(command, timeout=None, matcher="Bash"):
    hook = {"type": "command", "command": command}
    if timeout is not None:
        hook["timeout"] = timeout
    return {"matcher": matcher, "hooks": [hook]}


def pre(tool="Bash", **tool_input):
    return HookEvent(
        hook_event_name="PreToolUse",
        session_id="s1",
        cwd="/x",
        tool_name=tool,
        tool_input=tool_input or {"command": "rm -rf /"},
    )


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


def test_exit_2_blocks_with_stderr_and_payload_on_stdin(claw_env, workspace, tmp_path):
    seen = tmp_path / "payload.json"
    s = script(
        tmp_path,
        "block.sh",
        f'cat > {seen}\necho "$CLAUDE_PROJECT_DIR|$CLAW_PROJECT_DIR" > {tmp_path}/env.txt\necho "rm is not allowed" >&2\nexit 2\n',
    )
    records = []
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env, records).run(pre()))
    assert outcome.action == "block"
    assert outcome.reason == "rm is not allowed"
    payload = json.loads(seen.read_text())
    assert payload["hook_event_name"] == "PreToolUse"
    assert payload["tool_name"] == "Bash"
    assert payload["tool_input"] == {"command": "rm -rf /"}
    assert payload["session_id"] == "s1"
    assert (tmp_path / "env.txt").read_text().strip() == f"{workspace}|{workspace}"
    assert records[0]["outcome"] == "block" and records[0]["exit_code"] == 2
    assert records[0]["source"].endswith("settings.json") and records[0]["duration_ms"] > 0


def test_updated_input_and_allow(claw_env, workspace, tmp_path):
    out = {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow",
                                  "permissionDecisionReason": "safe", "updatedInput": {"command": "ls -la"},
                                  "additionalContext": "rewrote the command"}}  # fmt: skip
    s = script(tmp_path, "modify.sh", f"cat >/dev/null\necho '{json.dumps(out)}'\n")
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env).run(pre()))
    assert outcome.action == "allow"
    assert outcome.updated_input == {"command": "ls -la"}
    assert outcome.reason == "safe"
    assert outcome.additional_context == "rewrote the command"


def test_updated_input_without_decision_is_modify(claw_env, workspace, tmp_path):
    out = {"hookSpecificOutput": {"updatedInput": {"command": "echo safe"}}}
    s = script(tmp_path, "m.sh", f"echo '{json.dumps(out)}'\n")
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env).run(pre()))
    assert outcome.action == "modify" and outcome.updated_input == {"command": "echo safe"}


def test_timeout_does_not_block_and_kills_the_group(claw_env, workspace, tmp_path, capsys):
    pidfile = tmp_path / "pid"
    s = script(tmp_path, "slow.sh", f"sleep 30 &\necho $! > {pidfile}\nwait\n")
    records = []
    start = time.monotonic()
    outcome = asyncio.run(
        runner(workspace, {"PreToolUse": [cmd(s, timeout=0.5)]}, claw_env, records).run(pre())
    )
    assert time.monotonic() - start < 5
    assert outcome.action == "continue"
    assert records[0]["outcome"] == "timeout"
    assert "timed out after 0.5s" in capsys.readouterr().err
    assert processes_gone([int(pidfile.read_text())], timeout=2.5)  # killed: it ends a moment later


def test_cancelling_kills_the_hook_process_group(claw_env, workspace, tmp_path):
    pidfile = tmp_path / "pid"
    s = script(tmp_path, "slow.sh", f"sleep 30 &\necho $! > {pidfile}\nwait\n")
    r = runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env)

    async def main():
        task = asyncio.create_task(r.run(pre()))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if pidfile.exists() and pidfile.read_text().strip():
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert processes_gone([int(pidfile.read_text())], timeout=2.5)


def test_bad_json_is_reported(claw_env, workspace, tmp_path, capsys):
    s = script(tmp_path, "bad.sh", "echo '{not json'\n")
    records = []
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env, records).run(pre()))
    assert outcome.action == "continue"
    err = capsys.readouterr().err
    assert "printed invalid JSON" in err and s in err
    assert "invalid JSON" in records[0]["error"]


def test_wrongly_typed_output_is_reported(claw_env, workspace, tmp_path, capsys):
    s = script(tmp_path, "bad.sh", """echo '{"hookSpecificOutput": {"permissionDecision": "maybe"}}'\n""")
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env).run(pre()))
    assert outcome.action == "continue"
    assert "permissionDecision must be allow, deny, ask or defer" in capsys.readouterr().err


def test_other_exit_codes_are_non_blocking_errors(claw_env, workspace, tmp_path, capsys):
    s = script(tmp_path, "err.sh", "echo 'lint crashed' >&2\nexit 1\n")
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env).run(pre()))
    assert outcome.action == "continue"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exited with code 1: lint crashed" in err


def test_hooks_run_in_parallel_and_identical_commands_run_once(claw_env, workspace, tmp_path):
    log = tmp_path / "log"
    a = script(tmp_path, "a.sh", f"sleep 1\necho a >> {log}\n")
    b = script(tmp_path, "b.sh", f"sleep 1\necho b >> {log}\n")
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    user = Layer("user", str(cfg / "settings.json"), {"hooks": {"PreToolUse": [cmd(a, matcher="*")]}}, cfg)
    records = []
    r = runner(
        workspace, {"PreToolUse": [cmd(a), cmd(b, matcher="")]}, claw_env, records, extra_layers=[user]
    )
    start = time.monotonic()
    asyncio.run(r.run(pre()))
    assert time.monotonic() - start < 1.8
    assert sorted(log.read_text().split()) == ["a", "b"]
    assert len(records) == 2


def test_a_hooks_env_is_added_to_its_command_alone(claw_env, workspace, tmp_path):
    """A hook's ``env`` (how a Claude Code plugin's hooks get ``CLAUDE_PLUGIN_ROOT``) reaches its own
    command, not another hook's; the same command with another ``env`` is another hook and runs too."""
    log = tmp_path / "log"
    show = f'echo "${{PLUGIN_VAR-unset}}" >> {log}'

    def with_env(value):
        return {
            "matcher": "Bash",
            "hooks": [{"type": "command", "command": show, "env": {"PLUGIN_VAR": value}}],
        }

    hooks = {"PreToolUse": [with_env("one"), with_env("two"), cmd(show)]}
    asyncio.run(runner(workspace, hooks, claw_env).run(pre()))
    assert sorted(log.read_text().split()) == ["one", "two", "unset"]


@pytest.mark.parametrize(
    ("matcher", "tool", "runs"),
    [
        ("Edit|Write", "Bash", False),
        ("Edit|Write", "Write", True),
        ("Edit, Write", "Edit", True),
        ("", "Anything", True),
        ("*", "Anything", True),
        ("^mcp__github__.*", "mcp__github__create", True),
        ("mcp__.*__create", "mcp__gitlab__create", True),
        ("^mcp__github__.*", "mcp__gitlab__create", False),
        ("Bash", "BashOutput", False),
        ("Notebook", "NotebookEdit", False),
        ("^Notebook", "NotebookEdit", True),
    ],
)
def test_matchers(claw_env, workspace, tmp_path, matcher, tool, runs):
    s = script(tmp_path, "m.sh", "exit 2\n")
    outcome = asyncio.run(
        runner(workspace, {"PreToolUse": [cmd(s, matcher=matcher)]}, claw_env).run(pre(tool))
    )
    assert (outcome.action == "block") is runs


def out_script(tmp_path, name, data):
    return script(tmp_path, name, f"echo '{json.dumps(data)}'\n")


def decision(d, reason=""):
    return {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": d,
            "permissionDecisionReason": reason,
        }
    }


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        (["allow", "deny"], "block"),
        (["allow", "ask"], "ask"),
        (["ask", "deny"], "block"),
        (["allow", "allow"], "allow"),
        (["allow", "defer"], "continue"),
        (["defer", "ask"], "ask"),
    ],
)
def test_merging(claw_env, workspace, tmp_path, decisions, expected):
    hooks = [cmd(out_script(tmp_path, f"h{i}.sh", decision(d, f"r{i}"))) for i, d in enumerate(decisions)]
    outcome = asyncio.run(runner(workspace, {"PreToolUse": hooks}, claw_env).run(pre()))
    assert outcome.action == expected
    if expected == "block":
        assert outcome.reason == f"r{decisions.index('deny')}"


def test_common_fields_and_deprecated_decisions(claw_env, workspace, tmp_path):
    stop = out_script(
        tmp_path, "stop.sh", {"continue": False, "stopReason": "budget", "systemMessage": "hi user"}
    )
    outcome = asyncio.run(runner(workspace, {"PreToolUse": [cmd(stop)]}, claw_env).run(pre()))
    assert not outcome.keep_going and outcome.stop_reason == "budget" and outcome.system_message == "hi user"
    approve = out_script(tmp_path, "ap.sh", {"decision": "approve", "reason": "ok"})
    assert (
        asyncio.run(runner(workspace, {"PreToolUse": [cmd(approve)]}, claw_env).run(pre())).action == "allow"
    )
    block = out_script(tmp_path, "bl.sh", {"decision": "block", "reason": "keep going"})
    event = HookEvent(hook_event_name="Stop", stop_hook_active=False)
    outcome = asyncio.run(
        runner(workspace, {"Stop": [{"hooks": [{"type": "command", "command": block}]}]}, claw_env).run(event)
    )
    assert outcome.action == "block" and outcome.reason == "keep going"


def test_plain_stdout_becomes_context_for_prompt_and_session_start(claw_env, workspace, tmp_path):
    s = script(tmp_path, "ctx.sh", "cat >/dev/null\necho 'today is Tuesday'\n")
    r = runner(workspace, {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": s}]}],
                           "SessionStart": [{"matcher": "startup", "hooks": [{"type": "command", "command": s}]}],
                           "PostToolUse": [cmd(s)]}, claw_env)  # fmt: skip
    ups = asyncio.run(r.run(HookEvent(hook_event_name="UserPromptSubmit", prompt="hi")))
    assert ups.additional_context == "today is Tuesday"
    start = asyncio.run(r.run(HookEvent(hook_event_name="SessionStart", source="startup")))
    assert start.additional_context == "today is Tuesday"
    resume = asyncio.run(r.run(HookEvent(hook_event_name="SessionStart", source="resume")))
    assert resume.additional_context is None
    post = asyncio.run(r.run(HookEvent(hook_event_name="PostToolUse", tool_name="Bash", tool_response={})))
    assert post.additional_context is None


HANDLERS = """
import claw

@claw.hookimpl
def claw_hook_event(event):
    if event.hook_event_name == "PreToolUse" and event.tool_input.get("command") == "raise":
        raise RuntimeError("handler bug")
    if event.hook_event_name == "PreToolUse" and event.tool_input.get("command") == "rm":
        return claw.HookOutcome(action="block", reason="handler says no")
    if event.hook_event_name == "PreToolUse" and event.tool_input.get("command") == "rewrite":
        return claw.HookOutcome(action="modify", updated_input={"command": "rewritten"})
    return None
"""


def test_programmatic_handlers_run_first(claw_env, workspace, tmp_path, plugin_module, capsys):
    plugin_module("perm_hook_handlers", HANDLERS)
    seen = tmp_path / "seen.json"
    s = script(tmp_path, "seen.sh", f"cat > {seen}\n")
    records = []
    r = runner(workspace, {"PreToolUse": [cmd(s)]}, claw_env, records)
    blocked = asyncio.run(r.run(pre(command="rm")))
    assert blocked.action == "block" and blocked.reason == "handler says no"
    assert not seen.exists()  # a block ends the event before command hooks
    modified = asyncio.run(r.run(pre(command="rewrite")))
    assert modified.action == "modify" and modified.updated_input == {"command": "rewritten"}
    assert json.loads(seen.read_text())["tool_input"] == {"command": "rewritten"}
    survived = asyncio.run(r.run(pre(command="raise")))
    assert survived.action == "continue"
    assert (
        'plugin "perm_hook_handlers" raised in claw_hook_event: RuntimeError: handler bug; skipped'
        in capsys.readouterr().err
    )
    assert {rec["kind"] for rec in records} == {"plugin", "command"}


def test_posix_shell_features(claw_env, workspace, tmp_path):
    outcome = asyncio.run(
        runner(
            workspace,
            {"PreToolUse": [cmd('test "$(cat | head -c 1)" = "{" && echo blocked >&2 && exit 2')]},
            claw_env,
        ).run(pre())
    )
    assert outcome.action == "block" and outcome.reason == "blocked"
    assert os.name == "posix"


CONTEXT_HANDLERS = """
import claw

@claw.hookimpl
def claw_hook_event(event):
    if event.hook_event_name == "UserPromptSubmit":
        return claw.HookOutcome(additional_context="from a handler", system_message="note")
"""


def test_continue_outcomes_of_handlers_keep_their_context(claw_env, workspace, tmp_path, plugin_module):
    plugin_module("perm_hook_context", CONTEXT_HANDLERS)
    s = script(tmp_path, "ctx.sh", "echo 'from a command'\n")
    r = runner(workspace, {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": s}]}]}, claw_env)
    outcome = asyncio.run(r.run(HookEvent(hook_event_name="UserPromptSubmit", prompt="hi")))
    assert outcome.action == "continue"
    assert outcome.additional_context == "from a handler\nfrom a command" and outcome.system_message == "note"


@pytest.mark.parametrize(
    ("condition", "tool", "tool_input", "runs"),
    [
        # no shell tool in this session: the kernel has no grammar to find "git" in the line (with the
        # real Bash tool: claw-tools-shell's test_hook_if_condition_meets_each_command)
        ("Bash(git *)", "Bash", {"command": "git push"}, False),
        ("Bash", "Bash", {"command": "npm test && git push"}, True),
        ("Edit(/src/**)", "Write", {"file_path": "src/a.py"}, True),
        ("Edit(/src/**)", "Write", {"file_path": "docs/a.md"}, False),
        ("WebFetch(domain:*.example.com)", "WebFetch", {"url": "https://api.example.com/"}, True),
        ("mcp__github", "mcp__github__create", {}, True),
        ("Bash", "Read", {"file_path": "x"}, False),
    ],
)
def test_if_condition(claw_env, workspace, tmp_path, condition, tool, tool_input, runs):
    s = script(tmp_path, "if.sh", "exit 2\n")
    hooks = {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": s, "if": condition}]}]}
    event = HookEvent(hook_event_name="PreToolUse", tool_name=tool, tool_input=tool_input)
    r = runner(
        workspace, hooks, claw_env, plugins=["claw_permissions.plugin"]
    )  # claw-permissions reads the rule
    assert (asyncio.run(r.run(event)).action == "block") is runs


def test_if_condition_without_a_rule_reader_runs_on_every_tool_event(claw_env, workspace, tmp_path, capsys):
    s = script(tmp_path, "if.sh", "exit 2\n")
    hooks = {
        "PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": s, "if": "Bash(git *)"}]}]
    }
    event = HookEvent(hook_event_name="PreToolUse", tool_name="Read", tool_input={"file_path": "x"})
    assert asyncio.run(runner(workspace, hooks, claw_env).run(event)).action == "block"
    assert "needs claw-permissions (pip install claw-permissions)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("mode", "ran"),
    [({}, ["cli", "managed", "project"]), ({"CLAUDE_CODE_SIMPLE": "1"}, ["cli", "managed"]),
     ({"CLAUDE_CODE_SAFE_MODE": "1"}, ["managed"])],
)  # fmt: skip
def test_bare_and_safe_mode_keep_which_settings_hooks(claw_env, workspace, tmp_path, mode, ran):
    """``--bare`` drops the hooks of the files claw finds itself (project here); ``--safe-mode`` keeps
    only the managed settings' (the policy's), as Claude Code's safe mode does: not ``--settings``' either."""
    log = tmp_path / "log"

    def hook(name):
        return {"PreToolUse": [cmd(f"echo {name} >> {log}", matcher="*")]}

    layers = [
        Layer("cli", "--settings", {"hooks": hook("cli")}, workspace),
        Layer("managed", str(tmp_path / "managed-settings.json"), {"hooks": hook("managed")}, tmp_path),
    ]
    r = runner(workspace, hook("project"), {**claw_env, **mode}, extra_layers=layers)
    asyncio.run(r.run(pre()))
    assert sorted(log.read_text().split()) == ran
