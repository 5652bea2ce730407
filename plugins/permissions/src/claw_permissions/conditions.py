"""Claude Code's ``if`` filter on a command hook: run it only when the tool call matches a permission
rule (``"if": "Bash(git *)"``, ``"if": "Edit(/src/**)"``), with the engine's rule semantics.

The call's accesses are the ones the session's tool declares (so ``Bash(git *)`` meets each simple
command the shell tool read from the line); for a tool the session does not have, they are derived
from Claude Code's input schemas (``command``, ``file_path``, ``url``), as ``claw permissions
explain`` does for tools that are not installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claw import HookEvent


def compile_condition(
    rule: str, workspace: Path, env: Any, tool_lookup: Callable[[str], Any] | None = None
) -> Callable[[HookEvent], bool]:
    """A test on tool events: true when the rule covers the tool or any unit of the call.

    :param tool_lookup: the session's tool by name (``None`` when it has none of that name).
    """
    from claw import ToolContext

    from claw_permissions import paths
    from claw_permissions.judge import units_for
    from claw_permissions.ruleset import RuleSet
    from claw_permissions.standin import StandInTool

    ws = os.path.realpath(workspace)
    home = paths.home_of(dict(env))
    rules = RuleSet(ws, home)
    rules.add_text(rule, "allow", "hook if", ws)

    def test(event: HookEvent) -> bool:
        if not event.tool_name:
            return False
        tool_input = event.tool_input or {}
        tool = (tool_lookup(event.tool_name) if tool_lookup else None) or StandInTool(event.tool_name)
        if rules.by_name("allow", tool.name, (), tool_input) is not None:
            return True
        ctx = ToolContext(workspace=Path(ws), session_id="")
        try:
            accesses = tool.access(tool_input, ctx)
        except Exception:
            return False
        units = units_for(tool.name, accesses, ws, [ws], home)
        return any(rules.by_unit("allow", u) is not None for u in units)

    return test
