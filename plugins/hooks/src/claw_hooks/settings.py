"""The schema of settings ``hooks`` (Claude Code's), registered through ``claw_register_settings`` with
``requires_trust``: a folder's own settings files set hooks only once the folder is trusted."""

from __future__ import annotations

import re
from typing import Literal

import claw
from claw import HookEventName
from pydantic import BaseModel, ConfigDict, Field, field_validator

from claw_hooks.matchers import compile_matcher


class CommandHook(BaseModel):
    """A command hook. Unknown keys are errors (a typo must not silently disable a hook)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    type: Literal["command"] = "command"
    command: str = Field(min_length=1)
    #: Seconds; Claude Code's default of 60 applies when unset.
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
