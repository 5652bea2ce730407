"""``Write``, ``Edit`` and ``MultiEdit``: change files the session has read, atomically."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_tools_files import _specs
from claw_tools_files._paths import named_path, path_access
from claw_tools_files._textfile import TextFile, check_fresh, load, remember, structured_patch

#: How Read shows a byte that is not UTF-8 (``claw.model_text``).
REPLACEMENT = "\ufffd"


def _target(input: Mapping[str, Any], ctx: claw.ToolContext) -> Path:
    """The file a write goes to (the kernel checked the input's shape against the schema)."""
    path = named_path(input, ctx)
    if path.is_dir():
        raise claw.ToolError(f"{path} is a directory")
    return path


def _snippet(text: str, around: int, context: int = 3) -> str:
    """Numbered lines around character offset ``around``, to show the model what the edit produced."""
    line = text.count("\n", 0, around)
    lines = text.split("\n")
    start, end = max(0, line - context), min(len(lines), line + context + 1)
    return "\n".join(f"{n + 1:6}\t{lines[n]}" for n in range(start, end))


class WriteTool(claw.Tool):
    spec = _specs.WRITE

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return path_access(input, ctx, "write")

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        path = _target(input, ctx)
        content = input["content"]
        if path.exists():
            check_fresh(ctx, path)
            original = load(path)
            kind = "update"
        else:
            original = TextFile("")
            kind = "create"
        try:
            data = original.encode(content)
        except UnicodeEncodeError:  # e.g. a Latin-1 file given characters Latin-1 cannot hold
            data = TextFile("", "utf-8", original.newline).encode(content)
        claw.atomic_write(path, data)
        remember(ctx, path)
        verb = "Created" if kind == "create" else "Wrote"
        lines = content.count("\n") + (0 if content.endswith("\n") or not content else 1)
        return claw.ToolResult(
            content=f"{verb} {path} ({lines} lines)",
            data={
                "type": kind,
                "filePath": str(path),
                "content": content,
                "structuredPatch": structured_patch(original.text, content) if kind == "update" else [],
                "originalFile": original.text if kind == "update" else None,
            },
        )


def _apply(text: str, old: str, new: str, replace_all: bool, label: str = "") -> tuple[str, int, int]:
    """Apply one replacement; returns (new text, replacements, offset of the first one)."""
    if old == new:
        raise claw.ToolError(f"{label}old_string and new_string are identical; nothing would change")
    if old == "":
        if text:
            raise claw.ToolError(
                f"{label}old_string is empty but the file is not; use Write to replace a whole file"
            )
        return new, 1, 0
    count = text.count(old)
    if count == 0 and REPLACEMENT in old:
        old, new = _escaped(text, old, new)
        count = text.count(old)
    if count == 0:
        raise claw.ToolError(
            f"{label}old_string was not found in the file; it must match exactly, including whitespace "
            "and indentation (do not include the line-number prefix Read shows)"
        )
    if count > 1 and not replace_all:
        raise claw.ToolError(
            f"{label}old_string matched {count} times; add surrounding lines to make it unique, "
            "or set replace_all to true to replace every occurrence"
        )
    first = text.index(old)
    return (
        (text.replace(old, new) if replace_all else text.replace(old, new, 1)),
        count if replace_all else 1,
        first,
    )


def _escaped(text: str, old: str, new: str) -> tuple[str, str]:
    """``old``/``new`` as they apply to a file with bytes that are not UTF-8: Read showed each run of
    them as U+FFFD, the file text holds them as surrogate escapes. Each U+FFFD of ``old`` matches such a
    run; the U+FFFDs of ``new``, when there are as many, stand for the same bytes, so they are kept."""
    parts = old.split(REPLACEMENT)
    pattern = "([\udc80-\udcff]+|\ufffd)".join(re.escape(p) for p in parts)
    match = re.search(pattern, text)
    if match is None:
        return old, new
    runs = match.groups()
    pieces = new.split(REPLACEMENT)
    if len(pieces) == len(parts):
        new = "".join(p + (runs[i] if i < len(runs) else "") for i, p in enumerate(pieces))
    return match[0], new


def _encoded(file: TextFile, text: str) -> bytes:
    try:
        return file.encode(text)
    except UnicodeEncodeError as exc:
        raise claw.ToolError(
            f"{text[exc.start : exc.end]!r} cannot be written in this {file.encoding} file without "
            "re-encoding it; use Write to replace the whole file (it becomes UTF-8)"
        ) from None


def _open_for_edit(path: Path, ctx: claw.ToolContext, creating: bool) -> TextFile:
    if not path.exists():
        if creating:
            return TextFile("")
        raise claw.ToolError(f"{path} does not exist (use an empty old_string to create a new file)")
    check_fresh(ctx, path)
    return load(path)


def _normalise(file: TextFile, s: str) -> str:
    """Edits of a CRLF file are matched against its LF form."""
    return s.replace("\r\n", "\n") if file.newline == "\r\n" else s


class EditTool(claw.Tool):
    spec = _specs.EDIT

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return path_access(input, ctx, "write")

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        path = _target(input, ctx)
        old, new = input["old_string"], input["new_string"]
        file = _open_for_edit(path, ctx, creating=old == "")
        old, new = _normalise(file, old), _normalise(file, new)
        text, count, at = _apply(file.text, old, new, bool(input.get("replace_all")))
        claw.atomic_write(path, _encoded(file, text))
        remember(ctx, path)
        what = f"{count} occurrences replaced" if count > 1 else "1 replacement"
        return claw.ToolResult(
            content=f"Edited {path} ({what}). Result around the edit:\n{_snippet(text, at + len(new) // 2)}",
            data={
                "filePath": str(path),
                "oldString": old,
                "newString": new,
                "replaceAll": bool(input.get("replace_all")),
                "replacements": count,
                "originalFile": file.text,
                "structuredPatch": structured_patch(file.text, text),
            },
        )


class MultiEditTool(claw.Tool):
    spec = _specs.MULTI_EDIT

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return path_access(input, ctx, "write")

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        path = _target(input, ctx)
        edits = input["edits"]
        file = _open_for_edit(path, ctx, creating=edits[0]["old_string"] == "")
        text, total = file.text, 0
        for i, edit in enumerate(edits, 1):
            label = f"edit {i} of {len(edits)}: "
            try:
                old, new = _normalise(file, edit["old_string"]), _normalise(file, edit["new_string"])
                text, count, _ = _apply(text, old, new, bool(edit.get("replace_all")), label)
            except claw.ToolError as exc:
                raise claw.ToolError(f"{exc}; no edit was applied") from None
            total += count
        claw.atomic_write(path, _encoded(file, text))
        remember(ctx, path)
        return claw.ToolResult(
            content=f"Applied {len(edits)} edits ({total} replacements) to {path}",
            data={
                "filePath": str(path),
                "edits": edits,
                "replacements": total,
                "originalFileContents": file.text,
                "structuredPatch": structured_patch(file.text, text),
            },
        )
