"""What the Claude Agent SDK's ``initialize`` request configures, applied to the session before it starts.

The SDKs send their hooks (callback ids per event and matcher), subagents and, from TypeScript, the
system prompt (with the preset's ``excludeDynamicSections``), a new session's ``title`` (``-n``) and
JSON schema in ``initialize`` rather than as flags; the in-process MCP servers come
in ``--mcp-config`` as ``{"type": "sdk"}`` entries and are reached through the control channel. Hooks
become :class:`claw.CallbackHook` callbacks (matched and merged like settings hooks by claw-hooks), SDK MCP
servers a :class:`claw.MessageTransport` named ``sdk`` that ``claw-mcp`` connects like any other, and
subagents claw-agents' ``--agents`` definitions (the same JSON as Claude Code's flag).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from claw import CallbackHook, ClawError, MessageTransport, warn

#: Claude Code's default timeout for SDK hook callbacks, in seconds.
CALLBACK_TIMEOUT = 60.0

#: Sends one control request to the client and returns its answer's ``response`` object.
Ask = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


def configure(options: Any, request: dict[str, Any], ask: Ask) -> None:
    """Apply an ``initialize`` request to :class:`claw.LoopOptions` (flags given on the command
    line win over the TypeScript SDK's copies of them).

    :raises ClawError: a malformed ``hooks`` object (answered as the request's error).
    """
    options.hooks = hooks_of(request.get("hooks"), ask)
    prompt = request.get("systemPrompt")
    if options.system_prompt is None and prompt is not None:
        parts = [prompt] if isinstance(prompt, str) else prompt
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise ClawError('initialize: "systemPrompt" must be a string or a list of strings')
        options.system_prompt = "\n\n".join(parts)
    append = request.get("appendSystemPrompt")
    if options.append_system_prompt is None and isinstance(append, str):
        options.append_system_prompt = append
    if request.get("excludeDynamicSections") is True:  # the preset's option (no effect with systemPrompt)
        options.exclude_dynamic_sections = True
    title = request.get("title")  # a new session's name; a resumed session keeps its own, as in the SDK
    if (
        isinstance(title, str)
        and "name" in options.extra
        and options.extra["name"] is None
        and not options.resume
    ):
        options.extra = {**options.extra, "name": title}  # as -n (claw-sessions checks and records it)
    schema = request.get("jsonSchema")
    if options.json_schema is None and isinstance(schema, dict):
        options.json_schema = schema
    agents = request.get("agents")
    if agents and "agents" not in options.extra:  # claw-agents owns --agents and the Agent tool
        warn(
            "the Agent SDK's agents are not offered to the model: claw-agents is not installed or is disabled"
        )
    elif agents and options.extra["agents"] is None:  # as --agents, Claude Code's same JSON; a flag wins
        if not isinstance(agents, dict):
            raise ClawError('initialize: "agents" must be an object of agent name -> definition')
        options.extra = {**options.extra, "agents": agents}


def hooks_of(config: Any, ask: Ask) -> list[CallbackHook]:
    """``{"PreToolUse": [{"matcher": "Bash", "hookCallbackIds": [...], "timeout": 30}]}`` as hooks
    that ask the client (``hook_callback``) to run each callback."""
    if config is None:
        return []
    if not isinstance(config, dict):
        raise ClawError('initialize: "hooks" must be an object of hook events')
    hooks: list[CallbackHook] = []
    for event, matchers in config.items():
        if not isinstance(matchers, list):
            raise ClawError(f'initialize: hooks["{event}"] must be a list of matchers')
        for entry in matchers:
            ids = entry.get("hookCallbackIds") if isinstance(entry, dict) else None
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise ClawError(f'initialize: each hooks["{event}"] entry needs "hookCallbackIds" (strings)')
            matcher = entry.get("matcher") or ""
            timeout = entry.get("timeout")
            failure = entry.get("onFailure")
            for callback_id in ids:
                hooks.append(
                    CallbackHook(
                        event=event,
                        matcher=matcher,
                        label=f"sdk:{callback_id}",
                        timeout=float(timeout)
                        if isinstance(timeout, int | float) and timeout > 0
                        else CALLBACK_TIMEOUT,
                        source="Agent SDK",
                        callback=partial(_run_callback, ask, callback_id),
                        blocks_on_failure=failure is not None and failure != "continue",
                    )
                )
    return hooks


async def _run_callback(ask: Ask, callback_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    return await ask(
        {
            "subtype": "hook_callback",
            "callback_id": callback_id,
            "input": payload,
            "tool_use_id": payload.get("tool_use_id"),
        }
    )


def mcp_transport(ask: Ask) -> type[MessageTransport]:
    """The ``sdk`` transport: each JSON-RPC message goes to the client as an ``mcp_message`` request
    naming the server; the reply to a request comes back in the answer's ``mcp_response``."""

    class SdkMcpTransport(MessageTransport):
        name = "sdk"

        async def exchange(self, config: dict[str, Any], message: dict[str, Any]) -> dict[str, Any] | None:
            answer = await ask(
                {"subtype": "mcp_message", "server_name": config["server"], "message": message}
            )
            if "method" not in message or "id" not in message:
                return None  # a notification (or a response): the client only acknowledges it
            reply = answer.get("mcp_response")
            if not isinstance(reply, dict):
                raise ClawError(f"the Agent SDK sent no mcp_response for {message['method']}")
            return reply

    return SdkMcpTransport
