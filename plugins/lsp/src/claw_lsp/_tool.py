"""The ``LSP`` tool, with Claude Code's input: ``operation``, ``filePath``, ``line``, ``character``
(1-based, as editors show them). claw adds the ``diagnostics`` operation and an optional ``query``
for ``workspaceSymbol`` (Claude Code's takes the symbol under the position, which works here too)."""

from __future__ import annotations

from typing import Any

import claw

from claw_lsp._state import MANAGER

DESCRIPTION = """Ask the project's language servers about code: go to a definition or implementation, find \
references, hover (type and signature), list a file's symbols, search the workspace's symbols, walk the call \
hierarchy, or get a file's diagnostics. Positions are 1-based line and character, as editors show them; \
results are `path:line:col: source line`, paths relative to the workspace. Prefer this to grepping when you \
need where a symbol is defined or used."""

OPERATIONS = [
    "goToDefinition",
    "findReferences",
    "hover",
    "documentSymbol",
    "workspaceSymbol",
    "goToImplementation",
    "prepareCallHierarchy",
    "incomingCalls",
    "outgoingCalls",
    "diagnostics",
]

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "operation": {"type": "string", "enum": OPERATIONS, "description": "The LSP operation to perform"},
        "filePath": {"type": "string", "description": "The absolute or relative path to the file"},
        "line": {
            "type": "integer",
            "minimum": 1,
            "description": "The line number (1-based, as shown in editors)",
        },
        "character": {
            "type": "integer",
            "minimum": 1,
            "description": "The character offset (1-based, as shown in editors)",
        },
        "query": {"type": "string", "description": "workspaceSymbol only: the name to search for"},
    },
    "required": ["operation", "filePath", "line", "character"],
    "additionalProperties": False,
}


class LspTool(claw.Tool):
    """Read-only: it asks servers about files and never applies what they suggest."""

    spec = claw.ToolSpec(name="LSP", description=DESCRIPTION, input_schema=SCHEMA, read_only=True)

    def access(self, input: Any, ctx: claw.ToolContext) -> list[claw.Access]:
        return [claw.Access(kind="read", path=str(input.get("filePath", "")))]

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        from claw_lsp._server import ServerError

        manager = manager_for(ctx)
        path = ctx.resolve(input["filePath"])
        try:
            text = await manager.query(
                input["operation"], path, int(input["line"]), int(input["character"]), input.get("query")
            )
        except ServerError as exc:
            raise claw.ToolError(str(exc)) from None
        return claw.ToolResult(content=text, data={"operation": input["operation"], "filePath": str(path)})


def manager_for(ctx: claw.ToolContext) -> Any:
    """The session's manager, created on the first LSP call."""
    manager = ctx.stash.get(MANAGER)
    if manager is None:
        from claw_lsp._manager import LspManager

        trusted = ctx.session is not None and ctx.session.trusted
        manager = LspManager(ctx.workspace, ctx.settings, ctx.env, trusted=trusted)
        ctx.stash[MANAGER] = manager
    return manager
