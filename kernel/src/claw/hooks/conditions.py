"""Claude Code's ``if`` filter on a command hook (``"if": "Bash(git *)"``): run it only when the tool call
matches a permission rule. What a rule matches is the permission policy's business, asked through the
``claw_permission_rule_test`` hook (``claw-permissions`` answers); without one the hook runs on every
tool event its matcher selects (running a guard too often is the safe side), said once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from claw.events import HookEvent


def compile_condition(
    rule: str, workspace: Path, env: Any, tool_lookup: Callable[[str], Any] | None = None, pm: Any = None
) -> Callable[[HookEvent], bool]:
    """A test on tool events: true when the rule covers the tool or any unit of the call.

    :param tool_lookup: the session's tool by name (``None`` when it has none of that name).
    :param pm: the plugin manager whose ``claw_permission_rule_test`` compiles the rule.
    """
    test = None
    if pm is not None:
        test = pm.hook.claw_permission_rule_test(
            rule=rule, workspace=workspace, env=dict(env), tool_lookup=tool_lookup
        )
    if test is not None:
        return test
    from claw import console

    console.warn(
        f'hook condition "if": {rule!r} runs the hook on every tool event: reading permission rules '
        "needs claw-permissions (pip install claw-permissions)"
    )
    return lambda event: bool(event.tool_name)
