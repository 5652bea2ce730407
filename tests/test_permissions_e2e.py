"""Permissions and hooks end to end: ``claw -p`` with the scripted model and small real tools."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall
from transcripts import last_tool_results

TOOLS = """
import claw
from claw import Access, Tool, ToolResult, ToolSpec


class Write(Tool):
    spec = ToolSpec(name="Write", description="Write a file.",
                    input_schema={"type": "object", "properties": {"file_path": {"type": "string"},
                                  "content": {"type": "string"}}})

    def access(self, input, ctx):
        return [Access(kind="write", path=input["file_path"])]

    async def run(self, input, ctx):
        path = ctx.resolve(input["file_path"])
        path.write_text(input["content"])
        return ToolResult(content="wrote " + str(path))


class Edit(Write):
    spec = ToolSpec(name="Edit", description="Edit a file.", input_schema=Write.spec.input_schema)


class Read(Tool):
    spec = ToolSpec(name="Read", description="Read a file.", read_only=True,
                    input_schema={"type": "object", "properties": {"file_path": {"type": "string"}}})

    def access(self, input, ctx):
        return [Access(kind="read", path=input["file_path"])]

    async def run(self, input, ctx):
        return ToolResult(content=ctx.resolve(input["file_path"]).read_text())


@claw.hookimpl
def claw_register_tools(register):
    for tool in (Write(), Edit(), Read()):
        register(tool)
