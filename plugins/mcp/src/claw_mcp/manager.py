"""Live connections to a session's MCP servers.

Each server gets a supervisor task that owns its transport and ``ClientSession`` from entry to exit
(anyio cancel scopes must be entered and left in the same task); tools, resource reads and prompts
are requests sent from the agent loop's tasks over that session. All supervisors live in one task
group inside a background task that :meth:`McpManager.start` creates and :meth:`McpManager.stop`
ends, so every server, child processes included, is shut down when the session ends or is cancelled
(Ctrl-C).

Start-up is parallel: :meth:`McpManager.start` returns when every server is connected, failed or
needs authorization, or when ``MCP_TIMEOUT`` (milliseconds, default 30000, as Claude Code) has passed,
whichever is first. A connection that drops is re-opened with backoff (5 attempts: at once, then
1 s doubling, as Claude Code does for remote servers) and the request that hit the drop is retried
once when that cannot do something twice (see :meth:`McpManager.request`).

A server that sends ``notifications/tools/list_changed`` or ``notifications/prompts/list_changed``
is listed again, and :attr:`McpManager.on_lists_changed` is told, so the session offers the new
tools from the next model request (as Claude Code does); so is a reconnected server whose lists
differ from before.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import claw
from claw import get_logger, require, state_dir

from claw_mcp.config import ServerConfig, env_number
from claw_mcp.oauth import ReauthRequired, TokenFile, headless_provider
from claw_mcp.transports import last_line, log_size, open_streams

DIST = "claw-mcp"
DEFAULT_TIMEOUT_MS = 30000
RECONNECT_ATTEMPTS = 5
RECONNECT_DELAY = 1.0
#: Seconds servers get at shutdown to close on their own before connecting ones are cancelled.
SHUTDOWN_GRACE = 2.0


def log_path(server: str, env: Mapping[str, str] | None = None) -> Path:
    """Where a stdio server's stderr goes: ``<state dir>/mcp-logs/<server>.log``."""
    return state_dir(env) / "mcp-logs" / f"{server}.log"


def startup_timeout(env: Mapping[str, str]) -> float:
    """``MCP_TIMEOUT`` in seconds."""
    return max(0.001, env_number(env, "MCP_TIMEOUT", DEFAULT_TIMEOUT_MS) / 1000)


class ServerUnavailable(Exception):
    """A request went to a server that is not connected; the message says why and what to do."""


def describe(exc: BaseException) -> str:
    """One line for an exception, reaching inside exception groups for the first real cause."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, claw.ClawError):
        return str(exc)  # already a sentence for the user
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    if isinstance(exc, kind):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _find(inner, kind)
            if found is not None:
                return found
    return None


def session_lost(exc: BaseException) -> bool:
    """Whether ``exc`` is a server's answer that it does not know our session (it restarted or
    expired it): the request was refused before it ran, so a new session may send it again.

    An HTTP server answers 404 (the SDK's ``INVALID_REQUEST "Session terminated"``, or the server's
    own ``"Session not found"``); the TypeScript SDK's 400 is turned into that 404 by the ``http``
    transport (:func:`claw_mcp.transports._session_unknown_as_404`).
    """
    mcp = require("mcp", dist=DIST)
    types = require("mcp_types", dist=DIST)
    error: Any = exc  # an mcp.MCPError once the isinstance check holds (the SDK is imported lazily)
    return (
        isinstance(exc, mcp.MCPError)
        and error.code == types.INVALID_REQUEST
        and "session" in error.message.lower()
    )


def is_connection_error(exc: BaseException) -> bool:
    """Whether ``exc`` means the connection is gone or the session lost (worth reconnecting), not a
    server's answer to the request."""
    anyio = require("anyio", dist=DIST)
    mcp = require("mcp", dist=DIST)
    httpx2 = require("httpx2", dist=DIST)
    types = require("mcp_types", dist=DIST)
    if isinstance(exc, mcp.MCPError):
        error: Any = exc
        return error.code == types.CONNECTION_CLOSED or session_lost(exc)
    return isinstance(
        exc,
        anyio.ClosedResourceError
        | anyio.BrokenResourceError
        | anyio.EndOfStream
        | httpx2.TransportError
        | OSError,
    )


