"""The kernel's side of the sandbox contract: the policy settings ``sandbox`` describe, and
``autoAllowBashIfSandboxed`` in the permission engine."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from claw import Access, SandboxSettings, Tool, ToolContext, ToolResult, ToolSpec, sandbox_policy
from claw._config import Layer, validate
from claw._errors import ConfigError
from claw_permissions import PermissionEngine


class Shell(Tool):
    spec = ToolSpec(name="Bash", description="shell")

    def access(self, input: dict[str, Any], ctx: ToolContext) -> list[Access]:
        confined = bool(input.get("confined"))
        return [
            Access(kind="execute", command=input["command"], sandboxed=confined),
            *(Access(kind="write", path=p, sandboxed=confined) for p in input.get("writes", [])),
        ]

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return ToolResult(content="ran")


def decide(workspace, settings: dict, mode: str = "default", **input: Any) -> str:
    layers = [Layer("project", str(workspace / ".claw/settings.json"), settings, workspace)]
    engine = PermissionEngine(settings=validate(layers), workspace=workspace, mode=mode)
    return asyncio.run(engine.decide(Shell(), input)).verdict.decision


def test_policy_per_filesystem_mode(tmp_path):
    workspace, extra = tmp_path / "ws", tmp_path / "extra"
    (workspace / "build").mkdir(parents=True)
    extra.mkdir()
    (workspace / ".env").write_text("x")
    (tmp_path / "home" / ".ssh").mkdir(parents=True)
    env = {"HOME": str(tmp_path / "home")}
    default = sandbox_policy({}, workspace, [extra], env)
    assert default.filesystem == "workspace-only" and default.writable == [workspace, extra]
    assert default.network == "none" and default.deny_read == []
    listed = sandbox_policy(
        {
            "filesystem": {"mode": "allow-list", "allowWrite": ["build"]},
            "network": {"allowedDomains": ["a.b"]},
        },
        workspace,
        env=env,
    )
    assert listed.writable == [workspace / "build"] and listed.network == "allow-list"
    assert set(listed.deny_read) == {tmp_path / "home" / ".ssh", workspace / ".env"}
    hidden = sandbox_policy(
        {"filesystem": {"denyRead": ["~/.ssh"]}, "network": {"mode": "host"}}, workspace, env=env
    )
    assert hidden.deny_read == [tmp_path / "home" / ".ssh"] and hidden.network == "host"
    with pytest.raises(ConfigError, match=r"sandbox\.filesystem\.allowWrite: gone does not exist"):
        sandbox_policy({"filesystem": {"mode": "allow-list", "allowWrite": ["gone"]}}, workspace, env=env)


def test_requested_by_enabled_or_name():
    assert not SandboxSettings().requested
    assert SandboxSettings(enabled=True).requested and SandboxSettings(name="x").requested


def test_auto_allow_covers_what_the_mode_would_ask_about(workspace):
    on = {"sandbox": {"enabled": True}}
    assert decide(workspace, on, command="make", confined=True) == "allow"
    assert decide(workspace, on, command="make > /etc/x", writes=["/etc/x"], confined=True) == "allow"
    assert decide(workspace, on, command="make") == "ask"  # not confined: excluded or unsandboxed
    assert (
        decide(
            workspace,
            {"sandbox": {"enabled": True, "autoAllowBashIfSandboxed": False}},
            command="make",
            confined=True,
        )
        == "ask"
    )
    assert decide(workspace, {}, command="make", confined=True) == "ask"  # no sandbox configured
    ruled = {
        "sandbox": {"enabled": True},
        "permissions": {"deny": ["Bash(rm *)"], "ask": ["Bash(git push *)"]},
    }
    assert decide(workspace, ruled, command="rm -rf x", confined=True) == "deny"
    assert decide(workspace, ruled, command="git push origin", confined=True) == "ask"
    assert decide(workspace, on, mode="plan", command="make", confined=True) == "deny"
