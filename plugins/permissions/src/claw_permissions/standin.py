"""A stand-in for tools that are not installed, so ``claw permissions explain Bash '{...}'`` works
with only the kernel: it derives accesses from Claude Code's input schemas. A ``Bash`` line stays
unread (the kernel has no shell grammar): only a rule covering every command allows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from claw import Access, Tool, ToolContext, ToolError, ToolResult, ToolSpec

from claw_permissions.rules import READ_TOOLS, WRITE_TOOLS, canonical_tool

_PATH_KEYS = ("file_path", "notebook_path", "path")


class StandInTool(Tool):
    """Judged like the Claude Code tool of the same name; never runs."""

    def __init__(self, name: str) -> None:
        canonical = canonical_tool(name)
        self.spec = ToolSpec(
            name=canonical,
            description="(not installed)",
            read_only=canonical in READ_TOOLS or canonical == "WebSearch",
        )

    def access(self, input: Mapping[str, Any], ctx: ToolContext) -> list[Access]:
        name = self.spec.name
        path = next((str(input[k]) for k in _PATH_KEYS if input.get(k)), None)
        if name in READ_TOOLS:
            return [Access(kind="read", path=path or str(ctx.workspace))]
        if name in WRITE_TOOLS:
            return [Access(kind="write", path=path)]
        if name == "Bash":
            return [Access(kind="execute", command=str(input.get("command", "")))]
        if name == "WebFetch":
            return [Access(kind="network", url=str(input.get("url", "")))]
        return []

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        raise ToolError(f"{self.spec.name} is not installed")
