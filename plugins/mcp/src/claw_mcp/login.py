"""The browser OAuth flow for one server (``claw mcp login``, the ``McpAuth`` tool) and one-shot
health checks (``claw mcp list`` / ``get``, ``claw doctor``)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import claw
from claw import ClawError

from claw_mcp.config import ServerConfig
from claw_mcp.manager import McpManager
from claw_mcp.oauth import LOGIN_TIMEOUT, CallbackServer, TokenFile, make_provider, open_in_browser

#: Opens the authorization URL: the browser by default; tests follow it with an HTTP client.
UrlOpener = Callable[[str], Awaitable[None] | None]


async def announce_and_open(url: str) -> None:
    """Print the authorization URL, then try the browser (in a thread: ``webbrowser`` may block)."""
    sys.stderr.write(f"claw: opening your browser to authorize; if it does not open, visit:\n  {url}\n")
    sys.stderr.flush()
    with contextlib.suppress(ClawError):  # the URL is printed above; the callback server keeps waiting
        await asyncio.to_thread(open_in_browser, url)


async def login(
    server: ServerConfig,
    env: Mapping[str, str],
    transports: Mapping[str, type[claw.Transport]],
    open_url: UrlOpener | None = None,
) -> str:
    """Run authorization code + PKCE for ``server`` and store the tokens; return a summary line.

    Stored tokens are dropped first, so this always asks the authorization server anew.

    :param open_url: shows the user the authorization URL; default :func:`announce_and_open`.
    """
    opener = open_url or announce_and_open
    if not server.oauth_capable:
        raise ClawError(
            f'MCP server "{server.name}" is a {server.type} server; OAuth applies to http and sse servers'
        )
    store = TokenFile(server.name, server.data["url"], env)
    store.update(tokens=None, expires_at=None)
    configured = (server.data.get("oauth") or {}).get("callbackPort")
    port = configured or store.load().get("callback_port") or 0
    async with contextlib.AsyncExitStack() as stack:
        try:
            callback = await stack.enter_async_context(CallbackServer(port))
        except OSError:
            if configured:
                raise ClawError(f"cannot listen on the configured callback port {configured}") from None
            callback = await stack.enter_async_context(CallbackServer(0))
        if callback.port != store.load().get("callback_port"):
            # A client registered for another redirect URI cannot use this one: register again.
            store.update(callback_port=callback.port, client_info=None)
        asked = False

        async def redirect(url: str) -> None:
            nonlocal asked
            asked = True
            result = opener(url)
            if inspect.isawaitable(result):
                await result

        provider = make_provider(
            server.data,
            store,
            redirect_handler=redirect,
            callback_handler=callback.result,
            redirect=callback.redirect_uri,
        )
        # The person at the browser gets as long as the callback server waits, not MCP_TIMEOUT.
        manager = McpManager(
            {server.name: server}, transports=transports, workspace=Path.cwd(), env=env, timeout=LOGIN_TIMEOUT
        )
        manager.servers[server.name].auth = provider
        await manager.start()
        await manager.stop()
    state = manager.servers[server.name]
    if state.status != "connected":
        raise ClawError(state.error or state.status)
    if not asked:
        return f'MCP server "{server.name}" did not ask for authorization; connected'
    return f'Authorized MCP server "{server.name}"; tokens saved to {store.path}'


async def check(
    servers: Mapping[str, ServerConfig],
    env: Mapping[str, str],
    transports: Mapping[str, type[claw.Transport]],
    workspace: Path,
    timeout: float | None = None,
) -> list[dict[str, Any]]:
    """Connect to every server in parallel, once, and report each one's status."""
    manager = McpManager(servers, transports=transports, workspace=workspace, env=env, timeout=timeout)
    try:
        await manager.start()
        statuses = manager.statuses()
        for status in statuses:
            status["tools"] = len(manager.servers[status["name"]].tools)
        return statuses
    finally:
        await manager.stop()


def run_sync(coro: Awaitable[Any]) -> Any:
    """Run a coroutine from synchronous code (click commands, ``claw doctor``)."""
    return asyncio.run(coro)  # type: ignore[arg-type]
