"""``Glob``: file paths matching a pattern, newest first."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_tools_files import _specs
from claw_tools_files._specs import MAX_RESULTS
from claw_tools_files._walk import glob_base, walk


def search_root(input: Mapping[str, Any], ctx: claw.ToolContext) -> Path:
    value = input.get("path")
    return ctx.resolve(value) if isinstance(value, str) and value else ctx.workspace.resolve()


class GlobTool(claw.Tool):
    spec = _specs.GLOB

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return [claw.Access(kind="read", path=str(search_root(input, ctx)))]

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        pattern = input["pattern"]
        if not pattern:
            raise claw.ToolError("pattern must not be empty")
        root = search_root(input, ctx)
        base, rest = glob_base(pattern)
        if base:
            root = (root / base).resolve()
        if not root.is_dir():
            raise claw.ToolError(f"{root} is not a directory")
        matcher = claw.PathPattern(rest, anchored=True)
        # Without "**" (or braces that may hide a "/"), a pattern cannot match deeper than its own slashes.
        depth = None if "**" in rest or "{" in rest else rest.count("/")
        found: list[tuple[float, str]] = []
        for path, rel in walk(root, symlinks=True, max_depth=depth):
            if matcher.match(rel):
                try:
                    found.append((os.stat(path).st_mtime, path))
                except OSError:
                    continue
        found.sort(key=lambda item: (-item[0], item[1]))
        paths = [p for _, p in found[:MAX_RESULTS]]
        if not paths:
            text = "No files found"
        else:
            text = "\n".join(paths)
            if len(found) > MAX_RESULTS:
                text += f"\n(Results are truncated: {len(found)} files matched, showing the {MAX_RESULTS} newest. Use a more specific path or pattern.)"
        return claw.ToolResult(
            content=text,
            data={"filenames": paths, "numFiles": len(paths), "truncated": len(found) > MAX_RESULTS},
        )
