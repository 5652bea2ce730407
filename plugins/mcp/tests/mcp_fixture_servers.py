"""Real MCP servers for claw-mcp's tests, on loopback: a WebSocket server and an OAuth-protected
streamable-HTTP server with its authorization server, both built on the SDK's server side.

Nothing here fakes the client side: claw-mcp connects to these over real sockets.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import socket
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.shared.message import SessionMessage

PID_SERVER = textwrap.dedent(
    """
    import os
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("pid")

    @server.tool()
    def pid() -> str:
        \"\"\"The server's process id.\"\"\"
        return str(os.getpid())

    @server.tool()
    async def record(path: str, seconds: float) -> str:
        \"\"\"Append the pid to a file, then wait (a call with an effect, cut off by a kill).\"\"\"
        import anyio

        with open(path, "a") as fh:
            fh.write(f"{os.getpid()}\\n")
        await anyio.sleep(seconds)
        return "recorded"

    server.run()
    """
)


def write_pid_server(directory: Path) -> list[str]:
    """A stdio server whose ``pid`` tool tells its process id and whose ``record`` tool appends it to
    a file before waiting: ``[python, script]``."""
    path = directory / "pid_server.py"
    path.write_text(PID_SERVER, encoding="utf-8")
    return [sys.executable, str(path)]


CHANGING_SERVER = textwrap.dedent(
    """
    from mcp.server.mcpserver import Context, MCPServer

    server = MCPServer("changing")

    def extra() -> str:
        \"\"\"A tool that exists only after grow.\"\"\"
        return "extra ran"

    @server.tool()
    def gone() -> str:
        \"\"\"A tool grow removes.\"\"\"
        return "gone ran"

    @server.tool()
    async def grow(ctx: Context) -> str:
        \"\"\"Add the extra tool, remove gone, and tell the client its tool list changed.\"\"\"
        server.add_tool(extra)
        server.remove_tool("gone")
        await ctx.session.send_tool_list_changed()
        return "grown"

    server.run()
    """
)


def write_changing_server(directory: Path) -> list[str]:
    """A stdio server whose ``grow`` tool adds ``extra``, removes ``gone`` and sends
    ``notifications/tools/list_changed``: ``[python, script]``."""
    path = directory / "changing_server.py"
    path.write_text(CHANGING_SERVER, encoding="utf-8")
    return [sys.executable, str(path)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_server(name: str = "demo", seen_headers: list[dict[str, str]] | None = None) -> Server:
    """A small server: ``echo`` (read-only), ``fail`` (a tool error), a resource and a prompt."""

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        schema = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
        return types.ListToolsResult(
            tools=[
                types.Tool(
                    name="echo",
                    description="Echo the text back",
                    input_schema=schema,
                    annotations=types.ToolAnnotations(read_only_hint=True),
                ),
                types.Tool(name="fail", description="Always fails", input_schema={"type": "object"}),
                types.Tool(name="roots", description="The client's roots", input_schema={"type": "object"}),
                types.Tool(
                    name="big",
                    description="A long text",
                    input_schema={"type": "object", "properties": {"size": {"type": "integer"}}},
                ),
            ]
        )

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        if params.name == "echo":
            text = (params.arguments or {}).get("text", "")
            return types.CallToolResult(content=[types.TextContent(type="text", text=f"{name}: {text}")])
        if params.name == "roots":
            with warnings.catch_warnings():  # roots are deprecated from protocol 2026-07-28, still in use
                warnings.simplefilter("ignore")
                listed = await ctx.session.list_roots()
            text = "\n".join(str(r.uri) for r in listed.roots)
            return types.CallToolResult(content=[types.TextContent(type="text", text=text)])
        if params.name == "big":
            size = int((params.arguments or {}).get("size", 1000))
            return types.CallToolResult(content=[types.TextContent(type="text", text="x" * size)])
        return types.CallToolResult(content=[types.TextContent(type="text", text="it broke")], is_error=True)

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[types.Resource(name="greeting", uri="demo://greeting", mime_type="text/plain")]
        )

    async def read_resource(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=str(params.uri), mime_type="text/plain", text="hello")]
        )

    async def list_prompts(ctx: Any, params: Any) -> types.ListPromptsResult:
        return types.ListPromptsResult(
            prompts=[types.Prompt(name="greet", arguments=[types.PromptArgument(name="who", required=True)])]
        )

    async def get_prompt(ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        who = (params.arguments or {}).get("who", "nobody")
        message = types.PromptMessage(
            role="user", content=types.TextContent(type="text", text=f"Greet {who}")
        )
        return types.GetPromptResult(messages=[message])

    return Server(
        name,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
        on_list_prompts=list_prompts,
        on_get_prompt=get_prompt,
    )


class BackgroundLoop:
    """An asyncio loop in a daemon thread, for servers the (synchronous) tests talk to."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class WebSocketServer:
    """MCP over WebSocket (subprotocol ``mcp``) on loopback, one SDK server session per connection."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/mcp"
        self.headers: list[dict[str, str]] = []
        self.server = demo_server("ws")
        self._bg = BackgroundLoop()
        self._ws_server: Any = None

    async def _handler(self, ws: Any) -> None:
        self.headers.append({k.lower(): v for k, v in ws.request.headers.raw_items()})
        read_writer, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)

        async def reader() -> None:
            async with read_writer:
                async for frame in ws:
                    msg = types.jsonrpc_message_adapter.validate_json(frame, by_name=False)
                    await read_writer.send(SessionMessage(msg))

        async def writer() -> None:
            async with write_reader:
                async for item in write_reader:
                    await ws.send(item.message.model_dump_json(by_alias=True, exclude_unset=True))

        async with anyio.create_task_group() as tg:
            tg.start_soon(reader)
            tg.start_soon(writer)
            await self.server.run(read_stream, write_stream, self.server.create_initialization_options())
            tg.cancel_scope.cancel()

    def start(self) -> WebSocketServer:
        from websockets.asyncio.server import serve

        async def go() -> Any:
            return await serve(self._handler, "127.0.0.1", self.port, subprotocols=["mcp"])

        self._ws_server = self._bg.run(go())
        return self

    def stop(self) -> None:
        async def close() -> None:
            self._ws_server.close()
            await self._ws_server.wait_closed()

        self._bg.run(close())
        self._bg.close()


class UvicornThread:
    """Serves an ASGI app on a free loopback port from a thread."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> UvicornThread:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test HTTP server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = True  # do not wait for open SSE streams: the server goes away now
        self.thread.join(10)


