"""The transports claw-mcp registers: ``stdio``, ``sse`` and ``http`` from the MCP SDK, and ``ws``.

Each is a :class:`claw.Transport`; the plugin picks one by the server's ``type``, so another plugin
can add a transport by registering a new name. ``connect(config)`` receives the server's expanded
``.mcp.json`` entry plus what the plugin adds:

- stdio: ``command``, ``args``, ``env`` (the full environment to run with), ``cwd``, ``stderr`` (a
  log file path the server's stderr is appended to);
- sse / http: ``url``, ``headers``, ``auth`` (an ``httpx2.Auth``, e.g. the OAuth provider);
- ws: ``url``, ``headers``;
- a :class:`claw.MessageTransport` (the Agent SDK's in-process ``sdk`` servers): ``server``, the
  configured name; :func:`open_streams` turns its one-message-at-a-time ``exchange`` into streams.

The SDK no longer ships a WebSocket client, so ``ws`` is written here on the ``websockets``
library, speaking MCP's ``mcp`` subprotocol with one JSON-RPC message per text frame.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import claw
from claw import require

DIST = "claw-mcp"


def _mcp(module: str) -> Any:
    return require(module, dist=DIST)  # the SDK loads on first connection, not at claw start-up


class StdioTransport(claw.Transport):
    """Runs the server as a child process (its own process group) and talks over its stdin/stdout."""

    name = "stdio"

    @asynccontextmanager
    async def connect(self, config: dict[str, Any]) -> AsyncIterator[tuple[Any, Any]]:
        stdio = _mcp("mcp.client.stdio")
        params = stdio.StdioServerParameters(
            command=config["command"],
            args=list(config.get("args", [])),
            env=dict(config.get("env") or {}),
            cwd=config.get("cwd"),
            # A byte that is not UTF-8 in the server's output becomes U+FFFD (claw's policy for text
            # shown to the model) instead of ending the connection.
            encoding_error_handler="replace",
        )
        log_path = config.get("stderr")
        if log_path:
            Path(log_path).parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "a", encoding="utf-8") as errlog:
                async with stdio.stdio_client(params, errlog=errlog) as streams:
                    yield streams
        else:
            async with stdio.stdio_client(params) as streams:
                yield streams


def log_size(path: str | None) -> int:
    """The size of a stdio server's log now, so :func:`last_line` reads only what came after."""
    try:
        return Path(path).stat().st_size if path else 0
    except OSError:
        return 0


def last_line(path: str, start: int) -> str:
    """The last non-empty line a stdio server wrote to its log after ``start`` (a crash's message,
    say ``ModuleNotFoundError: ...``), at most 200 characters; empty when it wrote nothing."""
    try:
        with open(path, "rb") as log:
            log.seek(start)
            lines = log.read()[-8192:].decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    said = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return said if len(said) <= 200 else said[:199] + "…"


def _timeout(config: dict[str, Any]) -> Any:
    httpx2 = require("httpx2", dist=DIST)
    return httpx2.Timeout(float(config.get("timeout", 30)), read=float(config.get("read_timeout", 300)))


class SseTransport(claw.Transport):
    """The 2024-11-05 HTTP+SSE transport (deprecated by the spec, still common)."""

    name = "sse"

    @asynccontextmanager
    async def connect(self, config: dict[str, Any]) -> AsyncIterator[tuple[Any, Any]]:
        sse = _mcp("mcp.client.sse")
        timeout = _timeout(config)
        async with sse.sse_client(
            config["url"],
            headers=dict(config.get("headers") or {}),
            timeout=timeout.connect,
            sse_read_timeout=timeout.read,
            auth=config.get("auth"),
        ) as streams:
            yield streams


async def _session_unknown_as_404(response: Any) -> None:
    """Present a server's "no such session" answer to the SDK the way the spec spells it.

    The spec says a server answers a request carrying a session id it no longer knows (it restarted,
    or expired the session) with 404, and the SDK then reports ``INVALID_REQUEST "Session
    terminated"``, which :func:`claw_mcp.manager.session_lost` recognises. Servers built on the
    TypeScript SDK's examples (``@modelcontextprotocol/server-everything`` among them) answer 400
    ``{"error": {"message": "Bad Request: No valid session ID provided"}}`` instead, which the SDK
    turns into a generic internal error. A 400 to a request that carried ``Mcp-Session-Id`` whose
    JSON-RPC error message names the session is rewritten to that 404 here; every other 400 is left
    alone. Either way the server did not run the request.
    """
    if response.status_code != 400 or "mcp-session-id" not in response.request.headers:
        return
    if not response.headers.get("content-type", "").lower().startswith("application/json"):
        return
    await response.aread()
    try:
        error = json.loads(response.content).get("error") or {}
    except (ValueError, AttributeError):
        return
    if isinstance(error, dict) and "session" in str(error.get("message", "")).lower():
        response.status_code = 404
        response.headers["content-type"] = "text/plain"


