"""Claude Code's stream-json control protocol (what the Claude Agent SDK speaks to its CLI).

With ``--input-format stream-json --output-format stream-json``, stdin carries user messages and
control messages; stdout carries the run's messages and control messages. From the client:
``{"type": "control_request", "request_id": ID, "request": {"subtype": ...}}`` with ``initialize``,
``interrupt``, ``set_permission_mode``, ``set_model``, ``set_max_thinking_tokens``, ``mcp_status``, ``get_context_usage``,
``stop_task`` or ``rewind_files``, each answered on stdout with
``{"type": "control_response", "response": {"subtype": "success", "request_id": ID, "response": {...}}}``
or ``{"subtype": "error", "request_id": ID, "error": "..."}``. From claw: ``can_use_tool`` (with
``--permission-prompt-tool stdio``), answered ``{"behavior": "allow" | "deny", ...}``;
``hook_callback`` for the hooks ``initialize`` registered; ``mcp_message`` for the client's
in-process MCP servers (:mod:`claw_sdk.initialize`). A subtype this module does not handle itself goes
to the plugins (``claw_control_request``: claw-mcp answers ``mcp_reconnect`` and ``mcp_toggle``).
User messages are read as :class:`claw_sdk.stream_input.StreamReader` reads them.

The session starts once the first message has arrived, so that an ``initialize`` (the SDKs send it
first) configures it: its hooks fire from ``SessionStart`` on, its MCP servers' tools are offered from
the first turn. Control requests are answered as they arrive, also while a turn runs (an
``interrupt`` stops it); user messages queue up and run in order. An unknown subtype gets an error
response and the session goes on; a control request without a ``request_id`` cannot be answered, so
it is reported on stderr and skipped.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

from claw import (
    ClawError,
    PermissionAnswer,
    PermissionQuestion,
    SessionContext,
    StoppedTask,
    ToolContext,
    UsageError,
    parse_answer,
    warn,
)

from claw_sdk import checkpoints, flags, init_fields, initialize
from claw_sdk.checkpoints import Checkpoints
from claw_sdk.stream_input import StreamReader

#: The control channel of each running session, by session id (where ``task_started`` goes, and the
#: file checkpoints): from its start to its end (``claw_session_end``), which may come after stdin ends.
CHANNELS: dict[str, ControlChannel] = {}


def channel_of(session_id: str) -> ControlChannel | None:
    """The control channel of session ``session_id``: its own, or, for a sub-agent (at any depth), its
    top session's (a running sub-agent is in its parent's :attr:`claw.SessionContext.subagents`)."""
    own = CHANNELS.get(session_id)
    if own is not None:
        return own
    return next((c for c in CHANNELS.values() if _runs_under(c.loop.ctx, session_id)), None)


def _runs_under(ctx: SessionContext, session_id: str) -> bool:
    return any(
        child_id == session_id or _runs_under(child, session_id) for child_id, child in ctx.subagents.items()
    )


def reporter_of(task_id: str, session_id: str) -> ControlChannel | None:
    """The channel that reported task ``task_id`` started (task ids are unique in a process), else
    ``session_id``'s: a sub-agent's task may end after the sub-agent has (its end stops its jobs)."""
    return next((c for c in CHANNELS.values() if c.reports(task_id)), None) or channel_of(session_id)


#: Who answers ``can_use_tool`` requests, in verdicts and messages.
CLIENT = "the stream-json client"
#: Why a request of claw's got no answer.
STDIN_ENDED = "stdin ended before the client answered"


class ControlChannel(StreamReader):
    """One run's stdin and stdout in stream-json mode, with the control protocol.

    :param stdin: where the client's lines come from.
    :param out: stdout (shared with the stream-json renderer: every write is one whole line).
    :param replay: ``--replay-user-messages``: echo each user message before its turn runs.
    """

    def __init__(self, stdin: TextIO, out: TextIO, *, replay: bool = False) -> None:
        super().__init__(stdin, out, replay=replay)
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        #: Whether stdin has ended: a request from claw then fails at once, as no answer can come.
        self._closed = False
        #: Control requests that came before the session started, answered once it has.
        self._early: list[tuple[dict[str, Any], int]] = []
        #: Why ``initialize`` could not be applied (its answer is then this error).
        self._init_error: str | None = None
        #: The ``initialize`` request (the first message) that configured the session.
        self._applied: dict[str, Any] | None = None
        #: The session's file checkpoints, when the SDK enabled them (``rewind_files``).
        self.checkpoints: Checkpoints | None = None
        #: ``*_applied`` answers for the option fields ``initialize`` carried (:mod:`claw_sdk.init_fields`).
        self._confirmed: dict[str, bool] = {}
        #: Background tasks reported started and not yet ended: task id -> the tool call's id and the
        #: session (this one or a sub-agent's) whose plugin stops it.
        self._tasks: dict[str, tuple[str, SessionContext]] = {}
        #: Every task reported started (a sub-agent's task id is its tasks' ``parent_task_id``).
        self._started: set[str] = set()
        #: Tasks whose end was reported (each is, once).
        self._ended: set[str] = set()
        #: The effort the session started with, once ``set_max_thinking_tokens`` changed it (``null`` restores it).
        self._effort: tuple[Any] | None = None
        #: Plugins' answers still being awaited (kept so they are not garbage-collected mid-flight).
        self._answering: set[asyncio.Future[None]] = set()
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]] = {
            "initialize": self._initialize,
            "interrupt": self._interrupt,
            "set_permission_mode": self._set_permission_mode,
            "set_model": self._set_model,
            "set_max_thinking_tokens": self._set_max_thinking_tokens,
            "mcp_status": self._mcp_status,
            "get_context_usage": self._context_usage,
            "stop_task": self._stop_task,
            "rewind_files": self._rewind_files,
        }

    # -- stdin ----------------------------------------------------------------------------------

    async def open(self, options: Any) -> None:
        """Start reading stdin and wait for the first message; if it is an ``initialize`` request,
        apply it to ``options`` (:class:`claw.LoopOptions`) before the session starts. The
        SDK's in-process MCP servers (``"type": "sdk"``) are reached through this channel."""
        options.transports = {**options.transports, "sdk": initialize.mcp_transport(self.request)}
        await super().open(options)
        opening = self.opening or {}
        first = opening.get("request") if opening.get("type") == "control_request" else None
        init_fields.check_delivered(options, first)
        if isinstance(first, dict) and first.get("subtype") == "initialize":
            try:
                initialize.configure(options, first, self.request)
                self._confirmed = init_fields.apply(options, first)
                self._applied = first
            except ClawError as exc:
                self._init_error = str(exc)

    def started(self) -> None:
        """Answer the control requests that came before the session started."""
        ctx = self.loop.ctx
        CHANNELS[ctx.session_id] = self
        if checkpoints.enabled(ctx.env):  # a fork starts with its parent's
            session = self.loop.session
            parent = session.state.parent_path if session is not None else None
            self.checkpoints = Checkpoints(ctx.transcript_path, parent=parent)
        early, self._early = self._early, []
        for data, number in early:
            self._answer(data, number)

    def turn(self, data: dict[str, Any]) -> None:
        """A user message's turn starts: it gets its ``uuid`` (the one ``rewind_files`` takes, echoed
        with ``--replay-user-messages``) and, with checkpointing on, the file changes from now on."""
        data.setdefault("uuid", str(uuid.uuid4()))
        if self.checkpoints is not None:
            self.checkpoints.message(str(data["uuid"]))
        super().turn(data)

    def before_tool(self, tool_name: str, tool_input: dict[str, Any], ctx: ToolContext) -> None:
        """Keep the file a ``Write``/``Edit``/``MultiEdit``/``NotebookEdit`` call is about to change."""
        field = checkpoints.TRACKED.get(tool_name)
        path = tool_input.get(field) if field is not None and self.checkpoints is not None else None
        if isinstance(path, str) and path and self.checkpoints is not None:
            self.checkpoints.before_change(ctx.resolve(path))

    def ended(self) -> None:
        """Fail what still waits for the client's answer, and what would ask later: nobody is left to
        give it (a turn still running when stdin ends asks no more)."""
        self._closed = True
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ClawError(STDIN_ENDED))

    def control(self, data: dict[str, Any], number: int) -> None:
        kind = data.get("type")
        if kind == "control_request" and self.loop is None:
            self._early.append((data, number))
        elif kind == "control_request":
            self._answer(data, number)
        elif kind == "control_response":
            self._resolve(data, number)
        elif kind != "control_cancel_request":  # claw answers at once: no request of the client's in flight
            super().control(data, number)

    def respond(self, request_id: str, answer: dict[str, Any] | str) -> None:
        """A ``control_response``: a dict is the success ``response``, a string the error message."""
        if isinstance(answer, str):
            body = {"subtype": "error", "request_id": request_id, "error": answer}
        else:
            body = {"subtype": "success", "request_id": request_id, "response": answer}
        self.write({"type": "control_response", "response": body})

    def _answer(self, data: dict[str, Any], number: int) -> None:
        request_id, request = data.get("request_id"), data.get("request")
        if not isinstance(request_id, str) or not request_id:
            warn(f"stdin line {number}: control_request without a request_id; skipped", once=False)
            return
        subtype = request.get("subtype") if isinstance(request, dict) else None
        try:
            if not isinstance(request, dict) or not isinstance(subtype, str):
                raise ClawError('"request" must be an object with a "subtype"')
            handler = self._handlers.get(subtype)
            if handler is None:
                self._ask_plugins(request_id, subtype, request)
                return
            answer = handler(request)
            if inspect.isawaitable(answer):
                self._send_later(request_id, answer, f"claw failed on {subtype}")
            else:
                self.respond(request_id, answer)
        except ClawError as exc:
            self.respond(request_id, str(exc))

    def _ask_plugins(self, request_id: str, subtype: str, request: dict[str, Any]) -> None:
        """A subtype not answered here: the first plugin's ``claw_control_request`` answer, sent
        once it has resolved (the session goes on meanwhile: a reconnect may take seconds).

        :raises ClawError: no plugin answers ``subtype``.
        """
        answer, plugin = self.loop.ctx.control_request(subtype, dict(request))
        if answer is None:
            raise ClawError(f"unsupported control request subtype: {subtype}")
        if not inspect.isawaitable(answer):
            self.respond(request_id, answer)
            return
        self._send_later(request_id, answer, f"plugin {plugin} failed on {subtype}")

    def _send_later(self, request_id: str, answer: Awaitable[Any], failed: str) -> None:
        """Answer ``request_id`` once ``answer`` resolves (``failed`` if it gives ``None``), while the
        session goes on; a :class:`ClawError` it raises is the error response."""

        async def send() -> None:
            try:
                result = await answer
            except ClawError as exc:
                result = str(exc)
            self.respond(request_id, result if result is not None else failed)

        future = asyncio.ensure_future(send())
        self._answering.add(future)
        future.add_done_callback(self._answering.discard)

    def _resolve(self, data: dict[str, Any], number: int) -> None:
        response = data.get("response")
        request_id = response.get("request_id") if isinstance(response, dict) else None
        future = self._pending.get(request_id) if isinstance(request_id, str) else None
        if future is None or future.done():
            warn(f"stdin line {number}: control_response for no pending request; skipped", once=False)
            return
        assert isinstance(response, dict)
        if response.get("subtype") == "error":
            future.set_exception(ClawError(str(response.get("error") or "the client reported an error")))
        else:
            body = response.get("response")
            future.set_result(body if isinstance(body, dict) else {})

    # -- the client's requests --------------------------------------------------------------------

    def _initialize(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._init_error is not None:  # a guard that silently never ran would be worse than none
            raise ClawError(self._init_error)
        if request.get("hooks") and request is not self._applied:
            raise ClawError(
                "initialize must be the first message to register hooks (the session has started)"
            )
        late = init_fields.carried(request) if request is not self._applied else []
        if late:
            raise ClawError(
                f"initialize must be the first message to apply {', '.join(late)} (the session has started)"
            )
        ctx = self.loop.ctx
        commands, facts = (ctx.commands, ctx.facts) if ctx is not None else ({}, {})
        return {
            "commands": [
                {"name": name, "description": c.description, "argumentHint": c.argument_hint}
                for name, c in sorted(commands.items())
            ],
            # What plugins reported (claw-prompt the styles, claw-agents the agents); Claude Code's
            # ``default`` style and no agents without them.
            "agents": facts.get("agents", []),
            "output_style": facts.get("output_style", "default"),
            "available_output_styles": facts.get("available_output_styles", ["default"]),
            "models": [],
            "pid": os.getpid(),
            "hook_on_failure_supported": True,
            "hooks_applied": True,
            **self._confirmed,
        }

    def _interrupt(self, request: dict[str, Any]) -> dict[str, Any]:
        self.loop.interrupt()
        return {}

    def _set_permission_mode(self, request: dict[str, Any]) -> dict[str, Any]:
        mode = request.get("mode")
        if not isinstance(mode, str):
            raise ClawError('set_permission_mode needs "mode"')
        self.loop.set_permission_mode(mode)
        return {}

    def _set_model(self, request: dict[str, Any]) -> dict[str, Any]:
        model = request.get("model")
        if model is not None and not isinstance(model, str):
            raise ClawError('set_model: "model" must be a string or null')
        self.loop.set_model(model or None)
        return {}

    def _set_max_thinking_tokens(self, request: dict[str, Any]) -> dict[str, Any]:
        """A thinking budget, applied as ``--max-thinking-tokens`` is (the effort it maps to) from the
        next request on; ``null`` puts back the session's own effort."""
        tokens = request.get("max_thinking_tokens")
        if tokens is not None and (type(tokens) is not int or tokens < 0):
            raise ClawError('set_max_thinking_tokens: "max_thinking_tokens" must be a whole number or null')
        opts = self.loop.opts
        if self._effort is None:
            self._effort = (opts.reasoning_effort,)
        opts.reasoning_effort = self._effort[0] if tokens is None else flags.effort_for_budget(tokens)
        return {}

    def _mcp_status(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"mcpServers": [dict(s) for s in self.loop.ctx.statuses]}

    def _context_usage(self, request: dict[str, Any]) -> dict[str, Any]:
        status = self.loop.status()
        used, window = status["context_tokens"], status["context_window"] or 0
        # Automatic compaction is on when the compactor (none: claw-compaction disabled) would compact a
        # full window: its own answer, whatever settings or plugin it comes from.
        compactor, full = self.loop.compactor, window or 1
        return {
            "categories": [{"name": "Messages", "tokens": used, "color": "purple"}],
            "totalTokens": used,
            "maxTokens": window,
            "rawMaxTokens": window,
            "percentage": round(100 * used / window, 2) if window else 0.0,
            "model": status["model"],
            "isAutoCompactEnabled": compactor is not None and compactor.due(full, full),
        }

    def _stop_task(self, request: dict[str, Any]) -> Awaitable[dict[str, Any]]:
        task_id = request.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise ClawError('stop_task needs "task_id"')
        owner = self._tasks[task_id][1] if task_id in self._tasks else self.loop.ctx
        answer = owner.stop_task(task_id)
        if answer is None:
            raise ClawError(f"stop_task: no background task {json.dumps(task_id)} in this session")
        return self._stopped(answer)

    async def _stopped(self, answer: Any) -> dict[str, Any]:
        """Claude Code's answer to ``stop_task``: success once the task has ended, then its
        ``task_updated`` (status ``killed``) and ``task_notification`` (``stopped``) messages."""
        task: StoppedTask | None = await answer if inspect.isawaitable(answer) else answer
        if task is None:
            raise ClawError("stop_task: the plugin that owns the task could not stop it")
        if task.status != "stopped":
            raise ClawError(f"stop_task: task {json.dumps(task.task_id)} is not running ({task.status})")
        asyncio.get_running_loop().call_soon(self._report_end, task)
        return {}

    def task_started(self, data: dict[str, Any], tool_use_id: str, ctx: ToolContext) -> None:
        """Claude Code's ``task_started`` for a tool call (``data``: its result's) that started a
        background task: a ``Bash`` job (``backgroundTaskId``: ``local_bash``), a background
        sub-agent (``async_launched``: ``local_agent``) or a detached task (``TaskCreate``'s ``run``: a
        command ``local_bash``, a prompt ``local_agent``). Its ``task_id`` is what ``stop_task`` takes.
        A task a sub-agent started is reported too, with the sub-agent's task as ``parent_task_id``
        when the sub-agent is one (a background sub-agent), as Claude Code does."""
        run = data.get("run")
        description = data.get("description")
        if data.get("backgroundTaskId"):
            task_id, kind = str(data["backgroundTaskId"]), "local_bash"
        elif data.get("status") == "async_launched" and data.get("agentId"):
            task_id, kind = str(data["agentId"]), "local_agent"
        elif isinstance(run, dict) and run.get("id") and isinstance(run.get("spec"), dict):
            spec: dict[str, Any] = run["spec"]  # a detached task (claw-agents' TaskCreate)
            task_id, kind = str(run["id"]), "local_bash" if spec.get("kind") == "command" else "local_agent"
            description = spec.get("description") or spec.get("name") or spec.get("text")
        else:
            return
        message = {
            **_task_message("task_started", task_id, self.loop.ctx.session_id),
            "tool_use_id": tool_use_id,
            "description": str(description or ""),
            "task_type": kind,
            "is_backgrounded": True,
        }
        if ctx.session_id in self._started:
            message["parent_task_id"] = ctx.session_id
        self.write(message)
        self._tasks[task_id] = (tool_use_id, ctx.session if ctx.session is not None else self.loop.ctx)
        self._started.add(task_id)

    def reports(self, task_id: str) -> bool:
        """Whether this channel reported ``task_id`` started and not yet its end."""
        return task_id in self._tasks

    def task_ended(self, task: StoppedTask) -> None:
        """A background task ended other than through ``stop_task`` (``claw_task_ended``): reported as
        its ``stop_task`` end is, if its start was (``task_started`` goes out as its tool call returns,
        before the task can end: nothing runs between)."""
        if task.task_id in self._tasks:
            self._report_end(task)

    def _report_end(self, task: StoppedTask) -> None:
        """Claude Code's ``task_updated`` (status ``killed`` for a stopped task) and ``task_notification``
        for an ended task, once per task whichever way its end is heard of first."""
        if task.task_id in self._ended:
            return
        self._ended.add(task.task_id)
        tool_use_id = self._tasks.pop(task.task_id, ("", None))[0] or None
        session_id = self.loop.ctx.session_id
        patch = {
            "status": "killed" if task.status == "stopped" else task.status,
            "end_time": int(time.time() * 1000),
        }
        self.write({**_task_message("task_updated", task.task_id, session_id), "patch": patch})
        ending = "was stopped" if task.status == "stopped" else task.status
        default = f"{task.description} {ending}" if task.description else ending
        notification = {
            **_task_message("task_notification", task.task_id, session_id),
            "status": task.status,
            "description": task.description,
            "output_file": task.output_file,
            "summary": task.summary or default,
        }
        self.write(notification if tool_use_id is None else {**notification, "tool_use_id": tool_use_id})

    def _rewind_files(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.checkpoints is None:
            raise ClawError(
                "rewind_files: file checkpointing is not enabled (the SDK's enable_file_checkpointing, "
                f"{checkpoints.ENV}=true)"
            )
        message_id = request.get("user_message_id")
        if not isinstance(message_id, str) or not message_id:
            raise ClawError('rewind_files needs "user_message_id"')
        return self.checkpoints.rewind(message_id, dry_run=bool(request.get("dry_run")))

    # -- claw's requests ----------------------------------------------------------------------------

    async def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send a control request to the client and return its answer's ``response`` object; if the
        caller is cancelled meanwhile (an interrupted turn), the client gets a ``control_cancel_request``.

        :raises ClawError: the client answered with an error, or stdin ended first.
        """
        if self._closed:
            raise ClawError(STDIN_ENDED)
        request_id = f"claw_req_{next(self._ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        self.write({"type": "control_request", "request_id": request_id, "request": body})
        try:
            return await future
        except asyncio.CancelledError:
            self.write({"type": "control_cancel_request", "request_id": request_id})
            raise
        finally:
            self._pending.pop(request_id, None)

    async def can_use_tool(self, question: PermissionQuestion) -> PermissionAnswer:
        """A :data:`claw._permissions.asking.PermissionApprover` (``--permission-prompt-tool stdio``): asks
        the client with a ``can_use_tool`` request. The ``updatedPermissions`` of an allow are applied
        to the session: ``addRules`` as session rules, ``setMode`` as the new mode."""
        try:
            answer = await self.request(
                {
                    "subtype": "can_use_tool",
                    "tool_name": question.tool_name,
                    "input": dict(question.tool_input),
                    "permission_suggestions": _suggestions(question.rules),
                    "blocked_path": None,
                    "decision_reason": question.reason,
                    "tool_use_id": question.tool_use_id,
                }
            )
        except ClawError as exc:
            return PermissionAnswer("deny", message=f"{CLIENT} could not decide: {exc}", source=CLIENT)
        decision = parse_answer(answer, CLIENT)
        if decision.behavior == "allow":
            self._apply_updates(answer.get("updatedPermissions"))
        return decision

    def _apply_updates(self, updates: Any) -> None:
        """Claude Code ``PermissionUpdate`` objects from an allow: rules join the session's rules (a
        settings destination is also saved, by the engine, as for an "always" at the REPL)."""
        gate = self.loop.permissions
        for update in updates if isinstance(updates, list) else []:
            kind = update.get("type") if isinstance(update, dict) else None
            if kind == "setMode" and isinstance(update.get("mode"), str):
                self.loop.set_permission_mode(update["mode"])
            elif kind == "addRules" and update.get("behavior") in ("allow", "deny", "ask"):
                for rule in update.get("rules") or []:
                    name, content = rule.get("toolName"), rule.get("ruleContent")
                    text = f"{name}({content})" if content else str(name)
                    try:
                        gate.policy.add_rules([text], update["behavior"], CLIENT)
                    except UsageError as exc:  # a rule claw cannot use
                        warn(f"{CLIENT} sent a permission rule claw cannot use: {exc}", once=False)
            elif kind is not None:
                warn(f"{CLIENT} sent a permission update claw does not apply: {kind}")


def _suggestions(rules: list[str]) -> list[dict[str, Any]]:
    """Claude Code ``addRules`` suggestions (for this session) for rule texts like ``Bash(git log)``."""
    if not rules:
        return []
    entries = []
    for text in rules:
        name, _, rest = text.partition("(")
        entries.append({"toolName": name, "ruleContent": rest[:-1]} if rest else {"toolName": name})
    return [{"type": "addRules", "rules": entries, "behavior": "allow", "destination": "session"}]


def _task_message(subtype: str, task_id: str, session_id: str) -> dict[str, Any]:
    """The common fields of Claude Code's ``system`` task messages (``task_started``, ...)."""
    return {
        "type": "system",
        "subtype": subtype,
        "task_id": task_id,
        "session_id": session_id,
        "uuid": str(uuid.uuid4()),
    }
