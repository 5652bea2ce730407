"""Plan-mode tools switching the session's mode, and the auto mode's classifiers."""

from __future__ import annotations

import asyncio

import pytest
from claw import (
    PERMISSIONS,
    Access,
    Classifier,
    PermissionRequest,
    Tool,
    ToolContext,
    ToolError,
    ToolResult,
    ToolSpec,
    Verdict,
)
from claw._app import App
from claw._config import Layer, validate
from claw._errors import ConfigError
from claw_permissions import PermissionEngine, RuleClassifier
from claw_permissions.plan_mode import EnterPlanMode, ExitPlanMode
from perm_tools import TOOLS


def engine_for(workspace, mode=None, perms=None, **kw):
    layers = [
        Layer("project", str(workspace / ".claw/settings.json"), {"permissions": perms or {}}, workspace)
    ]
    return PermissionEngine(settings=validate(layers), workspace=workspace, mode=mode, **kw)


def run(coro):
    return asyncio.run(coro)


def test_plan_mode_round_trip(workspace):
    engine = engine_for(workspace, "acceptEdits")
    ctx = ToolContext(workspace=workspace, session_id="s")
    enter, leave, edit = EnterPlanMode(), ExitPlanMode(), TOOLS["Edit"]
    assert run(engine.check(enter, {}, ctx)).decision == "allow"
    assert ctx.stash[PERMISSIONS] is engine
    result = run(enter.run({}, ctx))
    assert engine.mode == "read-only" and ctx.permission_mode == "read-only" and not result.is_error
    verdict = run(engine.check(edit, {"file_path": "a.py"}, ctx))
    assert verdict.decision == "deny" and "read-only" in verdict.reason
    assert run(engine.check(leave, {"plan": "1. edit a.py"}, ctx)).decision == "allow"
    result = run(leave.run({"plan": "1. edit a.py"}, ctx))
    assert engine.mode == "workspace-write" and result.data == {"approved": True, "mode": "workspace-write"}
    assert run(engine.check(edit, {"file_path": "a.py"}, ctx)).decision == "allow"


def test_leaving_plan_mode_started_in_plan_goes_to_prompt(workspace):
    engine = engine_for(workspace, "plan")
    ctx = ToolContext(workspace=workspace, session_id="s")
    run(engine.check(ExitPlanMode(), {"plan": "x"}, ctx))
    run(ExitPlanMode().run({"plan": "x"}, ctx))
    assert engine.mode == "prompt"


def test_plan_needs_approval_when_someone_can_answer(workspace):
    engine = engine_for(workspace, "prompt")
    questions = []

    async def ask(question, options):
        questions.append((question, options))
        return "no"

    ctx = ToolContext(workspace=workspace, session_id="s", ask=ask)
    ctx.stash[PERMISSIONS] = engine
    run(EnterPlanMode().run({}, ctx))
    result = run(ExitPlanMode().run({"plan": "delete everything"}, ctx))
    assert engine.mode == "read-only" and result.data["approved"] is False
    assert "delete everything" in questions[0][0] and questions[0][1] == ["yes", "no"]


def test_plan_tools_without_a_gate(workspace):
    with pytest.raises(ToolError, match="no permission gate"):
        run(EnterPlanMode().run({}, ToolContext(workspace=workspace, session_id="s")))


def test_the_distribution_registers_plan_tools_and_rule_classifier(claw_env, workspace):
    app = App(workspace=workspace, env=claw_env)
    assert {"EnterPlanMode", "ExitPlanMode"} <= set(app.tools)
    assert isinstance(app.classifiers["rule"].obj, RuleClassifier)


class Fixed(Classifier):
    def __init__(self, name, answer):
        self.name, self.answer = name, answer
        self.calls = 0

    async def classify(self, request):
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return None if self.answer is None else Verdict(decision=self.answer, reason=f"{self.name} said so")


def decide(engine, workspace, command="make deploy"):
    return run(
        engine.decide(TOOLS["Bash"], {"command": command}, ToolContext(workspace=workspace, session_id="s"))
    )


def test_auto_mode_first_non_none_verdict_wins_and_rule_classifier_goes_last(workspace):
    abstain, allow = Fixed("abstain", None), Fixed("yes", "allow")
    engine = engine_for(workspace, "auto", classifiers=[RuleClassifier(), abstain, allow])
    assert [c.name for c in engine.policy.classifiers] == ["abstain", "yes", "rule"]
    decision = decide(engine, workspace)
    assert decision.verdict.decision == "allow" and decision.classifier == "yes"
    assert decision.verdict.source == "classifier yes" and abstain.calls == 1
    # reads inside the workspace and rule decisions never reach classifiers
    ctx = ToolContext(workspace=workspace, session_id="s")
    read = run(engine.decide(TOOLS["Read"], {"file_path": "x"}, ctx))
    assert read.verdict.decision == "allow" and allow.calls == 1


