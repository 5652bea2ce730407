"""Turning LSP answers into what the model needs: ``path:line:col`` (1-based, relative to the
workspace) and the line's text, one result per line, capped. The LSP's own JSON (0-based positions,
``file://`` URIs, nested ranges) would cost tokens and invite off-by-one edits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types as t

#: Results listed at most; the rest are counted.
MAX_RESULTS = 100
#: Characters of a source line shown beside a location.
SNIPPET = 160
#: Characters of hover text kept.
HOVER_MAX = 4000

SEVERITY = {1: "error", 2: "warning", 3: "info", 4: "hint"}


def uri_path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def show_path(path: Path, workspace: Path) -> str:
    """Relative to the workspace when inside it, absolute otherwise (a library's source)."""
    try:
        return path.relative_to(workspace).as_posix()
    except ValueError:
        return str(path)


class Formatter:
    """Formats one answer; ``text_of(uri)`` gives the text the server was sent, else the file is read."""

    def __init__(self, workspace: Path, text_of: Callable[[str], str | None]) -> None:
        self.workspace = workspace
        self._text_of = text_of
        self._lines: dict[str, list[str]] = {}

    def _line(self, uri: str, line: int) -> str:
        if uri not in self._lines:
            text = self._text_of(uri)
            if text is None:
                try:
                    text = uri_path(uri).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = ""
            self._lines[uri] = text.splitlines()
        lines = self._lines[uri]
        return lines[line].strip()[:SNIPPET] if 0 <= line < len(lines) else ""

    def where(self, uri: str, pos: t.Position, *, snippet: bool = True) -> str:
        head = f"{show_path(uri_path(uri), self.workspace)}:{pos.line + 1}:{pos.character + 1}"
        text = self._line(uri, pos.line) if snippet else ""
        return f"{head}: {text}" if text else head

    def locations(self, found: Any, what: str) -> str:
        items = [found] if isinstance(found, t.Location | t.LocationLink) else list(found or [])
        if not items:
            return f"No {what} found."
        lines = []
        for item in items:
            if isinstance(item, t.LocationLink):
                lines.append(self.where(item.target_uri, item.target_selection_range.start))
            else:
                lines.append(self.where(item.uri, item.range.start))
        return _capped(f"{len(items)} {what}", lines)

    def hover(self, found: t.Hover | None) -> str:
        if found is None:
            return "No hover information."
        contents = found.contents
        parts: Sequence[Any] = contents if isinstance(contents, list) else [contents]
        texts = []
        for part in parts:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, t.MarkupContent):
                texts.append(part.value)
            else:  # MarkedString with a language
                texts.append(f"```{part.language}\n{part.value}\n```")
        text = "\n\n".join(x.strip() for x in texts if x.strip())
        if not text:
            return "No hover information."
        return text if len(text) <= HOVER_MAX else text[:HOVER_MAX] + "\n[hover text truncated]"

    def symbols(self, found: Any, uri: str | None) -> str:
        items = list(found or [])
        if not items:
            return "No symbols found."
        lines: list[str] = []

        def walk(symbol: t.DocumentSymbol, depth: int) -> None:
            kind = _kind(symbol.kind)
            lines.append(
                f"{'  ' * depth}{symbol.name} ({kind}) {self.where(uri or '', symbol.selection_range.start, snippet=False)}"
            )
            for child in symbol.children or []:
                walk(child, depth + 1)

        for item in items:
            if isinstance(item, t.DocumentSymbol):
                walk(item, 0)
            else:
                location = item.location
                start = (
                    location.range.start
                    if isinstance(location, t.Location)
                    else t.Position(line=0, character=0)
                )
                container = f" in {item.container_name}" if getattr(item, "container_name", None) else ""
                lines.append(
                    f"{item.name} ({_kind(item.kind)}{container}) {self.where(location.uri, start, snippet=False)}"
                )
        return _capped(f"{len(lines)} symbols", lines)

    def call_items(self, found: Any) -> str:
        items = list(found or [])
        if not items:
            return "No call hierarchy item at this position."
        return _capped(
            f"{len(items)} items",
            [f"{i.name} ({_kind(i.kind)}) {self.where(i.uri, i.selection_range.start)}" for i in items],
        )

    def calls(self, found: Any, incoming: bool) -> str:
        items = list(found or [])
        if not items:
            return f"No {'incoming' if incoming else 'outgoing'} calls found."
        lines = []
        for call in items:
            item = call.from_ if incoming else call.to
            ranges = call.from_ranges or [item.selection_range]
            # incoming: the call sites are in the caller's file; outgoing: in the file asked about
            sites = ", ".join(f"{r.start.line + 1}:{r.start.character + 1}" for r in ranges[:5])
            where = self.where(item.uri, item.selection_range.start)
            lines.append(f"{item.name} ({_kind(item.kind)}) {where} [calls at {sites}]")
        label = "callers" if incoming else "callees"
        return _capped(f"{len(items)} {label}", lines)

    def diagnostic(self, uri: str, d: t.Diagnostic) -> str:
        severity = SEVERITY.get(int(d.severity or 1), "error")
        source = f" [{d.source}]" if d.source else ""
        code = f" ({d.code})" if d.code not in (None, "") else ""
        head = f"{show_path(uri_path(uri), self.workspace)}:{d.range.start.line + 1}:{d.range.start.character + 1}"
        return f"{head}: {severity}: {d.message.strip()}{code}{source}"

    def diagnostics(self, uri: str, found: list[t.Diagnostic]) -> str:
        if not found:
            return "No diagnostics."
        ordered = sorted(found, key=lambda d: (int(d.severity or 1), d.range.start.line))
        return _capped(f"{len(found)} diagnostics", [self.diagnostic(uri, d) for d in ordered])


def _kind(kind: Any) -> str:
    try:
        return t.SymbolKind(kind).name
    except ValueError:
        return str(kind)


def _capped(title: str, lines: list[str]) -> str:
    shown = lines[:MAX_RESULTS]
    more = len(lines) - len(shown)
    tail = [f"... and {more} more"] if more else []
    return "\n".join([f"{title}:", *shown, *tail])
