"""The session's language servers: which one handles a file, the LSP tool's queries, diagnostics
after an edit, and shutdown at session end.

One :class:`~claw_lsp._server.Server` per configured server and workspace root, created when a file
of its languages is first asked about. A query whose server crashes mid-request is retried once on
the restarted server; a crash, restart or giving-up is logged and told to the model with the next
result.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lsprotocol import types as t

from claw_lsp._config import LspOptions, NamedServer, Resolved, options, resolve
from claw_lsp._format import Formatter
from claw_lsp._server import Server, ServerCrashed, ServerError

POSITION_OPS = (
    "goToDefinition",
    "findReferences",
    "hover",
    "goToImplementation",
    "prepareCallHierarchy",
    "incomingCalls",
    "outgoingCalls",
    "workspaceSymbol",
)

#: The server capability each operation needs (workspaceSymbol has a fallback, diagnostics are pushed).
CAPABILITY = {
    "goToDefinition": "definition_provider",
    "findReferences": "references_provider",
    "hover": "hover_provider",
    "documentSymbol": "document_symbol_provider",
    "goToImplementation": "implementation_provider",
    "prepareCallHierarchy": "call_hierarchy_provider",
    "incomingCalls": "call_hierarchy_provider",
    "outgoingCalls": "call_hierarchy_provider",
}


class LspManager:
    """The language servers of one session.

    :param workspace: the workspace root (every server's root; files outside it are refused).
    :param settings: the effective settings (``lspServers``, ``lsp``).
    :param env: the environment servers start in.
    :param trusted: whether the folder is trusted (its ``.lsp.json`` counts).
    """

    def __init__(
        self, workspace: Path, settings: Mapping[str, Any], env: Mapping[str, str], *, trusted: bool
    ) -> None:
        self.workspace = workspace.resolve()
        self.resolved: Resolved = resolve(self.workspace, settings, trusted=trusted)
        self.options: LspOptions = options(settings)
        self.env = dict(env)
        self.servers: dict[tuple[str, Path], Server] = {}
        #: Crash and restart reports not yet told to the model.
        self.notices: list[str] = []

    def _report(self, message: str) -> None:
        import claw

        claw.get_logger("claw.lsp").warning("lsp_server", message=message)
        self.notices.append(message)

    def _server(self, named: NamedServer) -> Server:
        key = (named.name, self.workspace)
        if key not in self.servers:
            self.servers[key] = Server(
                named, self.workspace, self.env, self.options.requestTimeout, self._report
            )
        return self.servers[key]

    def handler(self, path: Path) -> Server | None:
        named = self.resolved.for_path(path)
        return self._server(named) if named else None

    def inside(self, path: Path) -> bool:
        return path == self.workspace or self.workspace in path.parents

    # -- the LSP tool ------------------------------------------------------------------------

    async def query(self, operation: str, path: Path, line: int, character: int, query: str | None) -> str:
        """Answer one LSP tool call as text for the model; raises :class:`ServerError` on failure."""
        if not self.inside(path):
            raise ServerError(f"{path} is outside the workspace {self.workspace}")
        if not path.is_file():
            raise ServerError(f"{path} does not exist or is not a file")
        server = self.handler(path)
        if server is None:
            known = sorted({e for s in self.resolved.servers for e in s.config.extensionToLanguage})
            raise ServerError(
                f"no LSP server is configured for {path.suffix or path.name} files"
                + (f" (configured: {', '.join(known)})" if known else " (none configured: see lspServers)")
            )
        for attempt in (0, 1):
            try:
                await server.ensure_started()
                server.sync(path)
                answer = await self._ask(server, operation, path, line, character, query)
                break
            except ServerCrashed:
                if attempt:
                    raise
        notes, self.notices = self.notices, []
        return "\n".join([*(f"[{n}]" for n in notes), answer])

    async def _ask(
        self, server: Server, op: str, path: Path, line: int, character: int, query: str | None
    ) -> str:
        uri = path.as_uri()
        doc = t.TextDocumentIdentifier(uri=uri)
        fmt = Formatter(self.workspace, server.text_of)
        text = server.text_of(uri) or ""
        if op in POSITION_OPS and not (op == "workspaceSymbol" and query):
            lines = text.splitlines()
            if not 1 <= line <= max(len(lines), 1):
                raise ServerError(f"line {line} is outside {path.name} (it has {len(lines)} lines)")
        pos = t.Position(line=max(line - 1, 0), character=max(character - 1, 0))
        needed = CAPABILITY.get(op)
        caps = server.capabilities
        if needed and caps is not None and not getattr(caps, needed, None):
            raise ServerError(f"LSP server {server.name!r} does not support {op}")
        if op == "goToDefinition":
            found = await server.request(
                t.TEXT_DOCUMENT_DEFINITION, t.DefinitionParams(text_document=doc, position=pos)
            )
            return fmt.locations(found, "definitions")
        if op == "goToImplementation":
            found = await server.request(
                t.TEXT_DOCUMENT_IMPLEMENTATION, t.ImplementationParams(text_document=doc, position=pos)
            )
            return fmt.locations(found, "implementations")
        if op == "findReferences":
            found = await server.request(
                t.TEXT_DOCUMENT_REFERENCES,
                t.ReferenceParams(
                    text_document=doc, position=pos, context=t.ReferenceContext(include_declaration=True)
                ),
            )
            return fmt.locations(found, "references")
        if op == "hover":
            found = await server.request(
                t.TEXT_DOCUMENT_HOVER, t.HoverParams(text_document=doc, position=pos)
            )
            return fmt.hover(found)
        if op == "documentSymbol":
            found = await server.request(
                t.TEXT_DOCUMENT_DOCUMENT_SYMBOL, t.DocumentSymbolParams(text_document=doc)
            )
            return fmt.symbols(found, uri)
        if op == "workspaceSymbol":
            word = query or _word_at(text, pos)
            if not word:
                raise ServerError("workspaceSymbol needs a symbol name at line:character (or a query)")
            if server.capabilities is not None and not server.capabilities.workspace_symbol_provider:
                return fmt.symbols(await self._symbols_by_file(server, word), None)
            found = await server.request(t.WORKSPACE_SYMBOL, t.WorkspaceSymbolParams(query=word))
            return fmt.symbols(found, None)
        if op == "diagnostics":
            if not await server.wait_for_diagnostics(uri, self.options.requestTimeout):
                return (
                    f"LSP server {server.name!r} published no diagnostics for {path.name} within "
                    f"{self.options.requestTimeout:g}s (it may still be analysing the workspace)."
                )
            return fmt.diagnostics(uri, server.diagnostics.get(uri, []))
        items = await server.request(
            t.TEXT_DOCUMENT_PREPARE_CALL_HIERARCHY,
            t.CallHierarchyPrepareParams(text_document=doc, position=pos),
        )
        if op == "prepareCallHierarchy" or not items:
            return fmt.call_items(items)
        if op == "incomingCalls":
            found = await server.request(
                t.CALL_HIERARCHY_INCOMING_CALLS, t.CallHierarchyIncomingCallsParams(item=items[0])
            )
            return fmt.calls(found, incoming=True)
        found = await server.request(
            t.CALL_HIERARCHY_OUTGOING_CALLS, t.CallHierarchyOutgoingCallsParams(item=items[0])
        )
        return fmt.calls(found, incoming=False)

    async def _symbols_by_file(self, server: Server, word: str) -> list[t.SymbolInformation]:
        """workspaceSymbol for a server without ``workspace/symbol`` (pylsp): each workspace file of
        its languages (at most :data:`MAX_SCAN_FILES`) is asked for its symbols, matched by name."""
        wanted = word.lower()
        found: list[t.SymbolInformation] = []
        for path in _workspace_files(self.workspace, set(server.config.extensionToLanguage)):
            server.sync(path)
            uri = path.as_uri()
            symbols = await server.request(
                t.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
                t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri)),
            )
            for symbol in _flatten(symbols or [], uri):
                if wanted in symbol.name.lower():
                    found.append(symbol)
        return found

    # -- diagnostics after edits -------------------------------------------------------------

    async def after_edit(self, path: Path) -> str | None:
        """New errors in ``path`` after an edit, for the edit's result; ``None`` when nothing to add.

        Only a server that already runs is told (an edit never starts one). Errors the file had
        before the edit are not repeated: they are matched by message, source and code, counted, so
        line shifts do not make old errors look new."""
        if not self.options.diagnosticsAfterEdit or not self.inside(path) or not path.is_file():
            return None
        server = self.handler(path)
        if server is None or not server.running:
            return None
        uri = path.as_uri()
        before = Counter(_key(d) for d in server.diagnostics.get(uri, []) if _is_error(d))
        try:
            server.sync(path, save=True)
        except (ServerError, OSError):
            return None
        if not await server.wait_for_diagnostics(uri, self.options.diagnosticsWaitMs / 1000):
            return None
        after = server.diagnostics.get(uri, [])
        new = []
        for d in after:
            if not _is_error(d):
                continue
            if before[_key(d)] > 0:
                before[_key(d)] -= 1
            else:
                new.append(d)
        if not new:
            return None
        fmt = Formatter(self.workspace, server.text_of)
        lines = [fmt.diagnostic(uri, d) for d in new]
        return "\n".join(
            [
                f"<new-diagnostics>\n{server.name} reports {len(new)} new error(s) after this edit:",
                *lines,
                "</new-diagnostics>",
            ]
        )

    async def shutdown(self) -> None:
        """Shut every started server down cleanly, in parallel."""
        await asyncio.gather(*(s.shutdown() for s in self.servers.values()), return_exceptions=True)


#: Files a workspaceSymbol fallback scan opens at most.
MAX_SCAN_FILES = 300
#: Directories the scan never enters.
SKIP_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build", "dist"}


def _workspace_files(root: Path, extensions: set[str]) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if Path(name).suffix.lower() in extensions:
                found.append(Path(folder) / name)
                if len(found) >= MAX_SCAN_FILES:
                    return found
    return found


def _flatten(symbols: Any, uri: str, container: str | None = None) -> list[t.SymbolInformation]:
    """Document symbols (nested or flat) as flat SymbolInformation, keeping the container's name."""
    out: list[t.SymbolInformation] = []
    for symbol in symbols:
        if isinstance(symbol, t.SymbolInformation):
            out.append(symbol)
            continue
        out.append(
            t.SymbolInformation(
                name=symbol.name,
                kind=symbol.kind,
                location=t.Location(uri=uri, range=symbol.selection_range),
                container_name=container,
            )
        )
        out.extend(_flatten(symbol.children or [], uri, symbol.name))
    return out


def _is_error(d: t.Diagnostic) -> bool:
    return int(d.severity or 1) == 1


def _key(d: t.Diagnostic) -> tuple[str, str, str]:
    return (d.message.strip(), d.source or "", str(d.code or ""))


def _word_at(text: str, pos: t.Position) -> str:
    lines = text.splitlines()
    if not 0 <= pos.line < len(lines):
        return ""
    line = lines[pos.line]
    start = end = min(pos.character, len(line))
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] == "_"):
        start -= 1
    while end < len(line) and (line[end].isalnum() or line[end] == "_"):
        end += 1
    return line[start:end]
