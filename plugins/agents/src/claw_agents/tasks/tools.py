"""Claude Code's task tools: the shared task list (``TaskCreate``/``TaskGet``/``TaskList``/``TaskUpdate``),
and the detached work behind it (``TaskOutput``/``TaskStop``).

Claude Code's ``Task*`` list is a todo list with owners and dependencies shared by a session and its agents;
claw keeps those semantics and adds one thing: ``TaskCreate`` with ``prompt`` or ``command`` also runs that
work detached on the task backend settings select, linking the list item to the running task. ``TaskOutput``
and ``TaskStop`` take either id (the item's ``"3"`` or the backend's task id), so both meanings stay reachable.
The list lives in the embedded store: one per session, shared with its children (``CLAW_PARENT_SESSION_ID``)
or named by ``CLAW_TASK_LIST_ID``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import claw
from claw import TaskBackend, TaskRecord, TaskSpec, ToolContext, ToolError, ToolResult

from claw_agents.subagents import background
from claw_agents.tasks import announce, specs

if TYPE_CHECKING:
    from claw_agents.tasks.store import Store

#: Characters of output one ``TaskOutput`` call returns; the rest is paged with ``offset``.
OUTPUT_PAGE_BYTES = 30_000


def _store(env: Mapping[str, str]) -> Store:
    """The task store, imported at the first call: it brings sqlite3, which start-up need not pay."""
    from claw_agents.tasks.store import open_store

    return open_store(env)


def list_id(ctx: ToolContext) -> str:
    return ctx.env.get("CLAW_TASK_LIST_ID") or ctx.env.get("CLAW_PARENT_SESSION_ID") or ctx.session_id


def backend_of(ctx: ToolContext) -> TaskBackend:
    if ctx.session is None:
        raise ToolError("background tasks need a running session")
    try:
        return ctx.session.task_backend()
    except claw.ConfigError as e:
        raise ToolError(str(e)) from None


def _item_line(item: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]) -> str:
    line = f"#{item['id']} [{item['status']}] {item['subject']}"
    if item.get("owner"):
        line += f" (owner: {item['owner']})"
    open_blockers = [b for b in item.get("blockedBy", []) if b in items and items[b]["status"] != "completed"]
    if open_blockers:
        line += " [blocked by " + ", ".join(f"#{b}" for b in open_blockers) + "]"
    if item.get("taskId"):
        line += f" (background task {item['taskId']})"
    return line


class TaskCreateTool(claw.Tool):
    spec = specs.TASK_CREATE

    def access(self, input: Mapping[str, Any], ctx: ToolContext) -> list[claw.Access]:
        command = input.get("command")
        return [claw.Access(kind="execute", command=command, path=str(ctx.workspace))] if command else []

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        if input.get("prompt") and input.get("command"):
            raise ToolError("give prompt or command, not both")
        record: TaskRecord | None = None
        if input.get("prompt") or input.get("command"):
            spec = TaskSpec(
                kind="prompt" if input.get("prompt") else "command",
                text=input.get("prompt") or input["command"],
                cwd=str(ctx.workspace),
                name=input["subject"],
                description=input.get("description", ""),
                model=input.get("model"),
                permission_mode=ctx.permission_mode if input.get("prompt") else None,
                parent_session_id=ctx.session_id,
            )
            backend = backend_of(ctx)
            record = await backend.submit(spec)
            if ctx.session is not None:  # its end is announced to the session (the Agent SDK)
                announce.watch(ctx.session, backend, record.id)
        item = _store(ctx.env).add_item(
            list_id(ctx),
            {
                "subject": input["subject"],
                "description": input.get("description", ""),
                "activeForm": input.get("activeForm"),
                "status": "in_progress" if record else "pending",
                "owner": None,
                "blocks": [],
                "blockedBy": [],
                "metadata": input.get("metadata") or {},
                "taskId": record.id if record else None,
            },
        )
        text = f"Task #{item['id']} created successfully: {item['subject']}"
        if record:
            text += (
                f"\nRunning in the background as task {record.id} ({record.status}); read it with TaskOutput."
            )
        return ToolResult(
            content=text, data={"task": item, "run": record.model_dump(mode="json") if record else None}
        )


class TaskGetTool(claw.Tool):
    spec = specs.TASK_GET

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        items = {i["id"]: i for i in _store(ctx.env).list_items(list_id(ctx))}
        item = items.get(str(input["taskId"]).lstrip("#"))
        if item is None:
            raise ToolError(f"no task #{input['taskId']} in the task list")
        out = dict(item)
        if item.get("taskId"):
            with contextlib.suppress(KeyError):
                run = await backend_of(ctx).get(item["taskId"])
                out["run"] = {"status": run.status.value, "exitCode": run.exit_code, "error": run.error}
        return ToolResult(content=json.dumps(out, indent=2), data={"task": out})


class TaskListTool(claw.Tool):
    spec = specs.TASK_LIST

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        listed = _store(ctx.env).list_items(list_id(ctx))
        items = {i["id"]: i for i in listed}
        lines = [_item_line(i, items) for i in listed]
        agents = [a for a in background.listed(ctx.session) if a.running]
        lines += [
            f"background agent {a.id} [running] {a.description}" + (f" (name: {a.name})" if a.name else "")
            for a in agents
        ]
        data = {"tasks": listed, "agents": [_agent_data(a) for a in agents]}
        return ToolResult(content="\n".join(lines) or "No tasks found", data=data)


def _agent_data(agent: background.BackgroundAgent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "kind": "agent",
        "status": agent.status,
        "description": agent.description,
        "name": agent.name,
        "started_at": agent.started_at,
        "error": agent.error or None,
    }


class TaskUpdateTool(claw.Tool):
    spec = specs.TASK_UPDATE

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        task_id = str(input["taskId"]).lstrip("#")
        changed_fields: list[str] = []

        def change(items: dict[str, dict[str, Any]]) -> set[str]:
            item = items.get(task_id)
            if item is None:
                raise ToolError(f"no task #{task_id} in the task list")
            touched = {task_id}
            for other in [*input.get("addBlocks", []), *input.get("addBlockedBy", [])]:
                if other.lstrip("#") not in items or other.lstrip("#") == task_id:
                    raise ToolError(f"no other task #{other.lstrip('#')} in the task list")
            if input.get("status") == "deleted":
                del items[task_id]
                for other in items.values():
                    for key in ("blocks", "blockedBy"):
                        if task_id in other[key]:
                            other[key].remove(task_id)
                            touched.add(other["id"])
                changed_fields.append("deleted")
                return touched
            for key in ("subject", "description", "activeForm", "status", "owner"):
                if key in input and item.get(key) != input[key]:
                    item[key] = input[key]
                    changed_fields.append(key)
            for key, mirror, ids in (
                ("blocks", "blockedBy", input.get("addBlocks", [])),
                ("blockedBy", "blocks", input.get("addBlockedBy", [])),
            ):
                for other_id in (i.lstrip("#") for i in ids):
                    if other_id not in item[key]:
                        item[key].append(other_id)
                        changed_fields.append(key)
                    if task_id not in items[other_id][mirror]:
                        items[other_id][mirror].append(task_id)
                        touched.add(other_id)
            for key, value in (input.get("metadata") or {}).items():
                if value is None:
                    item["metadata"].pop(key, None)
                else:
                    item["metadata"][key] = value
                changed_fields.append("metadata")
            item["updatedAt"] = time.time()
            return touched

        items = _store(ctx.env).edit_items(list_id(ctx), change)
        if "deleted" in changed_fields:
            return ToolResult(content=f"Task #{task_id} deleted", data={"taskId": task_id, "deleted": True})
        fields = ", ".join(dict.fromkeys(changed_fields)) or "nothing changed"
        return ToolResult(content=f"Updated task #{task_id}: {fields}", data={"task": items[task_id]})


async def resolve_run(ctx: ToolContext, given: str) -> tuple[TaskBackend, TaskRecord]:
    """The backend task ``given`` names: a backend task id, or a list item (``3``/``#3``) that runs one."""
    backend = backend_of(ctx)
    try:
        return backend, await backend.get(given)
    except KeyError:
        pass
    items = {i["id"]: i for i in _store(ctx.env).list_items(list_id(ctx))}
    item = items.get(given.lstrip("#"))
    if item and item.get("taskId"):
        try:
            return backend, await backend.get(item["taskId"])
        except KeyError:
            pass
    raise ToolError(f"no background task {given!r}")


def _describe(record: TaskRecord) -> str:
    lines = [
        f"<task_id>{record.id}</task_id>",
        f"<task_type>{record.spec.kind}</task_type>",
        f"<status>{record.status.value}</status>",
    ]
    if record.exit_code is not None:
        lines.append(f"<exit_code>{record.exit_code}</exit_code>")
    if record.error:
        lines.append(f"<error>{record.error}</error>")
    return "\n".join(lines)


class TaskOutputTool(claw.Tool):
    spec = specs.TASK_OUTPUT

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        agent = background.find(ctx.session, str(input["task_id"]))
        if agent is not None:
            return await _agent_output(agent, input, ctx)
        backend, record = await resolve_run(ctx, str(input["task_id"]))
        if input.get("block", True) and not record.status.final:
            wait = asyncio.ensure_future(backend.wait(record.id, float(input.get("timeout", 30000)) / 1000))
            cancelled = asyncio.ensure_future(ctx.cancelled.wait())
            await asyncio.wait({wait, cancelled}, return_when=asyncio.FIRST_COMPLETED)
            for f in (wait, cancelled):
                f.cancel()
            record = await backend.get(record.id)
        text, next_offset, done = await backend.output(
            record.id, int(input.get("offset", 0)), OUTPUT_PAGE_BYTES
        )
        retrieval = (
            "success" if record.status.final else ("timeout" if input.get("block", True) else "not_ready")
        )
        parts = [
            f"<retrieval_status>{retrieval}</retrieval_status>",
            _describe(record),
            f"<output>{text}</output>",
        ]
        if not done:
            parts.append(f"<next_offset>{next_offset}</next_offset>")
        return ToolResult(
            content="\n".join(parts),
            data={
                "task": record.model_dump(mode="json"),
                "output": text,
                "next_offset": next_offset,
                "done": done,
            },
        )


async def _until(waited: Any, timeout: float, ctx: ToolContext) -> None:
    """Wait for ``waited`` up to ``timeout`` seconds, or until the call is cancelled."""
    wait = asyncio.ensure_future(asyncio.wait_for(asyncio.shield(waited), timeout))
    cancelled = asyncio.ensure_future(ctx.cancelled.wait())
    await asyncio.wait({wait, cancelled}, return_when=asyncio.FIRST_COMPLETED)
    for f in (wait, cancelled):
        f.cancel()
    with contextlib.suppress(BaseException):
        await wait


async def _agent_output(
    agent: background.BackgroundAgent, input: Mapping[str, Any], ctx: ToolContext
) -> ToolResult:
    """``TaskOutput`` of a background sub-agent: its transcript so far (text, tool calls, results),
    paged by byte offset like a detached task's output; its final answer once it has ended."""
    assert ctx.session is not None
    block = input.get("block", True)
    if block and agent.running:
        await _until(agent.handle.result(), float(input.get("timeout", 30000)) / 1000, ctx)
    data = background.transcript(ctx.session, agent).encode()
    offset = int(input.get("offset", 0))
    text, next_offset = claw.decode_task_output(
        data[offset : offset + OUTPUT_PAGE_BYTES], offset, OUTPUT_PAGE_BYTES
    )
    done = not agent.running and next_offset >= len(data)
    retrieval = "success" if not agent.running else ("timeout" if block else "not_ready")
    parts = [
        f"<retrieval_status>{retrieval}</retrieval_status>",
        f"<task_id>{agent.id}</task_id>",
        "<task_type>agent</task_type>",
        f"<status>{agent.status}</status>",
    ]
    if agent.error:
        parts.append(f"<error>{agent.error}</error>")
    if agent.result is not None:
        parts.append(f"<result>{agent.result.text}</result>")
    parts.append(f"<output>{text}</output>")
    if not done:
        parts.append(f"<next_offset>{next_offset}</next_offset>")
    return ToolResult(
        content="\n".join(parts),
        data={"task": _agent_data(agent), "output": text, "next_offset": next_offset, "done": done},
    )


class TaskStopTool(claw.Tool):
    spec = specs.TASK_STOP

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        given = input.get("task_id") or input.get("shell_id")
        if not given:
            raise ToolError("TaskStop needs task_id")
        agent = background.find(ctx.session, str(given))
        if agent is not None:
            if not agent.running:
                raise ToolError(f"agent {agent.id} is not running ({agent.status})")
            await agent.handle.cancel()
            return ToolResult(
                content=f"Successfully stopped agent: {agent.id} ({agent.description})",
                data={"task": _agent_data(agent)},
            )
        backend, record = await resolve_run(ctx, str(given))
        if record.status.final:
            raise ToolError(f"task {record.id} is not running ({record.status.value})")
        record = await backend.stop(record.id)
        return ToolResult(
            content=f"Successfully stopped task: {record.id} ({record.spec.text})",
            data={"task": record.model_dump(mode="json")},
        )
