"""The built-in permission decision: the rule engine (:meth:`claw.permissions.PermissionEngine.decide`:
deny, ask and allow rules, the permission mode, classifiers)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from claw.permissions.engine import Decision, PermissionEngine
    from claw.tools import Tool, ToolContext


@hookimpl(trylast=True)
def claw_permission_decision(
    tool: Tool, tool_input: dict[str, Any], ctx: ToolContext, engine: PermissionEngine
) -> Awaitable[Decision]:
    return engine.decide(tool, tool_input, ctx)
