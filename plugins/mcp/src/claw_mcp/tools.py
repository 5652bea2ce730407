"""What the model sees of MCP servers: one tool per server tool, the resource tools, ``McpAuth``,
and prompts as slash commands.

Names follow Claude Code: ``mcp__<server>__<tool>`` (characters outside ``[A-Za-z0-9_-]`` become
``_``), so permission rules such as ``mcp__github`` or ``mcp__github__create_issue`` carry over.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shlex
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import claw
from claw import require, state_dir

from claw_mcp.config import env_number
from claw_mcp.manager import CallInterrupted, McpManager, ServerUnavailable, is_connection_error

DIST = "claw-mcp"
#: The model API's limit on tool names.
MAX_NAME = 64


def tool_name(server: str, tool: str) -> str:
    name = f"mcp__{server}__{tool}"
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)[:MAX_NAME]


def _error_text(exc: Exception) -> str:
    mcp = require("mcp", dist=DIST)
    if isinstance(exc, ServerUnavailable | CallInterrupted):
        return str(exc)
    if isinstance(exc, mcp.MCPError):
        error: Any = exc  # the SDK is imported lazily, so its class is not known statically
        prefix = f"MCP error {error.code}:"
        # Servers on the TypeScript SDK already put that prefix in the message: say it once.
        message = str(error.message).removeprefix(prefix).strip()
        return f"{prefix} {message}"
    if is_connection_error(exc):
        return f"connection to the MCP server failed: {type(exc).__name__}: {exc}"
    raise exc


def convert_content(items: list[Any]) -> list[claw.TextBlock | claw.ImageBlock]:
    """MCP content blocks -> claw's (Anthropic-shaped) text and image blocks."""
    out: list[claw.TextBlock | claw.ImageBlock] = []
    for item in items:
        kind = getattr(item, "type", "")
        if kind == "text":
            out.append(claw.TextBlock(text=item.text))
        elif kind == "image":
            out.append(claw.ImageBlock(source=claw.ImageSource(media_type=item.mime_type, data=item.data)))
        elif kind == "audio":
            out.append(claw.TextBlock(text=f"[audio content: {item.mime_type}, not shown]"))
        elif kind == "resource":
            res = item.resource
            text = getattr(res, "text", None)
            out.append(
                claw.TextBlock(
                    text=text if text is not None else f"[binary resource {res.uri}: {res.mime_type}]"
                )
            )
        elif kind == "resource_link":
            out.append(claw.TextBlock(text=f"[resource {item.name}: {item.uri}]"))
    return out


class McpTool(claw.Tool):
    """One tool of one server. ``read_only`` comes from the tool's ``readOnlyHint`` annotation;
    :meth:`access` is the default (nothing besides the tool itself), so permission rules on the
    tool's name decide."""

    def __init__(self, manager: McpManager, server: str, tool: Any) -> None:
        annotations = tool.annotations
        description = tool.description or tool.title or ""
        self.spec = claw.ToolSpec(
            name=tool_name(server, tool.name),
            description=description,
            input_schema=tool.input_schema or {"type": "object", "properties": {}},
            read_only=bool(annotations is not None and annotations.read_only_hint),
        )
        self.manager = manager
        self.server = server
        self.tool = tool.name
        #: Whether calling twice is harmless, so a call cut off by a dropped connection may be resent.
        self.replayable = bool(
            annotations is not None and (annotations.read_only_hint or annotations.idempotent_hint)
        )

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        timeout = _tool_timeout(ctx.env)
        try:
            result = await self.manager.request(
                self.server,
                lambda s: s.call_tool(self.tool, input, read_timeout_seconds=timeout),
                replayable=self.replayable,
            )
        except Exception as exc:
            if (
                timeout is not None
                and getattr(exc, "code", None) == require("mcp_types", dist=DIST).REQUEST_TIMEOUT
            ):
                return claw.ToolResult.error(
                    f'MCP server "{self.server}" did not answer {self.tool} within {timeout * 1000:.0f} ms '
                    "(MCP_TOOL_TIMEOUT)"
                )
            return claw.ToolResult.error(_error_text(exc))
        blocks: list[claw.TextBlock | claw.ImageBlock] = convert_content(result.content)
        if not blocks and result.structured_content is not None:
            blocks = [claw.TextBlock(text=json.dumps(result.structured_content))]
        blocks = truncate(blocks, _max_output_tokens(ctx.env))
        content: str | list[claw.TextBlock | claw.ImageBlock]
        if all(isinstance(b, claw.TextBlock) for b in blocks):
            content = "\n".join(b.text for b in blocks)  # type: ignore[union-attr]
        else:
            content = blocks
        data: dict[str, Any] = {
            "content": [c.model_dump(mode="json", exclude_none=True) for c in result.content]
        }
        if result.structured_content is not None:
            data["structuredContent"] = result.structured_content
        return claw.ToolResult(content=content, is_error=bool(result.is_error), data=data)


