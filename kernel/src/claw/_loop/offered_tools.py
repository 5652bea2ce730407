"""The tools a session offers the model, rebuilt when a plugin adds session tools, and running one
for the user (``SessionContext.call_tool``) under the permission engine."""

from __future__ import annotations

from typing import Any

from claw._errors import ClawError
from claw._loop.reporting import Reporting
from claw._plugins import disabled_builtin, unique
from claw._tools import Tool, ToolError, ToolResult


class OfferedTools(Reporting):
    """The tool table of one session's loop."""

    def _build_tools(self) -> None:
        """Assemble the tools offered to the model (registered ones, then the session's), hidden
        ones left out; remembers which session tools it saw so :meth:`_refresh_tools` is cheap."""
        wanted = self.opts.tools
        chosen = [r.obj for r in unique(self.app.tools) if wanted is None or r.obj.name in wanted]
        chosen += self._ctx.session_tools
        self._tools_version = self._ctx.tools_version
        self._tool_list = [t for t in chosen if self.permissions.visible(t.name)]
        table: dict[str, Tool] = {}
        for tool in self._tool_list:
            for name in (tool.name, *tool.spec.aliases):
                table.setdefault(name, tool)
        self.tools = table
        self._ctx.available_tools = [t.spec for t in self._tool_list]

    def _refresh_tools(self) -> None:
        """Offer tools a plugin added during the session (an MCP server authorised through
        ``McpAuth``) from the next model request on."""
        if self._ctx.tools_version == self._tools_version:
            return
        self._build_tools()

    def _find_tool(self, name: str) -> Tool | None:
        """A registered or session tool by name or alias, hidden or not offered to the model included."""
        candidates = [*(r.obj for r in unique(self.app.tools)), *self._ctx.session_tools]
        return self.tools.get(name) or next(
            (t for t in candidates if name in (t.name, *t.spec.aliases)), None
        )

    def _check_prompt_tool(self) -> None:
        """``--permission-prompt-tool`` must name a tool once the MCP servers are up (Claude Code
        stops with the same complaint), and the ``prompt_tool`` built-in must have made it the approver."""
        name = self.opts.permission_prompt_tool
        if name and self.permissions.approver is None:
            raise ClawError(f"--permission-prompt-tool comes with {disabled_builtin('prompt_tool')}")
        if not name or self._find_tool(name) is not None:
            return
        mcp = sorted(t.name for t in self._ctx.session_tools if t.name.startswith("mcp__"))
        raise ClawError(
            f"MCP tool {name} (passed via --permission-prompt-tool) not found. "
            f"Available MCP tools: {', '.join(mcp) or 'none'}"
        )

    async def _call_tool_for_user(self, name: str, tool_input: Any) -> ToolResult:
        """:meth:`claw.SessionContext.call_tool`: a registered or session tool, hidden or not offered
        to the model included, run after the permission engine allows it."""
        tool = self._find_tool(name)
        if tool is None:
            raise ToolError(f"there is no {name} tool")
        from claw._loop.tool_input import validation_error

        invalid = validation_error(tool, tool_input)
        if invalid is not None:
            raise ToolError(invalid)
        verdict = await self.permissions.check(tool, tool_input, self.tool_ctx)
        if verdict.decision != "allow":
            raise ToolError(f"permission denied: {verdict.reason or verdict.source}")
        try:
            return await tool.run(dict(tool_input), self.tool_ctx)
        except ToolError:
            raise
        except Exception as exc:
            raise ToolError(f"{name} failed: {type(exc).__name__}: {exc}") from exc
