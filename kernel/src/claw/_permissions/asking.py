"""Asking someone about a tool call: the question, the answer, and Claude Code's JSON for both (a
program's answer, ``--permission-prompt-tool`` and ``can_use_tool``): ``docs/permissions.md``, "Asking a
program"."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: Settings files an ``updatedPermissions`` entry may name: its rules are kept beyond the session.
_SAVED_DESTINATIONS = frozenset({"userSettings", "projectSettings", "localSettings"})


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


def tool_request(question: PermissionQuestion) -> dict[str, Any]:
    """What a permission prompt tool is called with (Claude Code's input)."""
    return {
        "tool_name": question.tool_name,
        "input": dict(question.tool_input),
        "tool_use_id": question.tool_use_id,
    }


def parse_answer(data: Any, source: str) -> PermissionAnswer:
    """Claude Code's answer object as a :class:`PermissionAnswer`; anything else is a deny whose
    message says what was wrong, so a broken approver never lets a call through."""

    def bad(why: str) -> PermissionAnswer:
        return PermissionAnswer("deny", message=f"{source} gave an invalid answer: {why}", source=source)

    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            snippet = " ".join(data.split())[:120]
            return bad(f'expected JSON like {{"behavior": "allow"}}, got {snippet!r}')
    if not isinstance(data, dict):
        return bad(f"expected a JSON object, got {type(data).__name__}")
    behavior = data.get("behavior")
    if behavior == "deny":
        message = data.get("message")
        if message is not None and not isinstance(message, str):
            return bad('"message" must be a string')
        return PermissionAnswer("deny", message=message or f"denied by {source}", source=source)
    if behavior != "allow":
        return bad(f'"behavior" must be "allow" or "deny", got {json.dumps(behavior)}')
    updated = data.get("updatedInput")
    if updated is not None and not isinstance(updated, dict):
        return bad('"updatedInput" must be an object')
    scope, destination = _lasting(data)
    return PermissionAnswer("allow", updated, scope=scope, source=source, destination=destination)


def _lasting(data: Mapping[str, Any]) -> tuple[Literal["once", "session", "always"], str]:
    """How long an allow lasts, and where an "always" is saved: ``updatedPermissions`` naming a
    settings file mean always (in the first file named), any other (``session``) mean this session."""
    updates = data.get("updatedPermissions")
    if not isinstance(updates, list) or not updates:
        return "once", "localSettings"
    named = [u.get("destination") for u in updates if isinstance(u, dict)]
    saved = [d for d in named if d in _SAVED_DESTINATIONS]
    return ("always", saved[0]) if saved else ("session", "localSettings")
