"""Claude Code's cron tools: ``CronCreate``, ``CronList``, ``CronDelete``.

An entry fires its prompt as a detached ``claw -p`` task (in the creating session's workspace and permission
mode) each time the 5-field expression matches, in local time, while a supervisor runs (CronCreate starts
one). Policy for missed runs and overlaps: :mod:`claw_agents.tasks.cron`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import claw
from claw import ToolContext, ToolError, ToolResult, ToolSpec

# The tools are built on every start; the schedule, the store (sqlite3) and the supervisor are imported
# at their first call.


def describe(entry: dict[str, Any]) -> str:
    kind = "recurring" if entry["recurring"] else "once"
    durable = ", durable" if entry["durable"] else ""
    at = datetime.fromtimestamp(entry["nextRun"]).astimezone().isoformat(timespec="seconds")
    return f"{entry['id']}: {entry['cron']} ({kind}{durable}) next {at}: {entry['prompt']}"


class CronCreateTool(claw.Tool):
    spec = ToolSpec(
        name="CronCreate",
        description=(
            "Schedule a prompt with a 5-field cron expression (minute hour day-of-month month day-of-week, "
            "local time). Each firing runs the prompt as a background claw task. recurring (default true) "
            "repeats it, false fires once; durable keeps a recurring entry until deleted (otherwise it expires "
            "after 7 days)."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "cron": {"type": "string", "minLength": 1},
                "prompt": {"type": "string", "minLength": 1},
                "recurring": {"type": "boolean", "default": True},
                "durable": {"type": "boolean", "default": False},
            },
            "required": ["cron", "prompt"],
            "additionalProperties": False,
        },
    )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        from claw_agents.tasks import cron
        from claw_agents.tasks.embedded import ensure_supervisor
        from claw_agents.tasks.store import open_store

        try:
            entry = cron.new_entry(
                input["cron"],
                input["prompt"],
                recurring=input.get("recurring", True),
                durable=input.get("durable", False),
                cwd=str(ctx.workspace),
                permission_mode=ctx.permission_mode,
                session_id=ctx.session_id,
            )
        except cron.CronError as e:
            raise ToolError(str(e)) from None
        store = open_store(ctx.env)
        store.put_cron(entry)
        ensure_supervisor(store.root)
        return ToolResult(content=f"Scheduled {describe(entry)}", data={"entry": entry})


class CronListTool(claw.Tool):
    spec = ToolSpec(
        name="CronList",
        description="List the scheduled cron entries: id, expression, next run and prompt.",
        input_schema={"type": "object", "properties": {}, "additionalProperties": False},
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        from claw_agents.tasks.store import open_store

        entries = open_store(ctx.env).list_cron()
        return ToolResult(
            content="\n".join(describe(e) for e in entries) or "No scheduled jobs", data={"entries": entries}
        )


class CronDeleteTool(claw.Tool):
    spec = ToolSpec(
        name="CronDelete",
        description="Delete a scheduled cron entry by id.",
        input_schema={
            "type": "object",
            "properties": {"id": {"type": "string", "minLength": 1}},
            "required": ["id"],
            "additionalProperties": False,
        },
    )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        from claw_agents.tasks.store import open_store

        if not open_store(ctx.env).delete_cron(input["id"]):
            raise ToolError(f"no cron entry {input['id']!r}")
        return ToolResult(content=f"Deleted cron entry {input['id']}", data={"id": input["id"]})
