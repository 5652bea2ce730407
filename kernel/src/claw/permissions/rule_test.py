"""Does a permission rule cover a tool call, with the engine's rule semantics? Claude Code's ``if``
filter on a command hook (``"if": "Bash(git *)"``, ``"if": "Edit(/src/**)"``) asks this.

The call's accesses are the ones the session's tool declares (so ``Bash(git *)`` meets each simple
command the shell tool read from the line); for a tool the session does not have, they are derived
from Claude Code's input schemas (``command``, ``file_path``, ``url``), as ``claw permissions
explain`` does for tools that are not installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


def rule_test(
    rule: str,
    workspace: Path,
    env: Mapping[str, str],
    tool_lookup: Callable[[str], Any] | None = None,
) -> Callable[[str | None, dict[str, Any] | None], bool]:
    """A test on ``(tool_name, tool_input)``: true when ``rule`` covers the tool or any unit of the call.

    :param rule: a permission rule (``Bash(git *)``), anchored at ``workspace``.
    :param tool_lookup: the session's tool by name (``None`` when it has none of that name).
    :raises ValueError: the rule does not parse (its message says why).
    """
    from claw.permissions import paths
    from claw.permissions.judge import units_for
    from claw.permissions.ruleset import RuleSet
    from claw.permissions.standin import StandInTool
    from claw.tools import ToolContext

    ws = os.path.realpath(workspace)
    home = paths.home_of(dict(env))
    rules = RuleSet(ws, home)
    rules.add_text(rule, "allow", "hook if", ws)

    def test(tool_name: str | None, tool_input: dict[str, Any] | None) -> bool:
        if not tool_name:
            return False
        tool_input = tool_input or {}
        tool = (tool_lookup(tool_name) if tool_lookup else None) or StandInTool(tool_name)
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