#: Claude Code's default limit on one MCP tool result, in (estimated) tokens.
DEFAULT_MAX_OUTPUT_TOKENS = 25000
#: A rough characters-per-token ratio, enough to keep a runaway result out of the context.
CHARS_PER_TOKEN = 4


def _max_output_tokens(env: Mapping[str, str]) -> int:
    """``MAX_MCP_OUTPUT_TOKENS``, as Claude Code (default 25000)."""
    return max(1, env_number(env, "MAX_MCP_OUTPUT_TOKENS", DEFAULT_MAX_OUTPUT_TOKENS))


def truncate(
    blocks: list[claw.TextBlock | claw.ImageBlock], max_tokens: int
) -> list[claw.TextBlock | claw.ImageBlock]:
    """Cut the text of a result that would cost more than ``max_tokens``, saying so at the end."""
    budget = max_tokens * CHARS_PER_TOKEN
    total = sum(len(b.text) for b in blocks if isinstance(b, claw.TextBlock))
    if total <= budget:
        return blocks
    out: list[claw.TextBlock | claw.ImageBlock] = []
    for block in blocks:
        if isinstance(block, claw.TextBlock):
            if budget <= 0:
                continue
            block = claw.TextBlock(text=block.text[:budget])
            budget -= len(block.text)
        out.append(block)
    note = (
        f"\n[MCP tool output truncated: about {total // CHARS_PER_TOKEN} tokens, more than "
        f"MAX_MCP_OUTPUT_TOKENS={max_tokens}]"
    )
    out.append(claw.TextBlock(text=note))
    return out


def _tool_timeout(env: Mapping[str, str]) -> float | None:
    """``MCP_TOOL_TIMEOUT`` (milliseconds), as Claude Code; unset means no limit."""
    value = env_number(env, "MCP_TOOL_TIMEOUT", 0)
    return value / 1000 if value > 0 else None


class ListMcpResources(claw.Tool):
    """Claude Code's ``ListMcpResourcesTool``: resources of every (or one) connected server."""

    spec = claw.ToolSpec(
        name="ListMcpResources",
        aliases=("ListMcpResourcesTool",),
        description=(
            "Lists resources (files, records, documents) the connected MCP servers offer. "
            "Each has a server and a uri to pass to ReadMcpResource."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "server": {"type": "string", "description": "Optional server name to filter resources by"}
            },
            "additionalProperties": False,
        },
        read_only=True,
    )

    def __init__(self, manager: McpManager) -> None:
        self.manager = manager

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        wanted = input.get("server")
        servers = [s for s in self.manager.servers.values() if s.resources or s.name == wanted]
        if wanted is not None:
            if wanted not in self.manager.servers:
                known = ", ".join(sorted(self.manager.servers)) or "none"
                return claw.ToolResult.error(f'Server "{wanted}" not found. Available servers: {known}')
            servers = [self.manager.servers[wanted]]
        listed: list[dict[str, Any]] = []
        errors: list[str] = []
        for server in servers:
            try:
                result = await self.manager.request(server.name, lambda s: s.list_resources())
            except Exception as exc:
                errors.append(f"{server.name}: {_error_text(exc)}")
                continue
            for r in result.resources:
                item = {
                    "uri": str(r.uri),
                    "name": r.name,
                    "mimeType": r.mime_type,
                    "description": r.description,
                }
                listed.append({k: v for k, v in item.items() if v is not None} | {"server": server.name})
        if errors and not listed:
            return claw.ToolResult.error("; ".join(errors))
        text = json.dumps(listed, indent=2)
        if not listed:
            text = "No resources found. MCP servers may still provide tools even if they have no resources."
        return claw.ToolResult(content=text, data={"resources": listed, "errors": errors})


