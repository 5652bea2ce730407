"""``EnterPlanMode`` / ``ExitPlanMode``: Claude Code's plan-mode tools.

Mechanism: :meth:`claw.PermissionGate.check` stores the session's gate in ``ctx.stash`` under
:data:`claw.PERMISSIONS` before every call (the loop puts it there too). ``EnterPlanMode`` switches that
gate to ``read-only`` for the rest of the session (remembering the previous mode); ``ExitPlanMode``
presents the plan, asks the person to approve it when someone can answer, and restores the previous
mode (``prompt`` when the session started in plan mode, so leaving plan mode never grants more than the
user chose). Both tools are read-only, so every mode lets the model call them.
"""

from __future__ import annotations

from typing import Any

from claw import PERMISSIONS, PermissionGate, StashKey, Tool, ToolContext, ToolError, ToolResult, ToolSpec

#: The mode before ``EnterPlanMode``; ``ExitPlanMode`` restores it (``None``: the session began in plan mode).
_BEFORE_PLAN: StashKey[str | None] = StashKey()


def gate_of(ctx: ToolContext) -> PermissionGate:
    gate = ctx.stash.get(PERMISSIONS)
    if gate is None and ctx.session is not None:
        gate = ctx.session.stash.get(PERMISSIONS)
    if gate is None:
        raise ToolError("plan mode is not available: this session has no permission gate")
    return gate


def enter_plan_mode(gate: PermissionGate, ctx: ToolContext) -> str:
    """Switch to ``read-only`` for planning, remembering the current mode."""
    if gate.mode != "read-only" or ctx.stash.get(_BEFORE_PLAN) is None:
        ctx.stash[_BEFORE_PLAN] = gate.mode if gate.mode != "read-only" else None
    gate.mode = ctx.permission_mode = "read-only"
    return gate.mode


def exit_plan_mode(gate: PermissionGate, ctx: ToolContext) -> str:
    """Leave plan mode: back to the mode before it (``prompt`` if the session started in it)."""
    gate.mode = ctx.stash.get(_BEFORE_PLAN) or "prompt"
    ctx.stash[_BEFORE_PLAN] = None
    ctx.permission_mode = gate.mode
    return gate.mode


class EnterPlanMode(Tool):
    spec = ToolSpec(
        name="EnterPlanMode",
        description=(
            "Switch to plan mode: explore and design without changing anything (files are "
            "read-only and commands that write are refused) until ExitPlanMode."
        ),
        input_schema={"type": "object", "properties": {}, "additionalProperties": False},
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        mode = enter_plan_mode(gate_of(ctx), ctx)
        return ToolResult(
            content="Entered plan mode: read-only until you call ExitPlanMode with your plan.",
            data={"mode": mode},
        )


class ExitPlanMode(Tool):
    spec = ToolSpec(
        name="ExitPlanMode",
        description="Present the plan for approval and leave plan mode, so the plan can be carried out.",
        input_schema={
            "type": "object",
            "properties": {"plan": {"type": "string", "description": "The plan, in Markdown."}},
            "required": ["plan"],
        },
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        gate = gate_of(ctx)
        plan = str(input.get("plan") or "")
        if ctx.ask is not None:
            answer = await ctx.ask(f"Approve this plan and leave plan mode?\n\n{plan}", ["yes", "no"])
            if answer is not None and answer.strip().lower() not in ("yes", "y"):
                return ToolResult(
                    content="The user did not approve the plan; stay in plan mode and revise it.",
                    data={"approved": False, "mode": gate.mode},
                )
        mode = exit_plan_mode(gate, ctx)
        return ToolResult(
            content=f"Plan approved; permission mode is now {mode}.", data={"approved": True, "mode": mode}
        )
