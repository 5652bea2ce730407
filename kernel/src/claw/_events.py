"""Hook events (which can change what happens) and runtime events (which only report it).

:class:`HookEvent` carries the same fields Claude Code passes to hook commands on stdin, so the
kernel hands one object to programmatic handlers (``claw_hook_event``) and, as JSON, to command hooks
from settings. :class:`RuntimeEvent` goes to telemetry sinks (``claw_runtime_event``).
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import ConfigDict, Field

from claw._model import Model

HookEventName = Literal[
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PermissionRequest",
    "UserPromptSubmit",
    "PreCompact",
    "PostCompact",
    "Stop",
    "SessionStart",
    "SessionEnd",
    "SubagentStart",
    "SubagentStop",
    "PrePluginInstall",
    "PostPluginInstall",
    "PrePluginUninstall",
    "PostPluginUninstall",
]


class HookEvent(Model):
    """One hook event. Fields not relevant to an event stay unset and are left out of the JSON."""

    model_config = ConfigDict(extra="allow")

    hook_event_name: HookEventName
    session_id: str = ""
    transcript_path: str = ""
    cwd: str = ""
    permission_mode: str = ""
    tool_name: str | None = None
    tool_input: dict[str, Any] | None = None
    tool_use_id: str | None = None
    tool_response: Any = None
    error: str | None = None
    prompt: str | None = None
    stop_hook_active: bool | None = None
    #: SessionStart: ``startup|resume|clear|compact``.
    source: str | None = None
    #: SessionEnd: why it ended (Claude Code's ``clear|logout|prompt_input_exit|other``).
    reason: str | None = None
    #: PreCompact/PostCompact: ``manual|auto``.
    trigger: str | None = None
    #: Plugin lifecycle events: the plugin's name, version and, after a failure, the error.
    plugin: dict[str, Any] | None = None
    #: SubagentStart/SubagentStop: the sub-agent's id (its session id) and type (the definition's name).
    agent_id: str | None = None
    agent_type: str | None = None
    #: SubagentStop: the sub-agent's own transcript and its last answer.
    agent_transcript_path: str | None = None
    last_assistant_message: str | None = None

    def payload(self) -> dict[str, Any]:
        """The JSON object a command hook reads on stdin."""
        return self.model_dump(exclude_none=True)


class HookOutcome(Model):
    """What a hook handler decided. Returning ``None`` from a handler means "continue".

    ``block`` stops the action (PreToolUse: the call is not made and ``reason`` goes to the model;
    UserPromptSubmit: the prompt is dropped; Stop: the model must go on; Pre*Install: nothing is
    installed). ``allow`` approves a tool call without asking. ``modify`` replaces the tool input.
    """

    action: Literal["continue", "block", "allow", "ask", "modify"] = "continue"
    reason: str = ""
    updated_input: dict[str, Any] | None = None
    #: Text added to the model's context (PostToolUse, UserPromptSubmit, SessionStart).
    additional_context: str | None = None
    #: False stops the whole run after this event (Claude Code's ``"continue": false``).
    keep_going: bool = True
    stop_reason: str | None = None
    #: Shown to the user, not the model.
    system_message: str | None = None


class RuntimeEvent(Model):
    """Something that happened, for observers: ``session_start``, ``model_request``, ``api_retry``,
    ``tool_call``, ``permission_decision``, ``hook_run``, ``compaction``, ``session_end``, ..."""

    type: str
    session_id: str = ""
    ts: float = Field(default_factory=time.time)
    data: dict[str, Any] = Field(default_factory=dict)