class HttpTransport(claw.Transport):
    """Streamable HTTP, the current remote transport."""

    name = "http"
    aliases = ("streamable-http",)

    @asynccontextmanager
    async def connect(self, config: dict[str, Any]) -> AsyncIterator[tuple[Any, Any]]:
        httpx2 = require("httpx2", dist=DIST)
        streamable = _mcp("mcp.client.streamable_http")
        async with (
            httpx2.AsyncClient(
                headers=dict(config.get("headers") or {}),
                auth=config.get("auth"),
                timeout=_timeout(config),
                event_hooks={"response": [_session_unknown_as_404]},
            ) as client,
            streamable.streamable_http_client(config["url"], http_client=client) as streams,
        ):
            yield streams


class WebSocketTransport(claw.Transport):
    """MCP over a WebSocket (``ws://`` / ``wss://``), subprotocol ``mcp``."""

    name = "ws"

    @asynccontextmanager
    async def connect(self, config: dict[str, Any]) -> AsyncIterator[tuple[Any, Any]]:
        anyio = require("anyio", dist=DIST)
        client = require("websockets.asyncio.client", dist=DIST)
        exceptions = require("websockets.exceptions", dist=DIST)
        types = _mcp("mcp_types")
        message = _mcp("mcp.shared.message")

        async with client.connect(
            config["url"],
            subprotocols=["mcp"],
            additional_headers=dict(config.get("headers") or {}),
            open_timeout=float(config.get("timeout", 30)),
        ) as ws:
            read_writer, read_stream = anyio.create_memory_object_stream(0)
            write_stream, write_reader = anyio.create_memory_object_stream(0)

            async def reader() -> None:
                async with read_writer:
                    try:
                        async for frame in ws:
                            try:
                                parsed = types.jsonrpc_message_adapter.validate_json(frame, by_name=False)
                            except ValueError as exc:
                                await read_writer.send(exc)
                                continue
                            await read_writer.send(message.SessionMessage(parsed))
                    except exceptions.ConnectionClosed:
                        pass  # the session sees the end of the read stream
                    except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                        pass

            async def writer() -> None:
                async with write_reader:
                    try:
                        async for item in write_reader:
                            await ws.send(item.message.model_dump_json(by_alias=True, exclude_unset=True))
                    except exceptions.ConnectionClosed:
                        await read_writer.aclose()

            async with anyio.create_task_group() as tg, read_stream, write_stream:
                tg.start_soon(reader)
                tg.start_soon(writer)
                try:
                    yield read_stream, write_stream
                finally:
                    tg.cancel_scope.cancel()


def open_streams(transport_cls: type[claw.Transport], config: dict[str, Any]) -> Any:
    """The async context manager yielding ``(read, write)`` for a server: the transport's own
    ``connect``, or for a :class:`claw.MessageTransport` memory streams fed by its ``exchange``."""
    transport = transport_cls()
    if isinstance(transport, claw.MessageTransport):
        return _exchanged(transport, config)
    return transport.connect(config)


@asynccontextmanager
async def _exchanged(
    transport: claw.MessageTransport, config: dict[str, Any]
) -> AsyncIterator[tuple[Any, Any]]:
    """Each message the session writes is handed to ``exchange`` in its own task (a slow tool call
    must not hold up a ping or a cancellation); each reply goes to the read stream. An exchange that
    fails answers its request with a JSON-RPC internal error, so only that request fails."""
    anyio = require("anyio", dist=DIST)
    types = _mcp("mcp_types")
    message = _mcp("mcp.shared.message")
    read_writer, read_stream = anyio.create_memory_object_stream(16)
    write_stream, write_reader = anyio.create_memory_object_stream(16)

    async def deliver(item: Any) -> None:
        sent = item.message.model_dump(by_alias=True, exclude_unset=True)
        try:
            reply = await transport.exchange(config, sent)
            parsed = None if reply is None else types.jsonrpc_message_adapter.validate_python(reply)
        except Exception as exc:  # a failed exchange or a malformed reply: fail that request alone
            if "method" not in sent or "id" not in sent:
                return
            error = {"jsonrpc": "2.0", "id": sent["id"], "error": {"code": -32603, "message": str(exc)}}
            parsed = types.jsonrpc_message_adapter.validate_python(error)
        if parsed is not None:
            with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):  # session over
                await read_writer.send(message.SessionMessage(parsed))

    async with anyio.create_task_group() as tg, read_writer, read_stream, write_stream:

        async def writer() -> None:
            async with write_reader:
                async for item in write_reader:
                    tg.start_soon(deliver, item)

        tg.start_soon(writer)
        try:
            yield read_stream, write_stream
        finally:
            tg.cancel_scope.cancel()


BUILTIN_TRANSPORTS: tuple[type[claw.Transport], ...] = (
    StdioTransport,
    SseTransport,
    HttpTransport,
    WebSocketTransport,
)
