"""Small real tools for permission tests: each declares what it touches through ``access()``."""

from __future__ import annotations

from typing import Any

from claw import Access, Tool, ToolContext, ToolResult, ToolSpec


class _Base(Tool):
    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return ToolResult(content="ran")


class ReadTool(_Base):
    spec = ToolSpec(name="Read", description="read", read_only=True, aliases=("read_file",))

    def access(self, input, ctx):
        return [Access(kind="read", path=input["file_path"])]


class GrepTool(_Base):
    spec = ToolSpec(name="Grep", description="grep", read_only=True, aliases=("grep_search",))

    def access(self, input, ctx):
        return [Access(kind="read", path=input.get("path") or str(ctx.workspace))]


class EditTool(_Base):
    spec = ToolSpec(name="Edit", description="edit", aliases=("edit_file",))

    def access(self, input, ctx):
        return [Access(kind="write", path=input["file_path"])]


class WriteTool(_Base):
    spec = ToolSpec(name="Write", description="write", aliases=("write_file",))

    def access(self, input, ctx):
        return [Access(kind="write", path=input["file_path"])]


class BashTool(_Base):
    """A shell tool for one simple command: its words are the command split at spaces. The kernel has
    no shell grammar; compound lines, wrappers and read-only commands are judged in claw-tools-shell's
    tests, with the real ``Bash`` tool."""

    spec = ToolSpec(name="Bash", description="run", aliases=("bash",))

    def access(self, input, ctx):
        return [Access(kind="execute", command=input["command"], argv=input["command"].split())]


class FetchTool(_Base):
    spec = ToolSpec(name="WebFetch", description="fetch", read_only=True)

    def access(self, input, ctx):
        return [Access(kind="network", url=input["url"])]


class McpTool(_Base):
    def __init__(self, name: str) -> None:
        self.spec = ToolSpec(name=name, description="mcp")


class TodoTool(_Base):
    spec = ToolSpec(name="TodoWrite", description="todos", read_only=True)


class AgentTool(_Base):
    spec = ToolSpec(name="Agent", description="sub-agent")


TOOLS = {
    t.spec.name: t
    for t in (
        ReadTool(),
        GrepTool(),
        EditTool(),
        WriteTool(),
        BashTool(),
        FetchTool(),
        TodoTool(),
        AgentTool(),
    )
}
