"""``TodoWrite``: the session's task list, replaced whole on every call (Claude Code's schema)."""

from __future__ import annotations

from typing import Any

import claw

#: The session's current todo list.
TODOS = claw.StashKey[list[dict[str, str]]]()

STATUSES = ("pending", "in_progress", "completed")
_MARK = {"pending": "[ ]", "in_progress": "[~]", "completed": "[x]"}


def _validate(todos: object) -> list[dict[str, str]]:
    if not isinstance(todos, list):
        raise claw.ToolError("todos must be a list of {content, status, activeForm}")
    out = []
    for i, item in enumerate(todos, 1):
        if not isinstance(item, dict):
            raise claw.ToolError(f"todo {i} must be an object with content, status and activeForm")
        content, status, active = item.get("content"), item.get("status"), item.get("activeForm")
        if not isinstance(content, str) or not content.strip():
            raise claw.ToolError(f"todo {i}: content must be a non-empty string")
        if status not in STATUSES:
            raise claw.ToolError(f"todo {i}: status must be one of {', '.join(STATUSES)}, not {status!r}")
        if not isinstance(active, str) or not active.strip():
            raise claw.ToolError(
                f"todo {i}: activeForm must be a non-empty string (e.g. 'Running the tests')"
            )
        unknown = set(item) - {"content", "status", "activeForm", "id"}
        if unknown:
            raise claw.ToolError(f"todo {i}: unknown field(s) {', '.join(sorted(unknown))}")
        out.append({"content": content, "status": status, "activeForm": active})
    return out


class TodoWriteTool(claw.Tool):
    spec = claw.ToolSpec(
        name="TodoWrite",
        description=(
            "Replace the session's todo list, to plan multi-step work and show progress. Each item has "
            "content (imperative: 'Run the tests'), activeForm (present continuous: 'Running the tests') and "
            "status pending, in_progress or completed. Keep one item in_progress at a time and mark items "
            "completed as soon as they are done."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "todos": {
                    "type": "array",
                    "description": "The complete, updated todo list.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "content": {"type": "string", "minLength": 1},
                            "status": {"type": "string", "enum": list(STATUSES)},
                            "activeForm": {"type": "string", "minLength": 1},
                        },
                        "required": ["content", "status", "activeForm"],
                        "additionalProperties": False,
                    },
                }
            },
            "required": ["todos"],
            "additionalProperties": False,
        },
        # Only session state changes, never the workspace: plan and read-only modes allow it.
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        todos = _validate(input.get("todos"))
        old = ctx.stash.get(TODOS) or []
        ctx.stash[TODOS] = todos
        lines = [f"{_MARK[t['status']]} {t['content']}" for t in todos] or ["(the list is empty)"]
        done = sum(t["status"] == "completed" for t in todos)
        text = f"Todo list updated ({done}/{len(todos)} completed):\n" + "\n".join(lines)
        return claw.ToolResult(content=text, data={"oldTodos": old, "newTodos": todos})
