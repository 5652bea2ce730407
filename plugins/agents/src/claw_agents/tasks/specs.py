"""What the model is told about the task tools (``TaskCreate``, ``TaskGet``, ``TaskList``, ``TaskUpdate``,
``TaskOutput``, ``TaskStop``), apart from their implementations (:mod:`claw_agents.tasks.tools`): the
plugin registers a ``claw.ToolRef`` with each spec, so a run imports the task store, the task backend
contract and the background-agent bookkeeping only when one of the tools is first called. Imports only
``claw``."""

from __future__ import annotations

from claw import ToolSpec

#: Statuses of a task-list item (``TaskUpdate`` also takes ``deleted``).
ITEM_STATUSES = ("pending", "in_progress", "completed")
_STRINGS = {"type": "array", "items": {"type": "string"}}

TASK_CREATE = ToolSpec(
    name="TaskCreate",
    description=(
        "Add a task to the shared task list (subject, description, activeForm while in progress, "
        "metadata). With `prompt` (a claw -p run) or `command` (a shell command) the work also runs "
        "detached in the background: read it with TaskOutput, end it with TaskStop."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "subject": {"type": "string", "minLength": 1, "description": "A brief title, imperative."},
            "description": {"type": "string", "description": "What needs to be done."},
            "activeForm": {"type": "string", "description": "Spinner text while in progress."},
            "metadata": {"type": "object"},
            "prompt": {"type": "string", "minLength": 1, "description": "Run this prompt detached."},
            "command": {
                "type": "string",
                "minLength": 1,
                "description": "Run this shell command detached.",
            },
            "model": {"type": "string", "description": "With prompt: the model for the run."},
        },
        "required": ["subject", "description"],
        "additionalProperties": False,
    },
)


TASK_GET = ToolSpec(
    name="TaskGet",
    description="Get one task of the shared task list by id, with its dependencies and background run.",
    input_schema={
        "type": "object",
        "properties": {"taskId": {"type": "string"}},
        "required": ["taskId"],
        "additionalProperties": False,
    },
    read_only=True,
)


TASK_LIST = ToolSpec(
    name="TaskList",
    description="List the shared task list: id, status, subject, owner and open blockers of each task.",
    input_schema={"type": "object", "properties": {}, "additionalProperties": False},
    read_only=True,
)


TASK_UPDATE = ToolSpec(
    name="TaskUpdate",
    description=(
        "Update a task of the shared task list: subject, description, activeForm, status "
        "(pending, in_progress, completed; deleted removes it), owner, addBlocks / addBlockedBy (task ids), "
        "metadata (a key set to null is removed)."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "taskId": {"type": "string"},
            "subject": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "activeForm": {"type": "string"},
            "status": {"type": "string", "enum": [*ITEM_STATUSES, "deleted"]},
            "owner": {"type": "string"},
            "addBlocks": _STRINGS,
            "addBlockedBy": _STRINGS,
            "metadata": {"type": "object"},
        },
        "required": ["taskId"],
        "additionalProperties": False,
    },
    read_only=True,  # only the task list changes, never the workspace
)


TASK_OUTPUT = ToolSpec(
    name="TaskOutput",
    description=(
        "Read a background task's output (a task started by TaskCreate with prompt/command). With block "
        "(default true) wait up to timeout ms for it to finish. Long output is paged: pass the returned "
        "next_offset as offset to read on."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "task_id": {"type": "string"},
            "block": {"type": "boolean", "default": True},
            "timeout": {"type": "number", "minimum": 0, "maximum": 600000, "default": 30000},
            "offset": {"type": "integer", "minimum": 0, "description": "Byte offset to read from."},
        },
        "required": ["task_id"],
        "additionalProperties": False,
    },
    read_only=True,
)


TASK_STOP = ToolSpec(
    name="TaskStop",
    description="Stop a running background task and every process it started.",
    input_schema={
        "type": "object",
        "properties": {
            "task_id": {"type": "string"},
            "shell_id": {"type": "string", "description": "Deprecated: use task_id."},
        },
        "additionalProperties": False,
    },
)
