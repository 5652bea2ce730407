"""Running the tool calls of one model response.

Order and concurrency: consecutive read-only calls (``ToolSpec.read_only``) run together in parallel;
any other call runs alone, after everything before it and before everything after it. Results come
back in the order the model asked for them.

Each call goes through, in order: the ``PreToolUse`` hook (block, modify the input, or allow without
the mode's prompt, though deny and ask rules still apply), the permission engine (a deny becomes an ``is_error`` result with the reason and is listed in
``permission_denials``), the tool itself (an exception becomes an ``is_error`` result), then
``PostToolUse`` or ``PostToolUseFailure``. An unknown tool name is an ``is_error`` result too: the model
gets told, and the loop goes on. So is input that breaks the tool's input schema (checked with
``jsonschema`` in :mod:`claw._loop.tool_input`): ``InputValidationError``, as Claude Code.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import itertools
import time
from typing import Any

from claw._hook_dispatch import bounded
from claw._loop.offered_tools import OfferedTools
from claw._loop.tool_input import input_problem, validation_error
from claw._messages import TextBlock, ToolResultBlock, ToolUseBlock
from claw._tools import Tool, ToolError, ToolResult


def _append(content: Any, extra: str) -> Any:
    if isinstance(content, str):
        return f"{content}\n\n{extra}" if content else extra
    return [*content, TextBlock(text=extra)]


class ToolCalls(OfferedTools):
    """Runs the tool calls of one session's loop; a turn's denials are in :attr:`denials`, and a hook that
    answered ``continue: false`` leaves its reason in :attr:`tool_stop` (the run stops after the batch)."""

    async def _run_tools(self, uses: list[ToolUseBlock]) -> list[ToolResultBlock]:
        for read_only, group in itertools.groupby(uses, self._read_only):
            for batch in [list(group)] if read_only else [[u] for u in group]:
                await asyncio.gather(*(self._finish_tool(u) for u in batch))
        return [self.finished[u.id] for u in uses]

    async def _finish_tool(self, use: ToolUseBlock) -> None:  # an interrupted batch keeps what finished
        self.finished[use.id] = await self._run_tool(use)

    def _read_only(self, use: ToolUseBlock) -> bool:
        tool = self.tools.get(use.name)
        return tool is not None and tool.spec.read_only

    async def _tool_hook(self, name: str, **fields: Any) -> Any:
        outcome = await self._hook(name, **fields)
        if not outcome.keep_going:
            why = f": {outcome.stop_reason}" if outcome.stop_reason else ""
            self.tool_stop = f"the run was stopped by a {name} hook{why}"
        return outcome

    async def _added_context(self, call: dict[str, Any], result: ToolResult) -> str:
        """What plugins add to a successful result (``claw_tool_result``), joined by blank lines."""
        _, answers = self.app.pm.call_attributed("claw_tool_result", **call, result=result, ctx=self.tool_ctx)
        texts = [a.result for a in answers]
        pending = [i for i, text in enumerate(texts) if inspect.isawaitable(text)]
        timeout = self.hooks.context.plugin_timeout
        waits = (bounded(texts[i], timeout, f"{answers[i].plugin.label} claw_tool_result") for i in pending)
        for i, text in zip(pending, await asyncio.gather(*waits), strict=True):
            texts[i] = text
        return "\n\n".join(t for t in texts if isinstance(t, str) and t)

    async def _execute(self, tool: Tool, tool_input: dict[str, Any], call: dict[str, Any]) -> ToolResult:
        """Run an allowed call (``claw_tool_call`` first); its result, recorded and reported."""
        self.app.pm.hook.claw_tool_call(**call, tool_input=tool_input, ctx=self.tool_ctx)
        start = time.perf_counter()
        try:
            result = await tool.run(tool_input, self.tool_ctx)
            if not isinstance(result, ToolResult):
                result = ToolResult.error(f"{tool.name} returned {type(result).__name__}, not a ToolResult")
        except ToolError as exc:
            result = ToolResult.error(str(exc))
        except Exception as exc:  # a broken tool must not end the run: the model is told and goes on
            result = ToolResult.error(f"{tool.name} failed: {type(exc).__name__}: {exc}")
        duration_ms = round((time.perf_counter() - start) * 1000, 2)
        self._session.record(
            "tool_result", sync=False, **call, is_error=result.is_error, duration_ms=duration_ms
        )
        self._emit(
            "tool_call",
            **call,
            is_error=result.is_error,
            duration_ms=duration_ms,
            tool_input=tool_input,
            error=_error_text(result) if result.is_error else None,
            tool_response=result.data,
        )
        return result

    def _deny(self, use: ToolUseBlock, tool_input: dict[str, Any], reason: str) -> ToolResultBlock:
        self.denials.append({"tool_name": use.name, "tool_use_id": use.id, "tool_input": tool_input})
        return ToolResultBlock(tool_use_id=use.id, content=reason, is_error=True)

    async def _run_tool(self, use: ToolUseBlock) -> ToolResultBlock:
        tool = self.tools.get(use.name)
        if tool is None:
            known = ", ".join(sorted({t.name for t in self.tools.values()})) or "none"
            return ToolResultBlock(
                tool_use_id=use.id,
                content=f"Unknown tool: {use.name}. Available tools: {known}",
                is_error=True,
            )
        invalid = validation_error(tool, use.input)
        if invalid is not None:
            return ToolResultBlock(tool_use_id=use.id, content=invalid, is_error=True)
        tool_input = dict(use.input)
        call = {"tool_name": tool.name, "tool_use_id": use.id}
        pre = await self._tool_hook("PreToolUse", tool_input=tool_input, **call)
        if pre.action == "block":
            decision, reason, source = "deny", pre.reason or "blocked by a PreToolUse hook", "hook PreToolUse"
        else:
            if pre.updated_input is not None:  # with allow, ask or no decision, as in Claude Code
                tool_input = dict(pre.updated_input)
            ask = (pre.reason or "") if pre.action == "ask" else None
            verdict = await self.permissions.check(
                tool,
                tool_input,
                self.tool_ctx,
                ask_reason=ask,
                hook_allowed=pre.action == "allow",
                tool_use_id=use.id,
                request_hook=functools.partial(
                    self._hook, "PermissionRequest", tool_input=tool_input, **call
                ),
            )
            decision, reason, source = verdict.decision, verdict.reason, verdict.source
            if verdict.updated_input is not None:  # the approver rewrote the call: it must still fit
                tool_input = dict(verdict.updated_input)
                problem = input_problem(tool.spec.input_schema, tool_input)
                if problem is not None:
                    decision, reason = "deny", f"the approver's updatedInput is invalid: {problem}"
        self._session.record(
            "permission", sync=False, **call, decision=decision, reason=reason, source=source
        )
        self._emit("permission_decision", **call, decision=decision, source=source)
        if decision != "allow":
            return self._deny(use, tool_input, reason or f"permission to use {tool.name} was denied")

        result = await self._execute(tool, tool_input, call)
        content = result.content
        if result.is_error:
            error = _error_text(result)
            post = await self._tool_hook("PostToolUseFailure", tool_input=tool_input, error=error, **call)
        else:
            added = await self._added_context({**call, "tool_input": tool_input}, result)
            if added:
                content = _append(content, added)
            post = await self._tool_hook(
                "PostToolUse", tool_input=tool_input, tool_response=result.data or _plain(content), **call
            )
        if post.action == "block" and post.reason:
            content = _append(content, post.reason)
        if post.additional_context:
            content = _append(content, post.additional_context)
        return ToolResultBlock(tool_use_id=use.id, content=content, is_error=result.is_error)


def _error_text(result: ToolResult) -> str:
    return result.content if isinstance(result.content, str) else "tool failed"


def _plain(content: Any) -> Any:
    if isinstance(content, str):
        return content
    return [b.model_dump(mode="json") for b in content]
