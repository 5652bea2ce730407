"""Read on real files: text, unicode, CRLF, BOM, binary, huge, images, PDF, notebooks, directories."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import claw
import pytest
from claw_tools_files._read import ReadTool

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def ctx(workspace: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="s1")


def read(ctx: claw.ToolContext, **input: object) -> claw.ToolResult:
    try:
        return asyncio.run(ReadTool().run(dict(input), ctx))
    except claw.ToolError as exc:
        return claw.ToolResult.error(str(exc))


def test_numbered_lines_unicode(ctx, workspace):
    (workspace / "a.txt").write_text("héllo\nwörld ✓\n", encoding="utf-8")
    result = read(ctx, file_path="a.txt")
    assert not result.is_error
    assert result.content == "     1\théllo\n     2\twörld ✓"
    assert result.data["file"]["totalLines"] == 2


def test_offset_limit_and_past_end(ctx, workspace):
    (workspace / "n.txt").write_text("".join(f"line {i}\n" for i in range(1, 101)))
    result = read(ctx, file_path=str(workspace / "n.txt"), offset=10, limit=3)
    assert result.content.splitlines()[:3] == ["    10\tline 10", "    11\tline 11", "    12\tline 12"]
    assert "lines 10-12 of 100" in result.content
    past = read(ctx, file_path="n.txt", offset=500)
    assert past.is_error and "100 lines" in past.content


def test_default_limit_is_2000_lines(ctx, workspace):
    (workspace / "big.txt").write_text("x\n" * 2500)
    result = read(ctx, file_path="big.txt")
    assert result.data["file"]["numLines"] == 2000
    assert "lines 1-2000 of 2500" in result.content


def test_long_line_cut(ctx, workspace):
    (workspace / "long.txt").write_text("a" * 5000 + "\n")
    result = read(ctx, file_path="long.txt")
    assert "a" * 2000 + "... [line truncated: 3000 more characters]" in result.content


def test_crlf_and_bom(ctx, workspace):
    (workspace / "crlf.txt").write_bytes(b"one\r\ntwo\r\n")
    assert read(ctx, file_path="crlf.txt").content == "     1\tone\n     2\ttwo"
    (workspace / "bom.txt").write_bytes(b"\xef\xbb\xbfbom\n")
    assert read(ctx, file_path="bom.txt").content == "     1\tbom"
    (workspace / "u16.txt").write_bytes("\ufeffwide ✓\n".encode("utf-16-le"))
    assert read(ctx, file_path="u16.txt").content == "     1\twide ✓"
    (workspace / "latin.txt").write_bytes("café\n".encode("latin-1"))
    assert read(ctx, file_path="latin.txt").content == "     1\tcafé"


def test_binary_missing_directory_empty(ctx, workspace):
    (workspace / "bin.dat").write_bytes(b"\x00\x01\x02binary")
    result = read(ctx, file_path="bin.dat")
    assert result.is_error and "binary" in result.content
    missing = read(ctx, file_path="nope.txt")
    assert missing.is_error and "does not exist" in missing.content
    (workspace / "d").mkdir()
    directory = read(ctx, file_path="d")
    assert directory.is_error and "directory" in directory.content and "Glob" in directory.content
    (workspace / "empty.txt").write_text("")
    assert "empty" in read(ctx, file_path="empty.txt").content


def test_huge_file_needs_offset(ctx, workspace):
    (workspace / "huge.log").write_text("0123456789abcdef\n" * 40_000)  # ~680 KB
    result = read(ctx, file_path="huge.log")
    assert result.is_error and "offset and limit" in result.content
    part = read(ctx, file_path="huge.log", offset=39_999, limit=5)
    assert not part.is_error and part.content.startswith(" 39999\t0123456789abcdef")
    allowed = read(ctx, file_path="huge.log", allow_large=True)
    assert allowed.data["file"]["numLines"] == 2000


def test_symlink_is_followed(ctx, workspace):
    (workspace / "target.txt").write_text("real\n")
    (workspace / "link.txt").symlink_to(workspace / "target.txt")
    result = read(ctx, file_path="link.txt")
    assert result.content == "     1\treal"
    assert result.data["file"]["filePath"] == str(workspace / "target.txt")


def test_image_block(ctx, workspace):
    (workspace / "dot.png").write_bytes(PNG)
    result = read(ctx, file_path="dot.png")
    [block] = result.content
    assert block.type == "image" and block.source.media_type == "image/png"
    assert base64.b64decode(block.source.data) == PNG
    (workspace / "fake.jpg").write_text("not an image")
    assert read(ctx, file_path="fake.jpg").is_error


def _pdf(path: Path, pages: list[str]) -> None:
    """A minimal valid PDF with one text line per page, written by hand (offsets computed)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    font = 3 + 2 * len(pages)
    for i, text in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        stream = f"BT /F1 18 Tf 20 100 Td ({text}) Tj ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)


def test_pdf_pages(ctx, workspace):
    _pdf(workspace / "doc.pdf", ["Alpha page", "Beta page", "Gamma page"])
    whole = read(ctx, file_path="doc.pdf")
    assert "Alpha page" in whole.content and "Gamma page" in whole.content
    some = read(ctx, file_path="doc.pdf", pages="2-3")
    assert "Alpha" not in some.content and "--- page 2 of 3 ---\nBeta page" in some.content
    assert read(ctx, file_path="doc.pdf", pages="4").is_error
    assert read(ctx, file_path="doc.pdf", pages="x-y").is_error


def test_notebook_cells_and_outputs(ctx, workspace):
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"language_info": {"name": "python"}},
        "cells": [
            {"id": "intro", "cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "text"]},
            {
                "id": "calc",
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "source": "print(1 + 1)",
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["2\n"]},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": base64.b64encode(PNG).decode(), "text/plain": "<Figure>"},
                    },
                ],
            },
        ],
    }
    (workspace / "n.ipynb").write_text(json.dumps(nb))
    result = read(ctx, file_path="n.ipynb")
    blocks = result.content
    text = "".join(b.text for b in blocks if b.type == "text")
    assert '<cell id="intro" type="markdown">\n# Title\ntext\n</cell>' in text
    assert '<cell id="calc" type="code" language="python">\nprint(1 + 1)\n</cell>' in text
    assert '<output cell="calc">\n2\n</output>' in text
    assert any(b.type == "image" for b in blocks)


def test_access_is_read_of_resolved_path(ctx, workspace):
    tool = ReadTool()
    [access] = tool.access({"file_path": "sub/../x.txt"}, ctx)
    assert access.kind == "read" and access.path == str(workspace.resolve() / "x.txt")
    assert tool.spec.read_only and "read_file" in tool.spec.aliases