class CallInterrupted(Exception):
    """The connection dropped while a call that may change something was running; it was not
    repeated, because the server may have carried it out."""


@dataclass
class Server:
    """One configured server and the state of its connection."""

    config: ServerConfig
    status: str = "pending"
    error: str = ""
    session: Any = None
    tools: list[Any] = field(default_factory=list)
    prompts: list[Any] = field(default_factory=list)
    resources: bool = False
    server_info: Any = None
    #: Set whenever the status leaves ``pending``.
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    #: Set to end the current connection (drop detected, or shutdown).
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    #: Set to have a failed or unauthorized server try again (see :meth:`McpManager.resume`).
    resume: asyncio.Event = field(default_factory=asyncio.Event)
    #: Set when the server said its tools or prompts changed (``notifications/*/list_changed``).
    lists_changed: asyncio.Event = field(default_factory=asyncio.Event)
    #: Cleared from such a notification until the lists were fetched again, so a tool call during
    #: which the server changed its tools returns once the session has the new ones.
    lists_current: asyncio.Event = field(default_factory=asyncio.Event)
    connects: int = 0
    #: stdio: the file the server's stderr is appended to.
    log: str | None = None
    #: Where the log ended when the current attempt started (its own lines follow).
    log_start: int = 0
    #: The connect attempt's cancel scope: start-up ends it when ``MCP_TIMEOUT`` runs out.
    connecting: Any = None
    #: http/sse: the ``httpx2.Auth`` to use instead of the stored-token provider (``claw mcp login``).
    auth: Any = None
    #: Set by the OAuth provider when the server asked for an authorization this run cannot do.
    auth_required: bool = False
    #: Switched off by the client (``mcp_toggle``): not connected until switched on again.
    disabled: bool = False

    @property
    def name(self) -> str:
        return self.config.name

    def settle(self, status: str, error: str = "") -> None:
        self.status, self.error = status, error
        if status != "connected":
            self.session = None
        self.settled.set()

    def detail(self) -> dict[str, Any]:
        """``{"name", "status", ...}`` for ``system/init``, ``claw mcp list`` and ``claw doctor``."""
        out: dict[str, Any] = {"name": self.name, "status": self.status}
        if self.error:
            out["error"] = self.error
        out["type"] = self.config.type
        out["scope"] = self.config.scope
        if self.log:
            out["log"] = self.log
        if self.server_info is not None:
            out["serverInfo"] = {"name": self.server_info.name, "version": self.server_info.version}
        return out


