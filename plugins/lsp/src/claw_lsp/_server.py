"""One running language server for one workspace root, through pygls's language client.

pygls (with lsprotocol's types) does the JSON-RPC framing and typing; this module adds what a
session needs around it: a lazy start with a bounded ``initialize``, the documents the server has
open (so a query sees the file as it is on disk now), the diagnostics it published, a bounded wait
per request, and restart after a crash with backoff. Nothing here applies a server's edits: the
client does not advertise ``workspace.applyEdit`` and refuses the request if a server sends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

from claw_lsp._config import NamedServer

# pygls reports what it cannot handle through stdlib logging, which would land on stderr unformatted
# (Python's last-resort handler); claw reports server failures itself, in the tool result and structlog.
logging.getLogger("pygls").addHandler(logging.NullHandler())

#: Seconds a clean shutdown may take before the process is killed.
SHUTDOWN_TIMEOUT = 3.0
#: Backoff before restart n (0-based): 0.2 s, 0.4 s, 0.8 s ... capped at 5 s.
BACKOFF_BASE, BACKOFF_CAP = 0.2, 5.0


class ServerError(Exception):
    """A failure the model should read as is (no traceback): not found, timed out, crashed."""


class ServerCrashed(ServerError):
    """The server process exited while a request was outstanding."""


class Server:
    """A language server started on first use and kept for the session.

    :param named: the configured server.
    :param root: the workspace root it serves (``rootUri`` and the only workspace folder).
    :param env: the environment the process starts in (the entry's ``env`` is added).
    :param request_timeout: seconds one request may take.
    :param report: called with a one-line message when the server crashes or restarts.
    """

    def __init__(
        self,
        named: NamedServer,
        root: Path,
        env: dict[str, str],
        request_timeout: float,
        report: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.name = named.name
        self.config = named.config
        self.root = root
        self.env = env
        self.request_timeout = request_timeout
        self.report = report
        #: ``stopped`` (never started), ``starting``, ``running``, ``crashed``, ``failed``, ``shut down``.
        self.state = "stopped"
        self.restarts = 0
        self.last_error = ""
        self._client: LanguageClient | None = None
        self._lock = asyncio.Lock()
        self._closing = False
        self._stderr: deque[str] = deque(maxlen=20)
        #: uri -> (version, text) of the documents the server has open.
        self._open: dict[str, tuple[int, str]] = {}
        #: uri -> the last diagnostics published.
        self.diagnostics: dict[str, list[t.Diagnostic]] = {}
        self._published = asyncio.Condition()
        #: uris the server was told something about and has not published diagnostics for since.
        self._pending: set[str] = set()
        self.capabilities: t.ServerCapabilities | None = None
        #: Seconds spent waiting for this server's answers, in total: the benchmark subtracts it to
        #: see what claw itself adds to a query.
        self.request_seconds = 0.0

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.state == "running"

    def language_of(self, path: Path) -> str:
        return self.config.extensionToLanguage.get(path.suffix.lower(), "plaintext")

    async def ensure_started(self) -> None:
        """Start the server unless it runs; after a crash, restart it once the backoff has passed."""
        async with self._lock:
            if self.running:
                return
            if self.state == "failed":
                raise ServerError(f"LSP server {self.name!r} is not available: {self.last_error}")
            if self.state == "crashed":
                if self.restarts >= self.config.maxRestarts:
                    self.state = "failed"
                    raise ServerError(
                        f"LSP server {self.name!r} crashed {self.restarts + 1} times and was given up: "
                        f"{self.last_error}"
                    )
                await asyncio.sleep(min(BACKOFF_BASE * 2**self.restarts, BACKOFF_CAP))
                self.restarts += 1
                self.report(
                    f"LSP server {self.name!r} restarted (restart {self.restarts}) after: {self.last_error}"
                )
            await self._start()

    async def _start(self) -> None:
        command = self.config.command
        if shutil.which(command, path=self.env.get("PATH")) is None and not Path(command).is_file():
            self.state, self.last_error = "failed", f"command not found: {command}"
            raise ServerError(f"LSP server {self.name!r}: command not found: {command}")
        self.state = "starting"
        self._open.clear()
        self._pending.clear()
        client = _Client(self)
        try:
            await client.start_io(
                command, *self.config.args, cwd=str(self.root), env={**self.env, **self.config.env}
            )
        except OSError as exc:
            self.state, self.last_error = "failed", f"cannot start {command}: {exc}"
            raise ServerError(f"LSP server {self.name!r}: {self.last_error}") from exc
        self._client = client
        proc = client._server
        if proc is not None and proc.stderr is not None:
            client._async_tasks.append(asyncio.create_task(self._drain(proc.stderr)))
        try:
            result = await self._call(
                "initialize",
                client.initialize_async(self._initialize_params()),
                self.config.startupTimeout,
            )
        except ServerError:
            await self._kill()
            if self.state == "starting":
                self.state = "failed"
            raise
        self.capabilities = result.capabilities
        client.initialized(t.InitializedParams())
        if self.config.settings:
            client.workspace_did_change_configuration(
                t.DidChangeConfigurationParams(settings=self.config.settings)
            )
        self.state = "running"

    def _initialize_params(self) -> t.InitializeParams:
        uri = self.root.as_uri()
        return t.InitializeParams(
            process_id=os.getpid(),
            root_uri=uri,
            root_path=str(self.root),
            workspace_folders=[t.WorkspaceFolder(uri=uri, name=self.root.name)],
            initialization_options=self.config.initializationOptions,
            client_info=t.ClientInfo(name="claw"),
            capabilities=t.ClientCapabilities(
                workspace=t.WorkspaceClientCapabilities(
                    apply_edit=False, configuration=True, workspace_folders=True
                ),
                text_document=t.TextDocumentClientCapabilities(
                    synchronization=t.TextDocumentSyncClientCapabilities(did_save=True),
                    publish_diagnostics=t.PublishDiagnosticsClientCapabilities(version_support=True),
                    hover=t.HoverClientCapabilities(
                        content_format=[t.MarkupKind.Markdown, t.MarkupKind.PlainText]
                    ),
                    document_symbol=t.DocumentSymbolClientCapabilities(
                        hierarchical_document_symbol_support=True
                    ),
                    definition=t.DefinitionClientCapabilities(link_support=True),
                    implementation=t.ImplementationClientCapabilities(link_support=True),
                    call_hierarchy=t.CallHierarchyClientCapabilities(),
                ),
            ),
        )

    async def _drain(self, stream: asyncio.StreamReader) -> None:
        """Keep reading stderr (a full pipe would block the server) and its last lines for errors."""
        while line := await stream.readline():
            self._stderr.append(line.decode(errors="replace").rstrip())

    def exited(self, returncode: int | None) -> None:
        """The process ended: a crash unless claw was shutting it down."""
        if self._closing or self.state in ("shut down", "failed"):
            return
        tail = next((line for line in reversed(self._stderr) if line.strip()), "")
        self.last_error = f"exited with code {returncode}" + (f": {tail}" if tail else "")
        self.state = "crashed"
        self.report(f"LSP server {self.name!r} crashed ({self.last_error})")

    async def shutdown(self) -> None:
        """``shutdown`` then ``exit``, each bounded; the process is killed if it lingers."""
        client, self._client = self._client, None
        self._closing = True
        if client is None:
            self.state = "shut down" if self.state != "failed" else self.state
            return
        if self.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.shutdown_async(None), SHUTDOWN_TIMEOUT)
                client.exit(None)
        self._client = client
        await self._kill()
        self.state = "shut down"

    async def _kill(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        self._closing = True
        proc = client._server
        if proc is not None and proc.returncode is None:
            try:
                await asyncio.wait_for(proc.wait(), SHUTDOWN_TIMEOUT)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.stop(), SHUTDOWN_TIMEOUT)
        self._closing = False

    # -- documents ---------------------------------------------------------------------------

    def sync(self, path: Path, *, save: bool = False) -> bool:
        """Tell the server the file's current text (didOpen, or didChange when it changed since);
        True when the server was told something new. ``save`` adds didSave (after an edit)."""
        client = self._require()
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8", errors="replace")
        known = self._open.get(uri)
        if known is None:
            self._open[uri] = (1, text)
            client.text_document_did_open(
                t.DidOpenTextDocumentParams(
                    text_document=t.TextDocumentItem(
                        uri=uri, language_id=self.language_of(path), version=1, text=text
                    )
                )
            )
        elif known[1] != text:
            version = known[0] + 1
            self._open[uri] = (version, text)
            client.text_document_did_change(
                t.DidChangeTextDocumentParams(
                    text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )
        elif not save:
            return False
        self._pending.add(uri)
        if save:
            client.text_document_did_save(
                t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri), text=text)
            )
        return True

    def text_of(self, uri: str) -> str | None:
        known = self._open.get(uri)
        return known[1] if known else None

    async def published(self, uri: str, version: int | None) -> None:
        """Diagnostics arrived; they answer the last change unless they name an older version."""
        async with self._published:
            known = self._open.get(uri)
            if version is None or known is None or version >= known[0]:
                self._pending.discard(uri)
            self._published.notify_all()

    async def wait_for_diagnostics(self, uri: str, timeout: float) -> bool:
        """Wait until the server has published diagnostics for what it was last told of ``uri``;
        False when ``timeout`` seconds passed first."""
        async with self._published:
            try:
                await asyncio.wait_for(self._published.wait_for(lambda: uri not in self._pending), timeout)
            except TimeoutError:
                return False
        return True

    # -- requests ----------------------------------------------------------------------------

    def _require(self) -> LanguageClient:
        if self._client is None or not self.running:
            raise ServerError(f"LSP server {self.name!r} is not running")
        return self._client

    async def request(self, method: str, params: Any) -> Any:
        """Send ``method`` and wait at most the request timeout for its answer."""
        client = self._require()
        started = time.perf_counter()
        try:
            return await self._call(
                method, client.protocol.send_request_async(method, params), self.request_timeout
            )
        finally:
            self.request_seconds += time.perf_counter() - started

    async def _call(self, method: str, pending: Any, timeout: float) -> Any:
        started = time.monotonic()
        try:
            return await asyncio.wait_for(pending, timeout)
        except TimeoutError:
            raise ServerError(
                f"LSP server {self.name!r} did not answer {method} within {timeout:g}s"
            ) from None
        except RuntimeError as exc:  # pygls fails pending requests this way when the process exits
            if self.state in ("crashed", "starting") or "exited" in str(exc):
                await asyncio.sleep(0)  # let the exit handler record why
                raise ServerCrashed(
                    f"LSP server {self.name!r} crashed during {method}: {self.last_error or exc}"
                ) from None
            raise ServerError(f"LSP server {self.name!r}: {method} failed: {exc}") from None
        except Exception as exc:  # a JSON-RPC error answer
            elapsed = time.monotonic() - started
            raise ServerError(
                f"LSP server {self.name!r}: {method} failed after {elapsed:.1f}s: {exc}"
            ) from None


class _Client(LanguageClient):
    """pygls's client wired to a :class:`Server`: diagnostics, the server's requests, its exit."""

    def __init__(self, server: Server) -> None:
        super().__init__("claw", "1", converter_factory=_converter)
        self.owner = server

        @self.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def _diagnostics(params: t.PublishDiagnosticsParams) -> None:
            server.diagnostics[params.uri] = list(params.diagnostics)
            await server.published(params.uri, params.version)

        @self.feature(t.WORKSPACE_CONFIGURATION)
        def _configuration(params: t.ConfigurationParams) -> list[Any]:
            return [_section(server.config.settings, item.section) for item in params.items]

        @self.feature(t.WORKSPACE_APPLY_EDIT)
        def _apply_edit(_params: t.ApplyWorkspaceEditParams) -> t.ApplyWorkspaceEditResult:
            return t.ApplyWorkspaceEditResult(
                applied=False, failure_reason="claw does not apply server edits"
            )

        @self.feature(t.CLIENT_REGISTER_CAPABILITY)
        def _register(_params: Any) -> None:
            return None

        @self.feature(t.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def _progress(_params: Any) -> None:
            return None

        for method in (t.WINDOW_LOG_MESSAGE, t.WINDOW_SHOW_MESSAGE, t.PROGRESS, t.TELEMETRY_EVENT):
            self.feature(method)(_ignore)

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.owner.exited(server.returncode)


def _ignore(_params: Any) -> None:
    """Server chatter (log and progress messages) the model never needs."""


def _converter() -> Any:
    """pygls's converter plus the hook lsprotocol 2025.0.0 lacks for an *optional* notebook filter
    (``notebookDocumentSync`` from pylsp has ``cells`` without ``notebook``): without it, pylsp's
    ``initialize`` answer cannot be read at all."""
    import attrs
    from pygls.protocol import default_converter

    converter = default_converter()
    required = attrs.fields(t.NotebookCellTextDocumentFilter).notebook.type
    optional = attrs.fields(t.NotebookDocumentFilterWithCells).notebook.type
    converter.register_structure_hook(
        optional, lambda obj, _: None if obj is None else converter.structure(obj, required)
    )
    return converter


def _section(settings: dict[str, Any], section: str | None) -> Any:
    """The value under a dotted ``section`` of the configured settings (``python.analysis``)."""
    value: Any = settings
    for part in (section or "").split(".") if section else []:
        value = value.get(part) if isinstance(value, dict) else None
    return value