class OAuthServer:
    """An authorization server (RFC 8414 metadata, RFC 7591 registration, PKCE authorize, token with
    refresh) and the MCP server it protects (RFC 9728 metadata, 401 with ``WWW-Authenticate``)."""

    def __init__(self, access_expires_in: int = 3600, transport: str = "http") -> None:
        """:param transport: how the protected MCP server speaks: ``http`` (streamable HTTP at
        ``/mcp``) or ``sse`` (the 2024-11-05 transport: ``/sse`` and ``/messages/``)."""
        self.access_expires_in = access_expires_in
        self.transport = transport
        self.clients: dict[str, list[str]] = {}
        self.codes: dict[str, dict[str, str]] = {}
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        #: Every grant the token endpoint served, in order ("authorization_code", "refresh_token").
        self.grants: list[str] = []
        #: When set, the next authorization is refused (the user clicked "deny").
        self.refuse_next = False
        self.mcp = demo_server("secure")
        self.path = "/sse" if transport == "sse" else "/mcp"
        self.http = UvicornThread(self._app())
        self.base = self.http.base
        self.url = f"{self.base}{self.path}"

    def revoke_all(self) -> None:
        self.access.clear()
        self.refresh.clear()

    def _issue(self) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.access.add(access)
        self.refresh.add(refresh)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.access_expires_in,
            "refresh_token": refresh,
        }

    def _app(self) -> Any:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse, RedirectResponse, Response
        from starlette.routing import Route

        async def protected_resource(request: Request) -> Response:
            return JSONResponse({"resource": self.url, "authorization_servers": [self.base]})

        async def metadata(request: Request) -> Response:
            return JSONResponse(
                {
                    "issuer": self.base,
                    "authorization_endpoint": f"{self.base}/authorize",
                    "token_endpoint": f"{self.base}/token",
                    "registration_endpoint": f"{self.base}/register",
                    "response_types_supported": ["code"],
                    "grant_types_supported": ["authorization_code", "refresh_token"],
                    "code_challenge_methods_supported": ["S256"],
                    "token_endpoint_auth_methods_supported": ["none"],
                }
            )

        async def register(request: Request) -> Response:
            body = await request.json()
            client_id = secrets.token_urlsafe(8)
            self.clients[client_id] = list(body.get("redirect_uris") or [])
            return JSONResponse(
                {**body, "client_id": client_id, "token_endpoint_auth_method": "none"}, status_code=201
            )

        async def authorize(request: Request) -> Response:
            q = request.query_params
            if (
                self.clients.get(q.get("client_id", "")) is None
                or q.get("redirect_uri") not in self.clients[q["client_id"]]
            ):
                return JSONResponse({"error": "invalid_client"}, status_code=400)
            if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            if self.refuse_next:
                self.refuse_next = False
                query = urlencode({"error": "access_denied", "state": q.get("state", "")})
                return RedirectResponse(f"{q['redirect_uri']}?{query}", 302)
            code = secrets.token_urlsafe(12)
            self.codes[code] = {
                "challenge": q["code_challenge"],
                "client_id": q["client_id"],
                "redirect_uri": q["redirect_uri"],
            }
            return RedirectResponse(
                f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}", 302
            )

        async def token(request: Request) -> Response:
            form = await request.form()
            grant = form.get("grant_type")
            if grant == "authorization_code":
                entry = self.codes.pop(str(form.get("code")), None)
                verifier = str(form.get("code_verifier", ""))
                digest = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
                )
                if (
                    entry is None
                    or digest != entry["challenge"]
                    or form.get("redirect_uri") != entry["redirect_uri"]
                ):
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
            elif grant == "refresh_token":
                old = str(form.get("refresh_token"))
                if old not in self.refresh:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                self.refresh.discard(old)
            else:
                return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
            self.grants.append(str(grant))
            return JSONResponse(self._issue())

        oauth = Starlette(
            routes=[
                Route(f"/.well-known/oauth-protected-resource{self.path}", protected_resource),
                Route("/.well-known/oauth-protected-resource", protected_resource),
                Route("/.well-known/oauth-authorization-server", metadata),
                Route("/register", register, methods=["POST"]),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
            ]
        )
        mcp_app = self._sse_app() if self.transport == "sse" else self.mcp.streamable_http_app()
        protected = ("/sse", "/messages") if self.transport == "sse" else ("/mcp",)
        challenge = f'Bearer resource_metadata="{{base}}/.well-known/oauth-protected-resource{self.path}"'

        async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
            if scope["type"] == "lifespan":
                return await mcp_app(scope, receive, send)
            if scope["path"].startswith(protected):
                headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
                token = headers.get("authorization", "").removeprefix("Bearer ").strip()
                if token not in self.access:
                    response = JSONResponse(
                        {"error": "invalid_token"},
                        status_code=401,
                        headers={"WWW-Authenticate": challenge.format(base=self.base)},
                    )
                    return await response(scope, receive, send)
                return await mcp_app(scope, receive, send)
            return await oauth(scope, receive, send)

        return app

    def _sse_app(self) -> Any:
        from mcp.server.sse import SseServerTransport
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Mount, Route

        sse = SseServerTransport("/messages/")

        async def stream(request: Request) -> Response:
            async with sse.connect_sse(request.scope, request.receive, request._send) as (read, write):
                await self.mcp.run(read, write, self.mcp.create_initialization_options())
            return Response()

        return Starlette(routes=[Route("/sse", stream), Mount("/messages/", app=sse.handle_post_message)])

    def start(self) -> OAuthServer:
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()


async def follow_redirects(url: str) -> None:
    """The headless "browser": GET the authorization URL and follow the redirect to claw's callback."""
    import httpx2

    async with httpx2.AsyncClient(follow_redirects=True, timeout=10) as client:
        response = await client.get(url)
        response.raise_for_status()
