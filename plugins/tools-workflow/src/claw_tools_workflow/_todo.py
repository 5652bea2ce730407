"""``TodoWrite``: the session's task list, replaced whole on every call (Claude Code's schema)."""

from __future__ import annotations

from typing import Any

import claw

#: The session's current todo list.
TODOS = claw.StashKey[list[dict[str, str]]]()

STATUSES = ("pending", "in_progress", "completed")
_MARK = {"pending": "[ ]", "in_progress": "[~]", "completed": "[x]"}


def _validate(todos: list[dict[str, str]]) -> list[dict[str, str]]:
    """What the schema cannot say: no blank text. (Shape, statuses and fields the kernel checked.)"""
    out = []
    for i, item in enumerate(todos, 1):
        content, status, active = item["content"], item["status"], item["activeForm"]
        if not content.strip():
            raise claw.ToolError(f"todo {i}: content must not be blank")
        if not active.strip():
            raise claw.ToolError(f"todo {i}: activeForm must not be blank (e.g. 'Running the tests')")
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
                            "id": {"type": "string"},
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
        todos = _validate(input["todos"])
        old = ctx.stash.get(TODOS) or []
        ctx.stash[TODOS] = todos
        lines = [f"{_MARK[t['status']]} {t['content']}" for t in todos] or ["(the list is empty)"]
        done = sum(t["status"] == "completed" for t in todos)
        text = f"Todo list updated ({done}/{len(todos)} completed):\n" + "\n".join(lines)
        return claw.ToolResult(content=text, data={"oldTodos": old, "newTodos": todos})
