"""``--permission-prompt-tool NAME``: a tool (usually an MCP server's) answers the permission
questions nobody is at a terminal to answer in ``-p`` runs, in Claude Code's JSON (``docs/permissions.md``,
"Asking a program"), which claw-sdk's ``can_use_tool`` answers share (:func:`parse_answer`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

from claw._permissions.asking import PermissionAnswer, PermissionQuestion
from claw._tools import Tool, ToolContext

#: Settings files an ``updatedPermissions`` entry may name: its rules are kept beyond the session.
_SAVED_DESTINATIONS = frozenset({"userSettings", "projectSettings", "localSettings"})


class PromptToolApprover:
    """A :data:`claw._permissions.asking.PermissionApprover` that calls tool ``name``.

    :param find: looks a tool up by name among the session's tools (MCP servers connect after the
        engine is built, so the tool is looked up at each question).
    """

    def __init__(self, name: str, find: Callable[[str], Tool | None], ctx: ToolContext) -> None:
        self.name = name
        self.find = find
        self.ctx = ctx
        self.source = f"permission prompt tool {name}"

    async def __call__(self, question: PermissionQuestion) -> PermissionAnswer:
        tool = self.find(self.name)
        if tool is None:
            return self._deny("it is not available (its MCP server is not connected)")
        try:
            result = await tool.run(tool_request(question), self.ctx)
        except Exception as exc:
            return self._deny(f"it failed: {type(exc).__name__}: {exc}")
        content = result.content
        text = content if isinstance(content, str) else "".join(getattr(b, "text", "") for b in content)
        if result.is_error:
            return self._deny(f"it failed: {' '.join(text.split())[:200]}")
        return parse_answer(text, self.source)

    def _deny(self, why: str) -> PermissionAnswer:
        return PermissionAnswer("deny", message=f"{self.source} could not decide: {why}", source=self.source)


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
