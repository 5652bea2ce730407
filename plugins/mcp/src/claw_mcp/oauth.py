"""OAuth for remote MCP servers: the SDK's authorization-code + PKCE provider with claw's token storage.

The SDK's ``OAuthClientProvider`` (an ``httpx2.Auth``) does discovery (RFC 9728, RFC 8414), dynamic
client registration, PKCE and refresh. claw adds:

- :class:`TokenFile`: one JSON file per server under ``<state dir>/mcp-auth/``, written atomically
  with mode 0600, holding the tokens, their absolute expiry, the registered client and the loopback
  port its redirect URI uses;
- refresh before expiry: a stored token counts as expired :data:`REFRESH_MARGIN` seconds early, so
  the provider refreshes it before the server would reject it;
- :class:`CallbackServer`: the loopback ``http://127.0.0.1:<port>/callback`` the browser returns to;
- :class:`ReauthRequired`: what a run that cannot open a browser (``-p``, no display) raises instead
  of starting the browser flow: ``run `claw mcp login <server>```.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from claw import ClawError, atomic_write, require, state_dir

DIST = "claw-mcp"
#: Seconds before its expiry at which a stored access token is refreshed.
REFRESH_MARGIN = 60
#: How long the browser flow waits for the user.
LOGIN_TIMEOUT = 300.0
CLIENT_NAME = "claw"


class ReauthRequired(ClawError):
    """A server needs (re-)authorization and this run cannot open a browser."""

    def __init__(self, server: str) -> None:
        super().__init__(f'MCP server "{server}" needs authentication: run `claw mcp login {server}`')
        self.server = server


def auth_dir(env: Mapping[str, str] | None = None) -> Path:
    return state_dir(env) / "mcp-auth"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; the file is created 0600 and never exists with other modes."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, text, mode=0o600)


class TokenFile:
    """The SDK's ``TokenStorage`` protocol, backed by ``<state dir>/mcp-auth/<server>.json``.

    Data stored for another URL is ignored, so a server re-pointed elsewhere never receives the old
    server's tokens.
    """

    def __init__(self, server: str, server_url: str, env: Mapping[str, str] | None = None) -> None:
        self.server = server
        self.server_url = server_url
        self.path = auth_dir(env) / f"{server}.json"

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("server_url") != self.server_url:
            return {}
        return data

    def _save(self, data: dict[str, Any]) -> None:
        data["server_url"] = self.server_url
        _write_private(self.path, json.dumps(data, indent=2) + "\n")

    def update(self, **values: Any) -> None:
        data = self.load()
        for key, value in values.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        self._save(data)

    def clear(self) -> bool:
        """Forget everything stored for this server (``claw mcp logout``); ``True`` if something was."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True

    # -- the SDK's TokenStorage protocol ------------------------------------------------------

    async def get_tokens(self) -> Any:
        auth = require("mcp.shared.auth", dist=DIST)
        data = self.load()
        if "tokens" not in data:
            return None
        tokens = auth.OAuthToken.model_validate(data["tokens"])
        expires_at = data.get("expires_at")
        if expires_at is not None:
            # The provider computes expiry from expires_in at load time: hand it what is left,
            # less the margin, so a token about to expire is refreshed before it is used.
            tokens.expires_in = max(0, int(expires_at - time.time()) - REFRESH_MARGIN)
        return tokens

    async def set_tokens(self, tokens: Any) -> None:
        expires_at = time.time() + tokens.expires_in if tokens.expires_in is not None else None
        self.update(tokens=tokens.model_dump(mode="json", exclude_none=True), expires_at=expires_at)

    async def get_client_info(self) -> Any:
        auth = require("mcp.shared.auth", dist=DIST)
        data = self.load().get("client_info")
        return auth.OAuthClientInformationFull.model_validate(data) if data else None

    async def set_client_info(self, client_info: Any) -> None:
        self.update(client_info=client_info.model_dump(mode="json", exclude_none=True))

    # -- claw's own fields -------------------------------------------------------------------

    def status(self) -> str:
        """``none``, ``valid``, ``expired`` (refreshable or not): for ``claw mcp list`` and doctor."""
        data = self.load()
        if "tokens" not in data:
            return "none"
        expires_at = data.get("expires_at")
        if expires_at is None or expires_at > time.time():
            return "valid"
        return "expired (will refresh)" if data["tokens"].get("refresh_token") else "expired"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redirect_uri(store: TokenFile, config: Mapping[str, Any]) -> str:
    """The loopback redirect URI for this server: ``oauth.callbackPort`` if configured, else a port
    chosen once and remembered, so the registered client stays valid across logins."""
    port = (config.get("oauth") or {}).get("callbackPort") or store.load().get("callback_port")
    if not port:
        port = _free_port()
        store.update(callback_port=port)
    return f"http://127.0.0.1:{port}/callback"


