"""``Grep``: regex search over files, with ripgrep's options and output shapes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_tools_files import _specs
from claw_tools_files._glob import search_root
from claw_tools_files._search import FileHits, Query, search

#: Characters of output returned at most; the rest is cut with a notice.
MAX_OUTPUT_CHARS = 30_000


def _int(input: Mapping[str, Any], key: str) -> int:
    return int(input.get(key) or 0)  # the schema holds it to a non-negative number


def query_from(input: Mapping[str, Any], ctx: claw.ToolContext) -> Query:
    pattern = input["pattern"]
    if not pattern:
        raise claw.ToolError("pattern must not be empty")
    mode = input.get("output_mode") or "files_with_matches"
    root = search_root(input, ctx)
    if not root.exists():
        raise claw.ToolError(f"{root} does not exist")
    context = _int(input, "-C")
    return Query(
        pattern=pattern,
        root=root,
        mode=mode,
        glob=input.get("glob") or None,
        type=input.get("type") or None,
        ignore_case=bool(input.get("-i")),
        multiline=bool(input.get("multiline")),
        before=_int(input, "-B") or context,
        after=_int(input, "-A") or context,
    )


def _shown(path: str, workspace: Path) -> str:
    """Paths inside the workspace are shown relative to it (shorter, and Read accepts them)."""
    prefix = f"{workspace}{os.sep}"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _content_lines(hits: list[FileHits], workspace: Path, numbers: bool, context: bool) -> list[str]:
    out: list[str] = []
    for file in hits:
        shown = _shown(file.path, workspace)
        previous = None
        for number, text, is_match in file.lines:
            if context and out and (previous is None or number > previous + 1):
                out.append("--")
            sep = ":" if is_match else "-"
            out.append(f"{shown}{sep}{number}{sep}{text}" if numbers else f"{shown}{sep}{text}")
            previous = number
    return out


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def render(hits: list[FileHits], query: Query, input: Mapping[str, Any], workspace: Path) -> claw.ToolResult:
    """Format engine results the way the model sees them (both engines go through here)."""
    limit = _int(input, "head_limit") or None
    if query.mode == "files_with_matches":
        hits.sort(key=lambda h: (-_mtime(h.path), h.path))
        names = [_shown(h.path, workspace) for h in hits]
        shown = names[:limit]
        if not shown:
            return claw.ToolResult(
                content="No files found", data={"mode": query.mode, "numFiles": 0, "filenames": []}
            )
        text = f"Found {len(names)} file{'s' if len(names) != 1 else ''}\n" + "\n".join(shown)
        if limit and len(names) > limit:
            text += f"\n(showing the first {limit} of {len(names)} files: head_limit)"
        data = {"mode": query.mode, "numFiles": len(names), "filenames": shown}
        return _capped(text, data)
    hits.sort(key=lambda h: h.path)
    if query.mode == "count":
        entries = [f"{_shown(h.path, workspace)}:{h.count}" for h in hits]
        total = sum(h.count for h in hits)
        if not entries:
            return claw.ToolResult(
                content="No matches found", data={"mode": query.mode, "numMatches": 0, "numFiles": 0}
            )
        body = "\n".join(entries[:limit])
        if limit and len(entries) > limit:
            body += f"\n(showing the first {limit} of {len(entries)} files: head_limit)"
        unit = "matches" if query.multiline else "matching lines"
        text = f"{body}\n\nFound {total} {unit} in {len(hits)} file{'s' if len(hits) != 1 else ''}"
        return _capped(text, {"mode": query.mode, "numMatches": total, "numFiles": len(hits)})
    numbers = input.get("-n", True) is not False
    lines = _content_lines(hits, workspace, numbers, bool(query.before or query.after))
    if not lines:
        return claw.ToolResult(
            content="No matches found", data={"mode": query.mode, "numLines": 0, "numFiles": 0}
        )
    text = "\n".join(lines[:limit])
    if limit and len(lines) > limit:
        text += f"\n(showing the first {limit} of {len(lines)} lines: head_limit)"
    return _capped(text, {"mode": query.mode, "numLines": len(lines), "numFiles": len(hits)})


def _capped(text: str, data: dict[str, Any]) -> claw.ToolResult:
    if len(text) > MAX_OUTPUT_CHARS:
        cut = text.rfind("\n", 0, MAX_OUTPUT_CHARS)
        text = text[: cut if cut > 0 else MAX_OUTPUT_CHARS]
        text += f"\n(output truncated at {MAX_OUTPUT_CHARS} characters; narrow the search with path, glob, type or head_limit)"
        data["truncated"] = True
    return claw.ToolResult(content=text, data=data)


class GrepTool(claw.Tool):
    spec = _specs.GREP

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return [claw.Access(kind="read", path=str(search_root(input, ctx)))]

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        query = query_from(input, ctx)
        engine = "python" if ctx.env.get("CLAW_GREP_ENGINE") == "python" else "auto"
        hits = await asyncio.to_thread(search, query, engine=engine)
        return render(hits, query, input, ctx.workspace.resolve())