class McpManager:
    """The MCP servers of one session.

    :param servers: the checked configuration (see :func:`claw_mcp.config.resolve`).
    :param transports: ``type`` -> :class:`claw.Transport` subclass (the app's registry).
    :param timeout: seconds to wait for start-up; default ``MCP_TIMEOUT``.
    """

    def __init__(
        self,
        servers: Mapping[str, ServerConfig],
        *,
        transports: Mapping[str, type[claw.Transport]],
        workspace: Path,
        env: Mapping[str, str],
        timeout: float | None = None,
        confine: Callable[[list[str]], list[str]] | None = None,
    ) -> None:
        _quiet_sdk_logging(env)
        #: Wraps the command line of a stdio server with ``"sandbox": true`` (the session's sandbox).
        self.confine = confine
        self.servers = {name: Server(cfg) for name, cfg in servers.items()}
        self.transports = dict(transports)
        self.workspace = workspace
        self.env = dict(env)
        self.timeout = startup_timeout(env) if timeout is None else timeout
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        #: Seconds each server took to settle at start-up (benchmarks read it).
        self.startup_seconds: dict[str, float] = {}
        #: Called with a connected server whose tool or prompt list changed after it was first
        #: listed (the session swaps the tools it offers).
        self.on_lists_changed: Callable[[Server], None] | None = None
        for server in self.servers.values():
            if server.config.type == "stdio":
                server.log = str(log_path(server.name, env))

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self, on_settled: Callable[[Server], None] | None = None) -> None:
        """Start every server in parallel; return when all settled or the timeout passed.

        :param on_settled: called for each server as soon as it is connected, failed or needs
            authorization, so what is ready is published even if the caller is cancelled first.
        """
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="claw-mcp")

        async def watch(server: Server) -> None:
            await server.settled.wait()
            if on_settled is not None:
                on_settled(server)

        watchers = [asyncio.ensure_future(watch(s)) for s in self.servers.values()]
        try:
            if watchers:
                await asyncio.wait(watchers, timeout=self.timeout)
        finally:
            for watcher in watchers:
                watcher.cancel()
        for server in self.servers.values():
            if not server.settled.is_set():
                server.settle("failed", f"timed out after {self.timeout * 1000:.0f} ms (MCP_TIMEOUT)")
                if server.connecting is not None:  # stop it now: its own deadline started later
                    server.connecting.cancel()
                if on_settled is not None:
                    on_settled(server)

    async def stop(self) -> None:
        """Close every connection and stop every child process; safe to call more than once."""
        self._stopping.set()
        for server in self.servers.values():
            server.wake.set()
        if self._task is not None:
            task, self._task = self._task, None
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                # Our caller was cancelled (Ctrl-C): still wait for the servers to shut down.
                with contextlib.suppress(BaseException):
                    await task
                raise

    async def _run(self) -> None:
        """Host the supervisors; at shutdown give them :data:`SHUTDOWN_GRACE` seconds to close
        their connections, then cancel whatever is still connecting."""
        anyio = require("anyio", dist=DIST)
        remaining = len(self.servers)
        finished = anyio.Event()

        async def supervise(server: Server) -> None:
            nonlocal remaining
            try:
                await self._supervise(server)
            except Exception as exc:  # a bug here must not take the other servers down
                server.settle("failed", describe(exc))
            finally:
                remaining -= 1
                if remaining == 0:
                    finished.set()

        async with anyio.create_task_group() as tg:
            for server in self.servers.values():
                tg.start_soon(supervise, server)
            await self._stopping.wait()
            with anyio.move_on_after(SHUTDOWN_GRACE):
                await finished.wait()
            tg.cancel_scope.cancel()

    # -- one server -------------------------------------------------------------------------------

    def _connect_config(self, server: Server) -> dict[str, Any]:
        cfg = dict(server.config.data)
        cfg["server"] = server.name
        if server.config.type == "stdio":
            server.log_start = log_size(server.log)
            cfg["env"] = {**self.env, **(cfg.get("env") or {})}
            cfg.setdefault("cwd", str(self.workspace))
            cfg["stderr"] = server.log
            if cfg.get("sandbox"):
                if self.confine is None:
                    raise claw.ConfigError(
                        '"sandbox": true but no sandbox is configured (settings sandbox.enabled)'
                    )
                argv = self.confine([cfg["command"], *cfg.get("args", [])])
                cfg["command"], cfg["args"] = argv[0], argv[1:]
        if server.auth is not None:
            cfg["auth"] = server.auth
        elif server.config.oauth_capable and not _has_authorization(cfg.get("headers")):
            store = TokenFile(server.name, cfg["url"], self.env)
            cfg["auth"] = headless_provider(
                server.name, cfg, store, lambda: setattr(server, "auth_required", True)
            )
        return cfg

    async def _supervise(self, server: Server) -> None:
        """Connect, and keep connecting: a failed start is not retried (as Claude Code); a live
        connection that drops gets :data:`RECONNECT_ATTEMPTS` attempts, the first one at once, then
        1 s, 2 s, 4 s, ... apart. A server left failed or needing authorization waits for
        :meth:`resume` (a request to a server that was connected once, or a login); so does a
        disabled one (:meth:`set_enabled`)."""
        anyio = require("anyio", dist=DIST)
        start = time.perf_counter()
        budget, attempt = 1, 0
        while not self._stopping.is_set():
            if server.disabled:
                server.settle("disabled")
                await self._wait_for_resume(server)
                continue
            server.wake = asyncio.Event()
            connects = server.connects
            try:
                await self._connect_once(server, start)
                budget, attempt = RECONNECT_ATTEMPTS, 0
                continue
            except Exception as exc:
                if self._stopping.is_set():
                    break
                if server.disabled:  # switched off while connecting
                    continue
                if server.connects > connects:  # it was up and the connection broke: reconnect at once
                    get_logger("claw.mcp").debug("connection lost", server=server.name, error=describe(exc))
                    server.session = None
                    server.settled.clear()
                    server.status = "pending"
                    budget, attempt = RECONNECT_ATTEMPTS, 0
                    continue
                if server.auth_required or _find(exc, ReauthRequired) is not None:
                    server.auth_required = False
                    server.settle("needs-auth", str(ReauthRequired(server.name)))
                elif (attempt := attempt + 1) >= budget:
                    server.settle("failed", self._failure_reason(server, exc))
                else:
                    get_logger("claw.mcp").debug(
                        "reconnecting", server=server.name, attempt=attempt, error=describe(exc)
                    )
                    with anyio.move_on_after(RECONNECT_DELAY * 2 ** (attempt - 1)):
                        await self._stopping.wait()
                    continue
            self.startup_seconds.setdefault(server.name, time.perf_counter() - start)
            await self._wait_for_resume(server)
            budget, attempt = 1, 0

    async def _wait_for_resume(self, server: Server) -> None:
        """Park a failed or unauthorized server until :meth:`resume` or shutdown."""
        resume = server.resume = asyncio.Event()
        stopping = asyncio.ensure_future(self._stopping.wait())
        resumed = asyncio.ensure_future(resume.wait())
        try:
            await asyncio.wait([stopping, resumed], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            resumed.cancel()

    def resume(self, server: Server) -> None:
        """Have a parked server try to connect again (one attempt)."""
        server.settled.clear()
        server.status = "pending"
        server.resume.set()

    def _failure_reason(self, server: Server, exc: BaseException) -> str:
        missing = _find(exc, FileNotFoundError)
        if missing is not None and server.config.type == "stdio":
            return f"command not found: {server.config.data['command']}"
        reason = describe(exc)
        if _find(exc, TimeoutError) is not None or "Cancel" in reason:
            reason = f"timed out after {self.timeout * 1000:.0f} ms (MCP_TIMEOUT)"
        elif server.log and reason == "MCPError: Connection closed":  # the process ended (or shut stdout)
            said = last_line(server.log, server.log_start)
            reason = "the server exited during start-up" + (f": {said}" if said else "")
        if server.log:
            reason += f" (see {server.log})"
        return reason

    async def _connect_once(self, server: Server, start: float) -> None:
        """Open, initialize and list; then hold the connection until woken. Raises on failure."""
        anyio = require("anyio", dist=DIST)
        mcp = require("mcp", dist=DIST)
        transport_cls = self.transports.get(server.config.type)
        if transport_cls is None:
            known = ", ".join(sorted(self.transports))
            raise claw.ConfigError(f'unknown transport type "{server.config.type}" (known: {known})')
        cfg = self._connect_config(server)
        scope = server.connecting = anyio.CancelScope(deadline=anyio.current_time() + self.timeout)
        server.lists_changed = asyncio.Event()
        with scope:
            async with (
                open_streams(transport_cls, cfg) as (read, write),
                mcp.ClientSession(
                    _WatchedStream(read, server.wake.set),
                    write,
                    list_roots_callback=self._roots,
                    message_handler=self._notification_handler(server),
                ) as session,
            ):
                init = await session.initialize()
                caps = init.capabilities
                listed_before = server.connects > 0
                await self._list(server, session, caps, announce=listed_before)
                if server.disabled:  # switched off while connecting
                    return
                scope.deadline = math.inf
                server.session = session
                server.resources = caps.resources is not None
                server.server_info = init.server_info
                server.connects += 1
                server.settle("connected")
                self.startup_seconds.setdefault(server.name, time.perf_counter() - start)
                await self._hold(server, session, caps)
                server.session = None
        if scope.cancelled_caught:
            raise TimeoutError("connect timed out")
        if not self._stopping.is_set():
            # Woken because a request saw the connection drop: reconnect promptly.
            server.settled.clear()
            server.status = "pending"

    async def _list(self, server: Server, session: Any, caps: Any, *, announce: bool) -> None:
        """List the server's tools and prompts; with ``announce``, tell :attr:`on_lists_changed`
        when they differ from what the session was given."""
        tools = (await session.list_tools()).tools if caps.tools is not None else []
        prompts = (await session.list_prompts()).prompts if caps.prompts is not None else []
        changed = tools != server.tools or prompts != server.prompts
        server.tools, server.prompts = tools, prompts
        if announce and changed and self.on_lists_changed is not None:
            self.on_lists_changed(server)

    async def _hold(self, server: Server, session: Any, caps: Any) -> None:
        """Keep the connection until woken, listing again whenever the server says its lists
        changed. The listing runs here, not in the notification handler, which runs in the
        session's receive loop and would wait for its own answer."""
        try:
            while True:
                if not server.lists_changed.is_set():
                    server.lists_current.set()
                changed = asyncio.ensure_future(server.lists_changed.wait())
                woken = asyncio.ensure_future(server.wake.wait())
                try:
                    await asyncio.wait([changed, woken], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    changed.cancel()
                    woken.cancel()
                if server.wake.is_set():
                    return
                server.lists_changed.clear()
                try:
                    await self._list(server, session, caps, announce=True)
                except require("mcp", dist=DIST).MCPError as exc:  # the server's answer: keep the lists
                    log = get_logger("claw.mcp")
                    log.warning("listing again failed", server=server.name, error=describe(exc))
        finally:
            server.lists_current.set()

    def _notification_handler(self, server: Server) -> Callable[[Any], Awaitable[None]]:
        types = require("mcp_types", dist=DIST)
        changes = (types.ToolListChangedNotification, types.PromptListChangedNotification)

        async def handle(message: Any) -> None:
            if isinstance(message, changes):
                server.lists_current.clear()
                server.lists_changed.set()

        return handle

    async def _roots(self, context: Any) -> Any:
        """``roots/list``: the workspace is the root servers may work in (as Claude Code offers its
        working directory)."""
        types = require("mcp_types", dist=DIST)
        root = types.Root(uri=self.workspace.resolve().as_uri(), name=self.workspace.name)
        return types.ListRootsResult(roots=[root])

    # -- requests ----------------------------------------------------------------------------------

    async def _ready(self, server: Server) -> Any:
        if server.status == "failed" and server.connects and not self._stopping.is_set():
            self.resume(server)  # it worked before: one more attempt (a restarted server comes back)
        if server.status == "pending":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    server.settled.wait(), self.timeout + RECONNECT_DELAY * 2**RECONNECT_ATTEMPTS
                )
        if server.status != "connected" or server.session is None:
            raise ServerUnavailable(self.unavailable_message(server))
        return server.session

    def unavailable_message(self, server: Server) -> str:
        if server.status == "needs-auth":
            return str(ReauthRequired(server.name))
        reason = f": {server.error}" if server.error else ""
        return f'MCP server "{server.name}" is not connected ({server.status}{reason})'

    async def request(
        self, name: str, call: Callable[[Any], Awaitable[Any]], *, replayable: bool = True
    ) -> Any:
        """Send one request; if the connection dropped or the session was lost, reconnect and
        send it once more when that cannot do something twice.

        :param replayable: whether sending the request twice is harmless (listing, reading, a tool
            annotated read-only or idempotent). A request that is not is sent again only when the
            server certainly did not run it: it answered that it does not know our session (a
            restarted server answers 400/404 before running anything), or the connection was
            already known to be gone when the request was made (the server had exited), so it could
            not be delivered. When a drop leaves that open, :class:`CallInterrupted` is raised
            instead, so the model decides, knowing the effect may have happened.
        """
        server = self.servers[name]
        session = await self._ready(server)
        gone_before = server.wake.is_set()  # the connection's end was seen, not yet acted on
        try:
            result = await call(session)
        except Exception as exc:
            if not is_connection_error(exc) or self._stopping.is_set():
                raise
            error = exc
        else:
            if not server.lists_current.is_set():  # the call changed the server's tools
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(server.lists_current.wait(), self.timeout)
            return result
        if server.session is session:  # nobody reported the drop yet
            server.settled.clear()
            server.status = "pending"
            server.wake.set()
        if not (replayable or session_lost(error) or gone_before):
            raise CallInterrupted(
                f'the connection to MCP server "{name}" was lost while the call was running '
                f"({describe(error)}); it may or may not have taken effect, so claw did not repeat "
                "it; the server is being reconnected"
            ) from error
        session = await self._ready(server)
        return await call(session)

    async def reconnect(self, name: str) -> None:
        """Ask the supervisor of ``name`` to connect again (after a login, or the client's
        ``mcp_reconnect``) and wait for the outcome."""
        server = self.servers[name]
        if server.status == "connected":
            server.settled.clear()
            server.status = "pending"
            server.wake.set()
        else:
            self.resume(server)
        await self._settled(server)

    async def set_enabled(self, name: str, enabled: bool) -> None:
        """Switch server ``name`` off (its connection closes, its child process ends; status
        ``disabled``) or on again (it connects as at start), and wait for the outcome."""
        server = self.servers[name]
        if server.disabled != enabled:
            return
        server.disabled = not enabled
        self.resume(server)  # parked (failed, disabled): go on
        server.wake.set()  # connected or connecting: let go
        await self._settled(server)

    async def _settled(self, server: Server) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.settled.wait(), self.timeout + 1)

    def statuses(self) -> list[dict[str, Any]]:
        return [s.detail() for s in self.servers.values()]


