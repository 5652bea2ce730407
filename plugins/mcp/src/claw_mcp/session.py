"""What ``claw_session_start`` / ``claw_session_end`` do: read the configuration, start the servers,
offer their tools, resources and prompts, report statuses, and shut everything down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import claw
from claw import error, warn

from claw_mcp import config as mcp_config

if TYPE_CHECKING:  # the manager (and the session's server machinery) is imported only with servers
    from claw_mcp.manager import McpManager, Server

#: The session's manager, for tools and the end hook.
MANAGER: claw.StashKey[McpManager] = claw.StashKey()


def builtin_transports() -> dict[str, type[claw.Transport]]:
    from claw_mcp.transports import BUILTIN_TRANSPORTS

    return {name: cls for cls in BUILTIN_TRANSPORTS for name in (cls.name, *cls.aliases)}


def transports_of(session: claw.SessionContext) -> Mapping[str, type[claw.Transport]]:
    """The app's transport registry; claw-mcp's own when the host passed none (embedders, tests)."""
    return session.transports or builtin_transports()


def resolve_for(session: claw.SessionContext) -> mcp_config.Resolved:
    extra = session.extra or {}
    # Safe mode (``--safe-mode``) starts no server at all, not even --mcp-config's (Claude Code's).
    cli = [] if claw.safe_mode(session.env) else extra.get("mcp_config") or []
    if isinstance(cli, str):
        cli = [cli]
    return mcp_config.resolve(
        session.workspace,
        session.env,
        session.settings,
        cli_configs=list(cli),
        # Bare mode (``--bare``) starts only what a flag names, as --strict-mcp-config does.
        strict=bool(extra.get("strict_mcp_config")) or claw.bare(session.env) or claw.safe_mode(session.env),
        trusted=session.trusted,
        ask_approval=session.interactive,
    )


async def start(session: claw.SessionContext) -> None:
    resolved = resolve_for(session)
    for name in resolved.unapproved:
        warn(
            f'MCP server "{name}" from .mcp.json is not approved; not started '
            f"(claw mcp approve {name}, or claw mcp reject {name})"
        )
    for line in resolved.source_errors:
        error(line)
    for bad in resolved.errors:
        error(str(bad))
        session.set_status(bad.name, "failed", error=bad.reason, source=bad.source)
    if not resolved.servers:
        return
    from claw_mcp.manager import McpManager
    from claw_mcp.tools import McpAuth, offer, refresh  # pydantic tool specs: only with servers

    transports = transports_of(session)
    manager = McpManager(
        resolved.servers,
        transports=transports,
        workspace=session.workspace,
        env=session.env,
        timeout=startup_wait(session),
        confine=lambda argv: claw.confine(  # a server with "sandbox": true runs under the session's
            session.sandbox, session.settings.get("sandbox"), argv, session.workspace, session.env
        ),
    )
    session.stash[MANAGER] = manager
    for name in resolved.servers:
        session.set_status(name, "pending")

    def settled(server: Server) -> None:
        detail = server.detail()
        session.set_status(detail.pop("name"), detail.pop("status"), **detail)
        if server.status == "needs-auth":
            warn(manager.unavailable_message(server))
        elif server.status == "failed":
            warn(f'MCP server "{server.name}" failed to start: {server.error}')

    manager.on_lists_changed = lambda server: refresh(session, manager, server.name)
    await manager.start(settled)
    # Tools are offered in configuration order, whatever order servers connected in, so the tool
    # list (and the model's prompt cache) is the same from run to run.
    offer(session, manager, *manager.servers)
    if any(s.status == "needs-auth" for s in manager.servers.values()):
        session.add_tool(McpAuth(manager, _login_for(session, manager), session.interactive))


#: The least wait to ask for: the host waits as long for session end, where a stdio server that ignores
#: its closed stdin takes the MCP SDK's grace period (2 s) and a kill to stop.
_LEAST_WAIT = 5.0


def ask_start_timeout(session: claw.SessionContext) -> None:
    """With ``MCP_TIMEOUT`` set, ask the host to wait ``MCP_TIMEOUT`` + 1 s for session start (the user's
    ``sessionStartTimeout`` still wins), so this plugin's message naming the slow server is the one
    shown, not the host's generic one; never less than :data:`_LEAST_WAIT`, so a short ``MCP_TIMEOUT``
    does not cut the servers' shutdown short at session end."""
    if "MCP_TIMEOUT" in session.env:
        from claw_mcp.manager import startup_timeout

        session.request_start_timeout(max(startup_timeout(session.env) + 1, _LEAST_WAIT))


def startup_wait(session: claw.SessionContext) -> float:
    """``MCP_TIMEOUT``, but ending before the host stops waiting for session-start hooks
    (``SessionContext.start_timeout``: ``MCP_TIMEOUT`` + 1 s, see :func:`ask_start_timeout`) so the
    servers that did start are offered."""
    from claw_mcp.manager import startup_timeout

    return min(startup_timeout(session.env), max(0.5, session.start_timeout - 0.5))


def report(session: claw.SessionContext, manager: McpManager) -> None:
    """Copy each server's status into the session (``system/init``'s ``mcp_servers``)."""
    for detail in manager.statuses():
        info: dict[str, Any] = dict(detail)
        name, status = info.pop("name"), info.pop("status")
        session.set_status(name, status, **info)


def _login_for(session: claw.SessionContext, manager: McpManager) -> Any:
    async def login(name: str) -> str:
        from claw_mcp.login import login as run_login

        return await run_login(manager.servers[name].config, session.env, transports_of(session))

    return login


async def end(session: claw.SessionContext) -> None:
    manager = session.stash.get(MANAGER)
    if manager is not None:
        await manager.stop()
        report(session, manager)
