"""``Read``: text with line numbers, images as image blocks, PDF text by page, notebooks by cell."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_tools_files import _specs
from claw_tools_files._paths import named_path, path_access
from claw_tools_files._specs import DEFAULT_LIMIT, MAX_LINE_CHARS, MAX_TEXT_BYTES
from claw_tools_files._textfile import decode, is_binary, remember

#: Nothing larger is read at all.
HARD_MAX_BYTES = 64 * 1024 * 1024
#: The Messages API refuses bigger images.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: Pages one call may return from a PDF.
MAX_PDF_PAGES = 20

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _image_type(data: bytes) -> str | None:
    for magic, media in _IMAGE_MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def number(lines: list[str], first: int) -> str:
    """``cat -n`` layout: the line number right-aligned in six columns, a tab, the (capped) line."""
    out = []
    for i, line in enumerate(lines, first):
        if len(line) > MAX_LINE_CHARS:
            line = (
                f"{line[:MAX_LINE_CHARS]}... [line truncated: {len(line) - MAX_LINE_CHARS} more characters]"
            )
        out.append(f"{i:6}\t{line}")
    return "\n".join(out)


def parse_pages(spec: str, count: int) -> list[int]:
    """``"1-3,7"`` -> ``[0, 1, 2, 6]`` (zero-based), checked against the document's page count."""
    pages: list[int] = []
    for part in spec.replace(" ", "").split(","):
        if not part:
            continue
        try:
            if "-" in part:
                lo_s, hi_s = part.split("-", 1)
                lo, hi = int(lo_s), int(hi_s) if hi_s else count
            else:
                lo = hi = int(part)
        except ValueError:
            raise claw.ToolError(f'invalid pages "{spec}"; use numbers and ranges like "1-5,8"') from None
        if lo < 1 or hi < lo or hi > count:
            raise claw.ToolError(f'pages "{spec}" is out of range: the document has {count} pages')
        pages.extend(range(lo - 1, hi))
    if not pages:
        raise claw.ToolError(f'invalid pages "{spec}"')
    return pages


