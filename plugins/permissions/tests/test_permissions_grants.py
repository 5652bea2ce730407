"""Rules granted for one turn (a slash command's ``allowed-tools``) and ``--add-dir`` directories."""

from __future__ import annotations

import asyncio

import pytest
from claw import ToolContext
from claw._config import Layer, validate
from claw._errors import UsageError
from claw_permissions import PermissionEngine
from perm_tools import TOOLS


def _engine(workspace, **kw):  # type: ignore[no-untyped-def]
    layers = [
        Layer(
            "project",
            str(workspace / ".claw/settings.json"),
            {"permissions": {"deny": ["Bash(rm *)"]}},
            workspace,
        )
    ]
    return PermissionEngine(settings=validate(layers), workspace=workspace, **kw)


def _decide(engine, name, tool_input, workspace) -> str:  # type: ignore[no-untyped-def]
    ctx = ToolContext(workspace=workspace, session_id="s")
    return asyncio.run(engine.check(TOOLS[name], tool_input, ctx)).decision


def test_granted_rules_allow_inside_the_block_only_and_deny_rules_still_win(workspace):
    engine = _engine(workspace)
    edit = {"file_path": "a.py"}
    assert _decide(engine, "Edit", edit, workspace) == "deny"  # prompt mode, nobody to ask
    with engine.granted(["Edit", "Bash(rm *)"], "/cmd allowed-tools"):
        assert _decide(engine, "Edit", edit, workspace) == "allow"
        assert _decide(engine, "Bash", {"command": "rm -f a.py"}, workspace) == "deny"
        assert any(r.source == "/cmd allowed-tools" for r in engine.policy.rules.rules)
    assert _decide(engine, "Edit", edit, workspace) == "deny"
    assert not any(r.source == "/cmd allowed-tools" for r in engine.policy.rules.rules)


def test_a_bad_granted_rule_names_its_source(workspace):
    engine = _engine(workspace)
    with (
        pytest.raises(UsageError, match=r"^/cmd allowed-tools: "),
        engine.granted(["Bash("], "/cmd allowed-tools"),
    ):
        pass


def test_additional_dirs_are_roots(workspace, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    engine = _engine(workspace, mode="acceptEdits", additional_dirs=[other])
    assert _decide(engine, "Edit", {"file_path": str(other / "x.py")}, workspace) == "allow"
    assert (
        _decide(_engine(workspace, mode="acceptEdits"), "Edit", {"file_path": str(other / "x.py")}, workspace)
        == "deny"
    )
