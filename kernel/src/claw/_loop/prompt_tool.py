"""``--permission-prompt-tool NAME``: a tool (usually an MCP server's) answers the permission
questions nobody is at a terminal to answer in ``-p`` runs, in Claude Code's JSON (``docs/permissions.md``,
"Asking a program")."""

from __future__ import annotations

from collections.abc import Callable

from claw._permissions.asking import PermissionAnswer, PermissionQuestion, parse_answer, tool_request
from claw._tools import Tool, ToolContext


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