class ReadMcpResource(claw.Tool):
    """Claude Code's ``ReadMcpResourceTool``: one resource by server and URI. Binary contents are
    saved under the state directory and their path returned."""

    spec = claw.ToolSpec(
        name="ReadMcpResource",
        aliases=("ReadMcpResourceTool",),
        description="Reads a resource from an MCP server by its URI (see ListMcpResources).",
        input_schema={
            "type": "object",
            "properties": {
                "server": {"type": "string", "description": "The MCP server name"},
                "uri": {"type": "string", "description": "The resource URI to read"},
            },
            "required": ["server", "uri"],
            "additionalProperties": False,
        },
        read_only=True,
    )

    def __init__(self, manager: McpManager) -> None:
        self.manager = manager

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        server, uri = input.get("server"), input.get("uri")
        if not isinstance(server, str) or not isinstance(uri, str):
            return claw.ToolResult.error('"server" and "uri" are required strings')
        if server not in self.manager.servers:
            known = ", ".join(sorted(self.manager.servers)) or "none"
            return claw.ToolResult.error(f'Server "{server}" not found. Available servers: {known}')
        try:
            result = await self.manager.request(server, lambda s: s.read_resource(uri))
        except Exception as exc:
            return claw.ToolResult.error(_error_text(exc))
        contents: list[dict[str, Any]] = []
        for c in result.contents:
            item: dict[str, Any] = {"uri": str(c.uri), "mimeType": c.mime_type}
            text = getattr(c, "text", None)
            if text is not None:
                item["text"] = text
            else:
                item["blobSavedTo"] = str(_save_blob(str(c.uri), c.mime_type, c.blob, ctx.env))
            contents.append({k: v for k, v in item.items() if v is not None})
        return claw.ToolResult(
            content=json.dumps({"contents": contents}, indent=2), data={"contents": contents}
        )


def _save_blob(uri: str, mime: str | None, blob: str, env: Mapping[str, str]) -> Path:
    import mimetypes  # reads the system's MIME tables (4 ms): only when a resource is saved

    data = base64.b64decode(blob)
    ext = (mimetypes.guess_extension(mime) if mime else None) or ".bin"
    path = state_dir(env) / "mcp-resources" / f"{hashlib.sha256(uri.encode()).hexdigest()[:16]}{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


class McpAuth(claw.Tool):
    """Authorizes a server that reported ``needs-auth``: the browser flow in an interactive session,
    otherwise an error telling the user to run ``claw mcp login <server>``."""

    spec = claw.ToolSpec(
        name="McpAuth",
        description=(
            "Starts OAuth authorization for an MCP server whose status is needs-auth; "
            "the user completes it in their browser. Afterwards the server's tools become usable."
        ),
        input_schema={
            "type": "object",
            "properties": {"server": {"type": "string", "description": "The MCP server name"}},
            "required": ["server"],
            "additionalProperties": False,
        },
    )

    def __init__(
        self, manager: McpManager, login: Callable[[str], Awaitable[str]], interactive: bool
    ) -> None:
        self.manager = manager
        self.login = login
        self.interactive = interactive

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        from claw_mcp.oauth import ReauthRequired

        name = input.get("server")
        if name not in self.manager.servers:
            known = ", ".join(sorted(self.manager.servers)) or "none"
            return claw.ToolResult.error(f'Server "{name}" not found. Available servers: {known}')
        server = self.manager.servers[name]
        if not server.config.oauth_capable:
            return claw.ToolResult.error(
                f'MCP server "{name}" is a {server.config.type} server; OAuth applies to http and sse'
            )
        if not self.interactive:
            return claw.ToolResult.error(str(ReauthRequired(name)))
        try:
            message = await self.login(name)
        except claw.ClawError as exc:
            return claw.ToolResult.error(f'authorization of "{name}" failed: {exc}')
        await self.manager.reconnect(name)
        if ctx.session is not None:
            offer(ctx.session, self.manager, name)  # the agent loop offers them from the next request
        return claw.ToolResult(content=f"{message}; status now: {server.status}", data=server.detail())


