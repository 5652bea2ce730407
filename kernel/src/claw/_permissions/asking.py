"""Asking someone about a tool call: the question and the answer (Claude Code's JSON for both, a
program's answer to ``--permission-prompt-tool`` and ``can_use_tool``, is the ``prompt_tool`` built-in's:
:mod:`claw._builtins.prompt_tool.approver`): ``docs/permissions.md``, "Asking a program"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class PermissionQuestion:
    """A tool call the rules and mode left at ``ask``."""

    tool_name: str
    tool_input: Mapping[str, Any]
    #: Why it needs approval ("runs commands: needs approval in prompt mode").
    reason: str
    tool_use_id: str | None = None
    #: Rules (``Bash(git log)``) that would allow calls like this one from now on, to offer.
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PermissionAnswer:
    """The decision on a :class:`PermissionQuestion`."""

    behavior: Literal["allow", "deny"]
    #: Allow only: the input the call runs with instead (``updatedInput``); ``None`` keeps it.
    updated_input: dict[str, Any] | None = None
    #: Deny only: what the model is told.
    message: str = ""
    #: Allow only: ``session`` or ``always`` also allow calls like this one from now on.
    scope: Literal["once", "session", "always"] = "once"
    #: Who answered, for the verdict's ``source``.
    source: str = "user"
    #: ``always`` only: the settings file the rule is saved to (Claude Code's ``destination``:
    #: ``userSettings``, ``projectSettings`` or ``localSettings``).
    destination: str = "localSettings"


#: Answers a :class:`PermissionQuestion` (``--permission-prompt-tool``, a stream-json client).
PermissionApprover = Callable[[PermissionQuestion], Awaitable[PermissionAnswer]]