class _WatchedStream:
    """A transport's read stream that calls ``ended`` when it ends (a stdio server exited, the
    connection closed), so the supervisor reconnects at once rather than when the next request
    fails: a request sent after a server died goes to the new connection instead of becoming a
    call whose fate is unknown."""

    def __init__(self, inner: Any, ended: Callable[[], None]) -> None:
        self._inner = inner
        self._ended = ended

    async def receive(self) -> Any:
        anyio = require("anyio", dist=DIST)
        try:
            return await self._inner.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            self._ended()
            raise

    def __aiter__(self) -> _WatchedStream:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.receive()
        except require("anyio", dist=DIST).EndOfStream:
            raise StopAsyncIteration from None

    async def __aenter__(self) -> _WatchedStream:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> bool | None:
        return await self._inner.__aexit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)  # close(), aclose(), last_context, ...


def _quiet_sdk_logging(env: Mapping[str, str]) -> None:
    """Keep the SDK's stdlib log records (a failed session DELETE, a server's odd SSE event) off
    stderr, where claw prints one line per problem; ``CLAW_LOG=debug`` lets them through."""
    import logging

    logger = logging.getLogger("mcp")
    if env.get("CLAW_LOG", "").lower() != "debug" and not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _has_authorization(headers: Mapping[str, str] | None) -> bool:
    return any(k.lower() == "authorization" for k in (headers or {}))