def make_provider(
    config: Mapping[str, Any],
    store: TokenFile,
    *,
    redirect_handler: Callable[[str], Awaitable[None]],
    callback_handler: Callable[[], Awaitable[Any]],
    redirect: str | None = None,
) -> Any:
    """An ``OAuthClientProvider`` for one server, with :class:`TokenFile` storage."""
    oauth2 = require("mcp.client.auth", dist=DIST)
    auth = require("mcp.shared.auth", dist=DIST)

    class Provider(oauth2.OAuthClientProvider):  # type: ignore[misc, name-defined]
        async def _initialize(self) -> None:
            await super()._initialize()
            # The SDK does not compute expiry for stored tokens; without this a stored token
            # would count as valid forever and never be refreshed ahead of time.
            if self.context.current_tokens is not None:
                self.context.update_token_expiry(self.context.current_tokens)

    options = config.get("oauth") or {}
    metadata = auth.OAuthClientMetadata(
        client_name=CLIENT_NAME,
        redirect_uris=[redirect or redirect_uri(store, config)],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        token_endpoint_auth_method="none",
        scope=options.get("scope") or None,
    )
    return Provider(
        server_url=config["url"],
        client_metadata=metadata,
        storage=store,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
    )


def headless_provider(
    server: str, config: Mapping[str, Any], store: TokenFile, needs_auth: Callable[[], None]
) -> Any:
    """A provider that uses and refreshes stored tokens but never starts the browser flow: when the
    server asks for authorization it calls ``needs_auth`` and raises :class:`ReauthRequired`."""

    async def refuse(_url: str) -> None:
        needs_auth()
        raise ReauthRequired(server)

    async def no_callback() -> Any:
        raise ReauthRequired(server)

    return make_provider(config, store, redirect_handler=refuse, callback_handler=no_callback)


class CallbackServer:
    """The loopback HTTP server the authorization server redirects the browser to.

    ``async with CallbackServer(port) as cb:`` then ``await cb.result()`` returns the SDK's
    ``AuthorizationCodeResult`` from ``/callback?code=...&state=...``.
    """

    def __init__(self, port: int = 0, timeout: float = LOGIN_TIMEOUT) -> None:
        self.port = port
        self.timeout = timeout
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[dict[str, str]] | None = None

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}/callback"

    async def __aenter__(self) -> CallbackServer:
        self._result = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readline()
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            parts = request.decode("latin-1").split()
            target = urlparse(parts[1] if len(parts) > 1 else "/")
            if target.path != "/callback":
                body, status = "Not found", "404 Not Found"
            else:
                query = {k: v[0] for k, v in parse_qs(target.query).items()}
                if "error" in query:
                    body = f"Authorization failed: {query['error']}. You can close this window."
                else:
                    body = "Authorization complete. You can close this window and return to claw."
                status = "200 OK"
                if self._result is not None and not self._result.done():
                    self._result.set_result(query)
            payload = body.encode()
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
        finally:
            writer.close()

    async def result(self) -> Any:
        """Wait for the redirect; raise :class:`ClawError` on an error redirect or a timeout."""
        auth = require("mcp.shared.auth", dist=DIST)
        assert self._result is not None
        try:
            query = await asyncio.wait_for(asyncio.shield(self._result), self.timeout)
        except TimeoutError:
            raise ClawError(f"no authorization received within {self.timeout:.0f} s") from None
        if "error" in query:
            detail = query.get("error_description") or query["error"]
            raise ClawError(f"the authorization server refused: {detail}")
        if not query.get("code"):
            raise ClawError("the authorization server redirected without a code")
        return auth.AuthorizationCodeResult(
            code=query["code"], state=query.get("state"), iss=query.get("iss")
        )


def open_in_browser(url: str) -> None:
    """Open ``url`` in the user's browser, or raise when none can be opened (headless)."""
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        raise ClawError(f"cannot open a browser here; open this URL yourself: {url}")
