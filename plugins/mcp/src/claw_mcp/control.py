"""The Claude Agent SDK's MCP control requests (``claw_control_request``): ``mcp_reconnect`` and
``mcp_toggle``, in Claude Code's shapes (``{"serverName": ..., "enabled": ...}``, answered with an
empty object, or an error saying why)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import claw

from claw_mcp.manager import McpManager
from claw_mcp.session import MANAGER, report
from claw_mcp.tools import offer, withdraw


def answer(subtype: str, request: dict[str, Any], session: claw.SessionContext) -> str | Awaitable[Any]:
    """The response (awaitable) or the error message for one request of :data:`SUBTYPES`."""
    name = request.get("serverName")
    if not isinstance(name, str) or not name:
        return f'{subtype} needs "serverName"'
    manager = session.stash.get(MANAGER)
    if manager is None or name not in manager.servers:
        known = ", ".join(manager.servers) if manager is not None else "none"
        return f'{subtype}: no MCP server named "{name}" (configured: {known})'
    if subtype == "mcp_reconnect":
        return _reconnect(session, manager, name)
    enabled = request.get("enabled")
    if not isinstance(enabled, bool):
        return 'mcp_toggle needs "enabled" (true or false)'
    return _toggle(session, manager, name, enabled)


async def _reconnect(session: claw.SessionContext, manager: McpManager, name: str) -> dict[str, Any] | str:
    if manager.servers[name].disabled:
        return f'MCP server "{name}" is disabled; switch it on with mcp_toggle first'
    await manager.reconnect(name)
    return _outcome(session, manager, name)


async def _toggle(
    session: claw.SessionContext, manager: McpManager, name: str, enabled: bool
) -> dict[str, Any] | str:
    if not enabled:
        withdraw(session, name)  # before the connection closes: the model stops seeing its tools at once
    await manager.set_enabled(name, enabled)
    if not enabled:
        report(session, manager)
        return {}
    return _outcome(session, manager, name)


def _outcome(session: claw.SessionContext, manager: McpManager, name: str) -> dict[str, Any] | str:
    """Offer the server's tools if it came up (it may have failed at start, so the session never had
    them) and report every status; an error message if it did not come up."""
    offer(session, manager, name)
    report(session, manager)
    server = manager.servers[name]
    return {} if server.status == "connected" else manager.unavailable_message(server)