def prompt_commands(manager: McpManager, server: str, prompts: list[Any]) -> list[claw.SlashCommand]:
    """``/mcp__<server>__<prompt> args``: arguments fill the prompt's arguments in order
    (shell-style quoting groups words)."""
    commands = []
    for prompt in prompts:
        names = [a.name for a in prompt.arguments or []]

        async def expand(args: str, prompt_name: str = prompt.name, names: list[str] = names) -> str:
            try:
                words = shlex.split(args)
            except ValueError:
                words = args.split()
            if len(words) > len(names) and names:
                words = [*words[: len(names) - 1], " ".join(words[len(names) - 1 :])]
            arguments = dict(zip(names, words, strict=False))
            try:
                result = await manager.request(server, lambda s: s.get_prompt(prompt_name, arguments))
            except Exception as exc:  # the server's refusal, in the words the model's tool calls get
                raise claw.ClawError(f"/{tool_name(server, prompt_name)} failed: {_error_text(exc)}") from exc
            parts = []
            for message in result.messages:
                parts.extend(
                    b.text for b in convert_content([message.content]) if isinstance(b, claw.TextBlock)
                )
            return "\n\n".join(parts)

        commands.append(
            claw.SlashCommand(
                name=tool_name(server, prompt.name),
                description=prompt.description or prompt.title or f"MCP prompt from {server}",
                expand=expand,
                argument_hint=" ".join(f"<{n}>" for n in names),
                source=f"mcp:{server}",
            )
        )
    return commands


#: What the session was given of each server (:func:`offer`): its tools and prompt commands.
_OFFERED: claw.StashKey[dict[str, tuple[list[McpTool], list[claw.SlashCommand]]]] = claw.StashKey()
#: Whether the session has the resource tools.
_RESOURCE_TOOLS: claw.StashKey[bool] = claw.StashKey()


def offer(session: claw.SessionContext, manager: McpManager, *servers: str) -> None:
    """Give the session the tools and prompts of the connected ``servers`` it lacks, in the order
    given, then the resource tools if one of them has resources and they were not given yet: at
    start (every server, in configuration order, so the tool list is stable from run to run) and
    after ``McpAuth`` connected one mid-session."""
    offered = session.stash.setdefault(_OFFERED, {})
    resources = False
    for name in servers:
        server = manager.servers[name]
        if server.status != "connected" or name in offered:
            continue
        offered[name] = _add(session, manager, name)
        resources = resources or bool(server.resources)
    if resources and not session.stash.get(_RESOURCE_TOOLS):
        session.stash[_RESOURCE_TOOLS] = True
        session.add_tool(ListMcpResources(manager))
        session.add_tool(ReadMcpResource(manager))


def refresh(session: claw.SessionContext, manager: McpManager, name: str) -> None:
    """Swap the tools and prompts the session has of server ``name`` for its current lists (it sent
    ``list_changed``, or came back with different ones); the agent loop offers the new tool list
    from its next model request. A server the session was not given yet is left to :func:`offer`."""
    offered = session.stash.get(_OFFERED) or {}
    if name not in offered:
        return
    withdraw(session, name)
    offered[name] = _add(session, manager, name)


def withdraw(session: claw.SessionContext, name: str) -> None:
    """Stop offering server ``name``'s tools and prompt commands (it was switched off, or its lists
    are being swapped); :func:`offer` gives them again."""
    tools, commands = (session.stash.get(_OFFERED) or {}).pop(name, ([], []))
    for tool in tools:
        session.remove_tool(tool)
    for command in commands:
        session.remove_command(command)


def _add(
    session: claw.SessionContext, manager: McpManager, name: str
) -> tuple[list[McpTool], list[claw.SlashCommand]]:
    server = manager.servers[name]
    tools = [McpTool(manager, name, tool) for tool in server.tools]
    commands = prompt_commands(manager, name, server.prompts)
    for tool in tools:
        session.add_tool(tool)
    for command in commands:
        session.add_command(command)
    return tools, commands