def test_auto_mode_rule_classifier_safe_list(workspace):
    engine = engine_for(workspace, "auto")
    assert [c.name for c in engine.policy.classifiers] == ["rule"]
    assert decide(engine, workspace, "rm -rf build").verdict.decision == "ask"
    assert decide(engine, workspace, "cat /etc/passwd").verdict.decision == "ask"
    # read-only commands on workspace paths, as the shell tool that read them classified them
    git_log = Access(kind="execute", command="git log", argv=["git", "log"], command_class="read")
    head = Access(kind="execute", command="head a", argv=["head", "a"], command_class="read", operands=["a"])
    request = PermissionRequest(
        tool_name="Bash", tool_input={}, workspace=str(workspace), mode="auto", accesses=[git_log, head]
    )
    assert run(RuleClassifier().classify(request)).decision == "allow"
    outside = head.model_copy(update={"operands": ["/etc/passwd"]})
    for accesses in ([git_log, outside], [Access(kind="execute", command="git log | head")]):
        request = request.model_copy(update={"accesses": accesses})
        assert run(RuleClassifier().classify(request)).decision == "ask"


def test_classifier_errors_mean_ask(workspace):
    engine = engine_for(
        workspace, "auto", classifiers=[Fixed("boom", RuntimeError("down")), Fixed("yes", "allow")]
    )
    verdict = decide(engine, workspace).verdict
    assert verdict.decision == "ask" and "classifier boom failed (RuntimeError: down)" in verdict.reason


def test_classifiers_selected_by_settings(workspace):
    yes = Fixed("yes", "allow")
    engine = engine_for(workspace, "auto", {"classifiers": ["rule", "yes"]}, classifiers=[yes])
    assert [c.name for c in engine.policy.classifiers] == ["rule", "yes"]
    assert decide(engine, workspace).verdict.decision == "ask" and yes.calls == 0
    with pytest.raises(
        ConfigError, match=r"settings\.json: permissions\.classifiers: unknown classifier 'nope'"
    ):
        engine_for(workspace, "auto", {"classifiers": ["nope"]})


def test_explicit_ask_rules_skip_classifiers_in_auto(workspace):
    yes = Fixed("yes", "allow")
    engine = engine_for(workspace, "auto", {"ask": ["Bash(make *)"]}, classifiers=[yes])
    assert decide(engine, workspace).verdict.decision == "ask" and yes.calls == 0


def test_hook_ask_forces_asking_but_not_past_a_deny(workspace):
    answers = []

    async def asker(name, tool_input, reason):
        answers.append(reason)
        return "deny"

    engine = engine_for(workspace, "bypassPermissions", {"deny": ["Bash(rm *)"]}, asker=asker)
    ctx = ToolContext(workspace=workspace, session_id="s")
    verdict = run(engine.check(TOOLS["Bash"], {"command": "make"}, ctx, ask_reason="confirm make"))
    assert verdict.decision == "deny" and answers == ["confirm make"]
    verdict = run(engine.check(TOOLS["Bash"], {"command": "rm x"}, ctx, ask_reason="confirm rm"))
    assert verdict.decision == "deny" and len(answers) == 1 and "Bash(rm *)" in verdict.source


def test_project_settings_cannot_start_in_bypass_or_auto(workspace, claw_env, capsys):
    from pathlib import Path

    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    project = str(workspace / ".claw/settings.json")
    for value in ("bypassPermissions", "allow", "auto"):
        layers = [Layer("project", project, {"permissions": {"defaultMode": value}}, workspace)]
        engine = PermissionEngine(settings=validate(layers), workspace=workspace)
        assert engine.mode == "prompt"
        assert (
            f"{project}: permissions.defaultMode '{value}' is ignored in project settings"
            in capsys.readouterr().err
        )
    layers = [
        Layer("user", str(cfg / "settings.json"), {"permissions": {"defaultMode": "acceptEdits"}}, cfg),
        Layer("local", str(workspace / ".claw/settings.local.json"), {"permissions": {"defaultMode": "bypassPermissions"}}, workspace),
    ]  # fmt: skip
    assert PermissionEngine(settings=validate(layers), workspace=workspace).mode == "workspace-write"
    layers[0].data["permissions"]["defaultMode"] = "bypassPermissions"
    assert PermissionEngine(settings=validate(layers), workspace=workspace).mode == "danger-full-access"
    assert PermissionEngine(settings=validate(layers), workspace=workspace, mode="plan").mode == "read-only"


class _Desktop(Tool):
    """A tool whose spec says ``needs_approval`` (what the computer-use tool declares)."""

    spec = ToolSpec(name="computer", description="drive the desktop", needs_approval=True)

    async def run(self, input, ctx):
        return ToolResult(content="clicked")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("prompt", "ask"),
        ("workspace-write", "ask"),
        ("auto", "ask"),
        ("dont-ask", "deny"),
        ("read-only", "deny"),
        ("allow", "allow"),
        ("danger-full-access", "allow"),
    ],
)
def test_needs_approval_tool_is_never_allowed_by_a_mode_default_or_a_classifier(workspace, mode, expected):
    allow = Fixed("yes", "allow")
    engine = engine_for(workspace, mode, classifiers=[allow])
    ctx = ToolContext(workspace=workspace, session_id="s")
    decision = run(engine.decide(_Desktop(), {"action": "left_click"}, ctx))
    assert decision.verdict.decision == expected and allow.calls == 0


def test_needs_approval_tool_runs_under_an_explicit_allow_rule(workspace):
    engine = engine_for(workspace, "prompt", {"allow": ["computer"]})
    ctx = ToolContext(workspace=workspace, session_id="s")
    assert run(engine.decide(_Desktop(), {"action": "screenshot"}, ctx)).verdict.decision == "allow"
