"""The schema of settings ``hooks`` (Claude Code's), registered through ``claw_register_settings`` with
``requires_trust``: a folder's own settings files set hooks only once the folder is trusted."""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

import claw
from claw import HookEventName
from pydantic import BaseModel, ConfigDict, Field, field_validator

from claw_hooks.matchers import compile_matcher


class CommandHook(BaseModel):
    """A command hook. Unknown keys are errors (a typo must not silently disable a hook)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    type: Literal["command"] = "command"
    command: str = Field(min_length=1)
    #: Seconds; Claude Code's default of 600 applies when unset.
    timeout: float | None = Field(default=None, gt=0)
    #: Shown while the hook runs (Claude Code's key; accepted, informational).
    statusMessage: str | None = None
    #: Claude Code's ``if``: a permission rule (``Bash(git *)``) the tool call must match.
    if_: str | None = Field(default=None, alias="if")
    #: claw's opt-in: run the hook inside the session's sandbox (settings ``sandbox``); when the
    #: sandbox cannot run, the hook is not run (a non-blocking error). Unset: false.
    sandbox: bool | None = None
    #: claw's: variables added to the command's environment. A Claude Code plugin's hooks get
    #: ``CLAUDE_PLUGIN_ROOT`` and ``CLAUDE_PLUGIN_DATA`` this way (claw-claude-plugins sets them).
    env: dict[str, str] | None = None

    @field_validator("if_")
    @classmethod
    def _rule(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                claw.split_rule(value)
            except claw.RuleError as exc:
                raise ValueError(str(exc)) from exc
        return value


class HookMatcher(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    #: ``""``/``"*"``/absent: every tool; ``Edit|Write``: those names; anything else: a regex.
    matcher: str = ""
    hooks: list[CommandHook]

    @field_validator("matcher")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compile_matcher(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
        return value


#: Settings ``hooks``: event -> matchers, each with its command hooks.
HooksSettings = dict[HookEventName, list[HookMatcher]]


def claude_code_hooks(hooks: Any, label: str) -> Any:
    """``hooks`` from a Claude Code settings file without what claw cannot run: events claw does not
    emit, handler types other than ``command`` (``http``, ``prompt``, ``agent``, ``mcp_tool``) and
    handler keys claw does not know. Each is left out with a one-line warning, so a file written
    for Claude Code loads instead of failing validation (claw's own files stay strict). Registered as the
    key's ``claude_code`` adapter (``claw_register_settings``)."""
    if not isinstance(hooks, dict):
        return hooks
    known_keys = {"type", "command", "timeout", "statusMessage", "if", "env"}  # env: a plugin's folders
    out: dict[str, Any] = {}
    for event, groups in hooks.items():
        if event not in get_args(HookEventName):
            claw.warn(f"{label}: hooks.{event}: claw has no such hook event; ignored")
            continue
        if not isinstance(groups, list):
            out[event] = groups
            continue
        kept_groups: list[Any] = []
        for i, group in enumerate(groups):
            handlers = group.get("hooks") if isinstance(group, dict) else None
            if not isinstance(handlers, list):
                kept_groups.append(group)
                continue
            kept: list[Any] = []
            for j, handler in enumerate(handlers):
                where = f"{label}: hooks.{event}[{i}].hooks[{j}]"
                if isinstance(handler, dict) and handler.get("type", "command") != "command":
                    claw.warn(f"{where}: claw does not run {handler['type']!r} hooks; ignored")
                    continue
                if isinstance(handler, dict) and set(handler) - known_keys:
                    extra = ", ".join(sorted(set(handler) - known_keys))
                    claw.warn(f"{where}: ignoring keys claw does not use: {extra}")
                    handler = {k: v for k, v in handler.items() if k in known_keys}
                kept.append(handler)
            if kept:
                kept_groups.append({**group, "hooks": kept})
        out[event] = kept_groups
    return out
