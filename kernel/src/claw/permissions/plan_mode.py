"""``EnterPlanMode`` / ``ExitPlanMode``: Claude Code's plan-mode tools.

Mechanism: :meth:`PermissionEngine.check` stores the session's engine in ``ctx.stash`` under
:data:`claw.permissions.PERMISSION_ENGINE` before every call (the loop may also put it there, or
in ``ctx.session.stash``). ``EnterPlanMode`` switches that engine to ``read-only`` for the rest of
the session (remembering the previous mode); ``ExitPlanMode`` presents the plan, asks the person
to approve it when someone can answer, and restores the previous mode (``prompt`` when the
session started in plan mode, so leaving plan mode never grants more than the user chose).
Both tools are read-only, so every mode lets the model call them.
"""

from __future__ import annotations

from typing import Any

from claw.tools import Tool, ToolContext, ToolError, ToolResult, ToolSpec


def engine_of(ctx: ToolContext) -> Any:
    from claw.permissions.engine import PERMISSION_ENGINE

    engine = ctx.stash.get(PERMISSION_ENGINE)
    if engine is None and ctx.session is not None:
        engine = ctx.session.stash.get(PERMISSION_ENGINE)
    if engine is None:
        raise ToolError("plan mode is not available: this session has no permission engine")
    return engine


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
        engine = engine_of(ctx)
        engine.enter_plan_mode()
        ctx.permission_mode = engine.mode
        return ToolResult(
            content="Entered plan mode: read-only until you call ExitPlanMode with your plan.",
            data={"mode": engine.mode},
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
        engine = engine_of(ctx)
        plan = str(input.get("plan") or "")
        if ctx.ask is not None:
            answer = await ctx.ask(f"Approve this plan and leave plan mode?\n\n{plan}", ["yes", "no"])
            if answer is not None and answer.strip().lower() not in ("yes", "y"):
                return ToolResult(
                    content="The user did not approve the plan; stay in plan mode and revise it.",
                    data={"approved": False, "mode": engine.mode},
                )
        mode = engine.exit_plan_mode()
        ctx.permission_mode = mode
        return ToolResult(
            content=f"Plan approved; permission mode is now {mode}.", data={"approved": True, "mode": mode}
        )