class ReadTool(claw.Tool):
    spec = _specs.READ

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return path_access(input, ctx, "read")

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        path = named_path(input, ctx)
        if path.is_dir():
            raise claw.ToolError(f"{path} is a directory, not a file; use Glob or Bash (ls) to list it")
        if not path.exists():
            raise claw.ToolError(f"{path} does not exist")
        size = path.stat().st_size
        if size > HARD_MAX_BYTES:
            raise claw.ToolError(
                f"{path} is {size // (1024 * 1024)} MB, too large to read; use Grep or Bash (head, sed -n) on it"
            )
        suffix = path.suffix.lower()
        data = path.read_bytes()
        if suffix in _IMAGE_SUFFIXES or _image_type(data[:16]):
            result = self._image(path, data)
        elif suffix == ".pdf" or data.startswith(b"%PDF-"):
            result = self._pdf(path, input.get("pages"))
        elif suffix == ".ipynb":
            result = self._notebook(path, data)
        else:
            result = self._text(path, data, input)
        remember(ctx, path)
        return result

    def _text(self, path: Path, data: bytes, input: Mapping[str, Any]) -> claw.ToolResult:
        if is_binary(data):
            raise claw.ToolError(
                f"{path} is a binary file ({len(data)} bytes); it cannot be shown as text (try Bash: file, xxd)"
            )
        offset, limit = input.get("offset"), input.get("limit")
        if len(data) > MAX_TEXT_BYTES and offset is None and limit is None and not input.get("allow_large"):
            raise claw.ToolError(
                f"{path} is {len(data) // 1024} KB, over the {MAX_TEXT_BYTES // 1024} KB limit for a whole-file "
                "read; pass offset and limit to read part of it, or use Grep to find what you need"
            )
        text = decode(data).text
        if not text:
            return claw.ToolResult(
                content=f"{path} exists but is empty.",
                data={"type": "text", "file": {"filePath": str(path), "numLines": 0, "totalLines": 0}},
            )
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        total = len(lines)
        start = max(int(offset or 1), 1)
        count = int(limit or DEFAULT_LIMIT)
        if start > total:
            raise claw.ToolError(f"{path} has {total} lines; offset {start} is past the end")
        chunk = lines[start - 1 : start - 1 + count]
        body = number(chunk, start)
        end = start + len(chunk) - 1
        if start > 1 or end < total:
            body += f"\n\n(lines {start}-{end} of {total}; use offset and limit to read more)"
        return claw.ToolResult(
            content=body,
            data={
                "type": "text",
                "file": {
                    "filePath": str(path),
                    "content": "\n".join(chunk),
                    "numLines": len(chunk),
                    "startLine": start,
                    "totalLines": total,
                },
            },
        )

    def _image(self, path: Path, data: bytes) -> claw.ToolResult:
        media = _image_type(data[:16])
        if media is None:
            raise claw.ToolError(f"{path} has an image name but is not a png, jpeg, gif or webp image")
        if len(data) > MAX_IMAGE_BYTES:
            raise claw.ToolError(
                f"{path} is a {len(data) // 1024} KB image, over the {MAX_IMAGE_BYTES // (1024 * 1024)} MB limit"
            )
        block = claw.ImageBlock(
            source=claw.ImageSource(media_type=media, data=base64.b64encode(data).decode("ascii"))
        )
        return claw.ToolResult(
            content=[block],
            data={"type": "image", "file": {"filePath": str(path), "type": media, "originalSize": len(data)}},
        )

    def _pdf(self, path: Path, pages_spec: Any) -> claw.ToolResult:
        pypdf = claw.require("pypdf", dist="claw-tools-files")  # imported lazily: start-up time
        try:
            reader = pypdf.PdfReader(str(path))
            count = len(reader.pages)
        except Exception as exc:  # pypdf raises many types for damaged files
            raise claw.ToolError(f"{path} could not be read as a PDF: {exc}") from None
        if pages_spec:
            pages = parse_pages(str(pages_spec), count)
        elif count <= MAX_PDF_PAGES:
            pages = list(range(count))
        else:
            raise claw.ToolError(
                f'{path} has {count} pages; pass pages (e.g. "1-{MAX_PDF_PAGES}") to read up to '
                f"{MAX_PDF_PAGES} at a time"
            )
        if len(pages) > MAX_PDF_PAGES:
            raise claw.ToolError(f"at most {MAX_PDF_PAGES} pages per call; asked for {len(pages)}")
        parts = []
        for i in pages:
            try:
                text = reader.pages[i].extract_text() or ""
            except Exception as exc:
                text = f"[text of this page could not be extracted: {exc}]"
            parts.append(f"--- page {i + 1} of {count} ---\n{text.strip() or '[no text on this page]'}")
        return claw.ToolResult(
            content="\n\n".join(parts),
            data={
                "type": "pdf",
                "file": {"filePath": str(path), "pages": [p + 1 for p in pages], "totalPages": count},
            },
        )

    def _notebook(self, path: Path, data: bytes) -> claw.ToolResult:
        try:
            nb = json.loads(data.decode("utf-8-sig"))
            cells = nb["cells"]
        except (ValueError, KeyError, TypeError):
            raise claw.ToolError(f"{path} is not a valid Jupyter notebook (no cells list)") from None
        language = ((nb.get("metadata") or {}).get("language_info") or {}).get("name", "python")
        blocks: list[claw.TextBlock | claw.ImageBlock] = []
        text: list[str] = []
        for i, cell in enumerate(cells):
            cell_id = cell.get("id") or f"cell-{i}"
            kind = cell.get("cell_type", "code")
            source = _joined(cell.get("source"))
            lang = f' language="{language}"' if kind == "code" else ""
            text.append(f'<cell id="{cell_id}" type="{kind}"{lang}>\n{source}\n</cell>')
            for out in cell.get("outputs") or []:
                rendered, image = _output(out)
                if rendered:
                    text.append(f'<output cell="{cell_id}">\n{rendered}\n</output>')
                if image:
                    blocks.append(claw.TextBlock(text="\n".join(text)))
                    text = []
                    blocks.append(image)
        if text or not blocks:
            blocks.append(claw.TextBlock(text="\n".join(text) or f"{path} has no cells."))
        content: str | list[claw.TextBlock | claw.ImageBlock] = (
            blocks[0].text if len(blocks) == 1 and isinstance(blocks[0], claw.TextBlock) else blocks
        )
        return claw.ToolResult(
            content=content, data={"type": "notebook", "file": {"filePath": str(path), "cells": len(cells)}}
        )


def _joined(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _output(out: Mapping[str, Any]) -> tuple[str, claw.ImageBlock | None]:
    """One notebook output as text, plus an image block for ``image/png``/``image/jpeg`` data."""
    kind = out.get("output_type")
    if kind == "stream":
        return _joined(out.get("text")).rstrip("\n"), None
    if kind == "error":
        return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}", None
    data = out.get("data") or {}
    image = None
    for media in ("image/png", "image/jpeg"):
        if media in data:
            image = claw.ImageBlock(
                source=claw.ImageSource(media_type=media, data=_joined(data[media]).strip())
            )
            break
    return _joined(data.get("text/plain")).rstrip("\n"), image
