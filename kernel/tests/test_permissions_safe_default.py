"""The kernel's permission gate without claw-permissions: its safe default (Claude Code's default mode
without rules), asking, and a third-party policy taking the rule engine's place."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from claw import Access, Decision, PermissionGate, Tool, ToolContext, ToolResult, ToolSpec, Verdict
from claw._app import App
from claw._builtins.safe_policy.policy import SafePolicy


class _Files(Tool):
    """Reads or writes the path it is given, as its ``access`` declares."""

    def __init__(self, name: str, kind: str) -> None:
        self.kind = kind
        self.spec = ToolSpec(name=name, description=name, read_only=kind == "read")

    def access(self, input: Any, ctx: ToolContext) -> list[Access]:
        return [Access(kind=self.kind, path=input["file_path"])]  # type: ignore[arg-type]

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return ToolResult(content="ran")


READ, WRITE = _Files("Read", "read"), _Files("Write", "write")
NOTE = type("Note", (_Files,), {"access": lambda self, input, ctx: []})("Note", "read")


def gate(workspace: Path, mode: str | None = None, asker: Any = None) -> PermissionGate:
    return PermissionGate(
        settings=None,
        workspace=workspace,
        mode=mode,
        asker=asker,
        env={"HOME": "/nonexistent"},
        policy=SafePolicy,
    )


def check(g: PermissionGate, tool: Tool, path: str = "a.txt") -> Verdict:
    ctx = ToolContext(workspace=g.workspace, session_id="s")
    return asyncio.run(g.check(tool, {"file_path": path}, ctx))


def test_reads_inside_the_workspace_run_and_the_rest_is_denied_naming_the_distribution(workspace):
    g = gate(workspace)
    assert isinstance(g.policy, SafePolicy)
    assert check(g, READ).decision == "allow"
    assert check(g, NOTE).decision == "allow"  # a read-only tool that declares no access
    for tool, path in ((READ, "/etc/hostname"), (READ, "../outside"), (WRITE, "a.txt")):
        verdict = check(g, tool, path)
        assert verdict.decision == "deny", (tool.name, path)
        assert "pip install claw-permissions" in verdict.reason
        assert "no one can approve it in a non-interactive run" in verdict.reason


def test_bypass_allows_everything_and_plan_mode_denies_changes(workspace):
    assert check(gate(workspace, "bypassPermissions"), WRITE, "/tmp/x").decision == "allow"
    plan = gate(workspace, "plan", asker=lambda *a: pytest.fail("plan mode asked"))
    assert check(plan, WRITE).decision == "deny"
    assert check(plan, READ).decision == "allow"


def test_a_person_answers_and_a_session_answer_lasts(workspace):
    asked: list[str] = []

    async def asker(name: str, tool_input: Any, reason: str) -> str:
        asked.append(name)
        return "session" if name == "Write" else "deny"

    g = gate(workspace, asker=asker)
    assert check(g, WRITE).decision == "allow"
    assert check(g, WRITE, "b.txt").decision == "allow"  # remembered for the session: not asked again
    assert check(g, READ, "/etc/hostname").decision == "deny"
    assert asked == ["Write", "Read"]


def test_disabling_claw_permissions_leaves_the_safe_default(claw_env, workspace):
    assert not isinstance(PermissionGate.for_app(App(workspace=workspace, env=claw_env)).policy, SafePolicy)
    claw_env["CLAW_DISABLE_PLUGINS"] = "permissions"
    app = App(workspace=workspace, env=claw_env)
    assert isinstance(PermissionGate.for_app(app, allowed_tools=["Write"]).policy, SafePolicy)
    assert {"EnterPlanMode", "ExitPlanMode"} <= set(app.tools)  # plan_mode is an entry point of its own
    claw_env["CLAW_DISABLE_PLUGINS"] = "plan_mode"
    assert not {"EnterPlanMode", "ExitPlanMode"} & set(App(workspace=workspace, env=claw_env).tools)


#: A whole policy in place of claw-permissions' rule engine: allows what is not a Write.
POLICY = """
import claw


class NoWrites:
    def __init__(self, context):
        self.context = context

    async def decide(self, tool, tool_input, ctx, mode):
        decision = "deny" if tool.name == "Write" else "allow"
        return claw.Decision(claw.Verdict(decision=decision, reason="house policy", source="no-writes"), mode)

    def visible(self, tool_name):
        return tool_name != "Bash"

    def add_rules(self, texts, behavior, source):
        return []

    def remove_rules(self, handles):
        pass

    def remember(self, tool, decision, *, permanent, destination):
        pass


@claw.hookimpl
def claw_permission_policy(context):
    return NoWrites
"""


def test_a_third_party_policy_replaces_the_rule_engine(claw_env, workspace, plugin_module):
    plugin_module("no_writes", POLICY)
    g = PermissionGate.for_app(App(workspace=workspace, env=claw_env), allowed_tools=["Write"])
    assert type(g.policy).__name__ == "NoWrites"
    verdict = check(g, WRITE)
    assert verdict.decision == "deny" and verdict.source == "no-writes"
    assert check(g, READ, "/etc/hostname").decision == "allow"
    assert not g.visible("Bash") and g.visible("Read")
    assert isinstance(asyncio.run(g.decide(READ, {"file_path": "x"})), Decision)