"""


@pytest.fixture
def run_env(scripted, plugin_module, claw_env, workspace):
    plugin_module("perm_e2e_tools", TOOLS)
    claw_env["CLAW_PLUGIN_MODULES"] += ",claw.testing.scripted_provider"
    # These small stand-ins replace the real Write/Edit/Read (registered first otherwise); Bash is the real
    # one (claw-tools-shell): what a line runs reaches the engine only through its declared accesses.
    claw_env["CLAW_DISABLE_PLUGINS"] = "claw-tools-files"
    os.environ.update(claw_env)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted


def project_settings(workspace: Path, data: dict) -> None:
    (workspace / ".claw").mkdir(exist_ok=True)
    (workspace / ".claw" / "settings.json").write_text(json.dumps(data))


def test_pre_tool_use_hook_exit_2_blocks_bash(claw, run_env, workspace, tmp_path):
    hook = tmp_path / "no-shell.sh"
    hook.write_text(
        '#!/bin/sh\ncat > "$CLAUDE_PROJECT_DIR/hook-input.json"\necho "no shell today" >&2\nexit 2\n'
    )
    hook.chmod(0o755)
    project_settings(
        workspace,
        {
            "hooks": {
                "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": str(hook)}]}]
            }
        },
    )
    run_env.script(Reply(ToolCall("Bash", {"command": "touch ran.txt"})), Reply(Text("understood")))
    result = (
        claw("-p", "go", "--permission-mode", "bypassPermissions", "--output-format", "json")
        .assert_success()
        .json()
    )
    assert result["result"] == "understood"
    assert not (workspace / "ran.txt").exists()
    [blocked] = last_tool_results(run_env, 1)
    assert blocked["is_error"] and blocked["content"] == "no shell today"
    assert result["permission_denials"][0]["tool_name"] == "Bash"
    payload = json.loads((workspace / "hook-input.json").read_text())
    assert (
        payload["tool_input"] == {"command": "touch ran.txt"} and payload["hook_event_name"] == "PreToolUse"
    )


def test_read_only_mode_denies_edit(claw, run_env, workspace):
    (workspace / "a.txt").write_text("original")
    run_env.script(
        Reply(ToolCall("Edit", {"file_path": "a.txt", "content": "changed"})),
        Reply(Text("ok, planning only")),
    )
    result = claw("-p", "go", "--permission-mode", "plan", "--output-format", "json").assert_success().json()
    assert (workspace / "a.txt").read_text() == "original"
    [denied] = last_tool_results(run_env, 1)
    assert denied["is_error"] and "not allowed in read-only mode" in denied["content"]
    assert result["result"] == "ok, planning only"


def test_write_outside_workspace_denied_in_workspace_write_and_the_run_goes_on(claw, run_env, workspace):
    outside = workspace.parent / "outside.txt"
    run_env.script(
        Reply(ToolCall("Write", {"file_path": "../outside.txt", "content": "x"})),
        Reply(ToolCall("Write", {"file_path": "inside.txt", "content": "y"})),
        Reply(Text("done")),
    )
    result = (
        claw("-p", "go", "--permission-mode", "acceptEdits", "--output-format", "json")
        .assert_success()
        .json()
    )
    assert not outside.exists()
    [denied] = last_tool_results(run_env, 1)
    assert denied["is_error"] and "is outside the workspace (workspace-write mode)" in denied["content"]
    assert (workspace / "inside.txt").read_text() == "y"
    assert result["result"] == "done" and result["num_turns"] == 3
    assert [d["tool_name"] for d in result["permission_denials"]] == ["Write"]


def test_headless_prompt_mode_denies_what_would_ask_and_rules_allow(claw, run_env, workspace):
    project_settings(workspace, {"permissions": {"allow": ["Bash(touch *)"], "deny": ["Bash(rm *)"]}})
    (workspace / "keep.txt").write_text("k")
    run_env.script(
        Reply(
            ToolCall("Bash", {"command": "touch made.txt"}),
            ToolCall("Bash", {"command": "touch x && rm keep.txt"}),
        ),
        Reply(ToolCall("Edit", {"file_path": "keep.txt", "content": "z"})),
        Reply(Text("finished")),
    )
    result = claw("-p", "go", "--output-format", "json").assert_success().json()
    assert (workspace / "made.txt").exists() and (workspace / "keep.txt").read_text() == "k"
    allowed, denied = last_tool_results(run_env, 1)
    assert not allowed["is_error"]
    assert denied["is_error"] and 'deny rule "Bash(rm *)"' in denied["content"]
    [edit] = last_tool_results(run_env, 2)
    assert edit["is_error"] and "no one can approve it in a non-interactive run" in edit["content"]
    assert result["result"] == "finished"


def test_allowed_and_disallowed_tools_flags(claw, run_env, workspace):
    run_env.script(Reply(ToolCall("Edit", {"file_path": "a.txt", "content": "1"})), Reply(Text("ok")))
    claw("-p", "go", "--allowed-tools", "Edit").assert_success()
    assert (workspace / "a.txt").read_text() == "1"
    run_env.script(Reply(Text("ok")))
    claw("-p", "go", "--disallowed-tools", "Bash").assert_success()
    offered = {t["name"] for t in run_env.requests[-1]["tools"]}
    assert "Bash" not in offered and {"Write", "Edit", "EnterPlanMode", "ExitPlanMode"} <= offered


def test_plan_mode_tools_switch_the_session_mode(claw, run_env, workspace):
    run_env.script(
        Reply(ToolCall("EnterPlanMode", {})),
        Reply(ToolCall("Write", {"file_path": "a.txt", "content": "1"})),
        Reply(ToolCall("ExitPlanMode", {"plan": "write a.txt"})),
        Reply(ToolCall("Write", {"file_path": "a.txt", "content": "2"})),
        Reply(Text("done")),
    )
    claw("-p", "go", "--permission-mode", "acceptEdits").assert_success()
    [denied] = last_tool_results(run_env, 2)
    assert denied["is_error"] and "read-only" in denied["content"]
    [written] = last_tool_results(run_env, 4)
    assert not written["is_error"] and (workspace / "a.txt").read_text() == "2"


def test_bypass_refused_when_disabled(claw, run_env, workspace):
    project_settings(workspace, {"permissions": {"disableBypassPermissionsMode": "disable"}})
    claw("-p", "go", "--dangerously-skip-permissions").assert_failure(
        1, "permission mode danger-full-access is disabled by"
    )


def test_hook_ask_in_a_headless_run_denies(claw, run_env, workspace, tmp_path):
    out = {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "ask",
                                  "permissionDecisionReason": "double-check writes"}}  # fmt: skip
    hook = tmp_path / "ask.sh"
    hook.write_text(f"#!/bin/sh\necho '{json.dumps(out)}'\n")
    hook.chmod(0o755)
    project_settings(
        workspace,
        {
            "hooks": {
                "PreToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": str(hook)}]}]
            }
        },
    )
    run_env.script(Reply(ToolCall("Write", {"file_path": "a.txt", "content": "1"})), Reply(Text("ok")))
    claw("-p", "go", "--permission-mode", "acceptEdits").assert_success()
    [denied] = last_tool_results(run_env, 1)
    assert denied["is_error"] and denied["content"].startswith("double-check writes; no one can approve it")
    assert not (workspace / "a.txt").exists()


def test_verbose_run_logs_each_decision(claw, run_env, workspace):
    run_env.script(Reply(ToolCall("Edit", {"file_path": "a.txt", "content": "1"})), Reply(Text("ok")))
    result = claw.subprocess("--verbose", "-p", "go", "--permission-mode", "plan").assert_success()
    line = next(x for x in result.stderr.splitlines() if "permission_decision" in x)
    assert "tool=Edit" in line and "decision=deny" in line and "mode read-only" in line


def _allow_hook(tmp_path: Path) -> Path:
    hook = tmp_path / "allow-all.sh"
    hook.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        'echo \'{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow"}}\'\n'
    )
    hook.chmod(0o755)
    return hook


def test_hook_allow_skips_the_prompt_but_not_deny_rules(claw, run_env, workspace, tmp_path):
    hook = _allow_hook(tmp_path)
    project_settings(
        workspace,
        {
            "permissions": {"deny": ["Bash(rm *)"]},
            "hooks": {
                "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": str(hook)}]}]
            },
        },
    )
    (workspace / "keep.txt").write_text("x")
    run_env.script(
        Reply(ToolCall("Bash", {"command": "touch made.txt"}), ToolCall("Bash", {"command": "rm keep.txt"})),
        Reply(Text("done")),
    )
    # default mode, headless: without the hook, touch would be denied for want of an approver
    result = claw("-p", "go", "--output-format", "json").assert_success().json()
    assert (workspace / "made.txt").exists()
    assert (workspace / "keep.txt").exists()
    allowed, denied = last_tool_results(run_env, 1)
    assert not allowed["is_error"]
    assert denied["is_error"] and 'deny rule "Bash(rm *)"' in denied["content"]
    assert [d["tool_input"] for d in result["permission_denials"]] == [{"command": "rm keep.txt"}]


def test_hook_allow_does_not_skip_ask_rules(claw, run_env, workspace, tmp_path):
    hook = _allow_hook(tmp_path)
    project_settings(
        workspace,
        {
            "permissions": {"ask": ["Bash(git push *)"]},
            "hooks": {
                "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": str(hook)}]}]
            },
        },
    )
    run_env.script(Reply(ToolCall("Bash", {"command": "git push origin main"})), Reply(Text("skipped")))
    claw("-p", "go").assert_success()
    [asked] = last_tool_results(run_env, 1)
    assert asked["is_error"] and "needs approval" in asked["content"]


#: Replaces the rule engine's answer for Write (``claw_permission_decision``, ``tryfirst``); other tools
#: are left to the next plugin, finally the built-in rule engine.
DENY_WRITE = """
import claw


@claw.hookimpl(tryfirst=True)
def claw_permission_decision(tool, tool_input, ctx, mode):
    if tool.name == "Write":
        return claw.Verdict(decision="deny", reason="this shop takes no writes")
    return None
"""

#: Decides nothing: notes each call it saw and leaves it to the rules.
WATCHER = """
import claw


@claw.hookimpl
def claw_permission_decision(tool, tool_input, ctx, mode):
    with open(ctx.workspace / "seen.log", "a") as fh:
        fh.write(tool.name + "\\n")
    return None
"""


def test_a_permission_plugin_denies_write_whatever_the_rules_allow(
    claw, run_env, workspace, plugin_module, claw_env
):
    plugin_module("deny_write", DENY_WRITE)
    run_env.script(
        Reply(
            ToolCall("Write", {"file_path": "w.txt", "content": "w"}),
            ToolCall("Edit", {"file_path": "e.txt", "content": "e"}),
        ),
        Reply(Text("done")),
    )
    args = ("-p", "go", "--allowed-tools", "Write,Edit", "--permission-mode", "bypassPermissions")
    result = claw(*args, "--output-format", "json").assert_success().json()
    assert not (workspace / "w.txt").exists() and (workspace / "e.txt").read_text() == "e"
    write, edit = last_tool_results(run_env, 1)
    assert write["is_error"] and "this shop takes no writes" in write["content"]
    assert not edit["is_error"]
    assert [d["tool_name"] for d in result["permission_denials"]] == ["Write"]
    # The decision is recorded as the plugin's.
    from claw import _paths as paths

    path = paths.sessions_dir(workspace, claw_env) / f"{result['session_id']}.jsonl"
    events = [json.loads(line) for line in path.read_text().splitlines()]
    denied = [e for e in events if e["type"] == "permission" and e["decision"] == "deny"]
    assert [e["source"] for e in denied] == ["plugin deny_write"]


def test_a_plugin_that_answers_none_leaves_the_decision_to_the_rules(claw, run_env, workspace, plugin_module):
    plugin_module("watcher", WATCHER)
    run_env.script(Reply(ToolCall("Write", {"file_path": "a.txt", "content": "1"})), Reply(Text("ok")))
    claw("-p", "go", "--allowed-tools", "Write").assert_success()
    assert (workspace / "a.txt").read_text() == "1"  # the allow rule decided
    run_env.script(Reply(ToolCall("Write", {"file_path": "b.txt", "content": "2"})), Reply(Text("ok")))
    claw("-p", "go").assert_success()
    [denied] = last_tool_results(run_env, 3)
    assert denied["is_error"] and "no one can approve it in a non-interactive run" in denied["content"]
    assert not (workspace / "b.txt").exists()
    assert (workspace / "seen.log").read_text() == "Write\nWrite\n"


def test_without_claw_permissions_reads_inside_the_workspace_run_and_the_rest_is_denied_in_p(
    claw, run_env, workspace, claw_env
):
    """The kernel's safe default: rules need claw-permissions, so ``--allowed-tools`` grants nothing; a
    read inside the workspace runs, a write is denied in ``-p`` naming the distribution to install."""
    claw_env["CLAW_DISABLE_PLUGINS"] += ",permissions"
    (workspace / "r.txt").write_text("hello")
    run_env.script(
        Reply(
            ToolCall("Read", {"file_path": "r.txt"}),
            ToolCall("Read", {"file_path": "/etc/hostname"}),
            ToolCall("Write", {"file_path": "a.txt", "content": "1"}),
        ),
        Reply(Text("ok")),
    )
    claw("-p", "go", "--allowed-tools", "Write").assert_success()
    inside, outside, write = last_tool_results(run_env, 1)
    assert not inside["is_error"] and "hello" in inside["content"]
    for denied in (outside, write):
        assert denied["is_error"] and "pip install claw-permissions" in denied["content"]
        assert "no one can approve it in a non-interactive run" in denied["content"]
    assert not (workspace / "a.txt").exists()


def test_without_claw_permissions_bypass_mode_still_allows(claw, run_env, workspace, claw_env):
    claw_env["CLAW_DISABLE_PLUGINS"] += ",permissions"
    run_env.script(Reply(ToolCall("Write", {"file_path": "a.txt", "content": "1"})), Reply(Text("ok")))
    claw("-p", "go", "--permission-mode", "bypassPermissions").assert_success()
    assert (workspace / "a.txt").read_text() == "1"


def test_without_any_policy_a_run_refuses_to_start_in_one_line(claw, run_env, workspace, claw_env):
    """The safe default is the ``safe_policy`` built-in: disabled too, nothing decides tool calls, so
    the run ends before its session starts, saying what to enable."""
    claw_env["CLAW_DISABLE_PLUGINS"] += ",permissions,safe_policy"
    run_env.script(Reply(ToolCall("Write", {"file_path": "a.txt", "content": "1"})), Reply(Text("ok")))
    result = claw("-p", "go", "--permission-mode", "bypassPermissions")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "claw: error: no permission policy: claw-permissions and the safe_policy built-in are both "
        "disabled or not installed (settings plugins.disabled)"
    )
    assert not (workspace / "a.txt").exists()


def test_explain_names_rule_and_file_for_each_command_the_shell_tool_read(claw, workspace):
    """``claw permissions explain`` with the real Bash tool: each command of a compound line is judged."""
    claw("trust").assert_success()  # the folder's own allow rules count only in a trusted folder
    path = workspace / ".claw" / "settings.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps({"permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./secrets/**)"]}})
    )
    result = claw(
        "permissions", "explain", "Bash", '{"command": "npm test && cat secrets/key"}'
    ).assert_success()
    assert "decision: deny" in result.stdout
    assert f'deny rule "Read(./secrets/**)" from {path}' in result.stdout
    assert f'execute npm test: allow by allow rule "Bash(npm test:*)" from {path}' in result.stdout
    data = claw("permissions", "explain", "Bash", '{"command": "npm test"}', "--json").assert_success().json()
    assert data["decision"] == "allow" and data["source"] == f'allow rule "Bash(npm test:*)" from {path}'
