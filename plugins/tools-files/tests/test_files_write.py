"""Write, Edit, MultiEdit and NotebookEdit on real files: encodings, line endings, atomicity,
read-before-write, match counts and all-or-nothing edits."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import claw
import pytest
from claw.testing import call_tool as call
from claw_tools_files._notebook import NotebookEditTool
from claw_tools_files._read import ReadTool
from claw_tools_files._write import EditTool, MultiEditTool, WriteTool


@pytest.fixture
def ctx(workspace: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="s1")


def read(ctx, path):
    result = call(ReadTool(), ctx, file_path=str(path))
    assert not result.is_error, result.content
    return result


def test_write_new_file_creates_parents(ctx, workspace):
    result = call(WriteTool(), ctx, file_path="a/b/new.txt", content="hi ✓\n")
    assert not result.is_error and result.data["type"] == "create"
    assert (workspace / "a/b/new.txt").read_bytes() == "hi ✓\n".encode()
    assert not list((workspace / "a/b").glob(".*.tmp"))


def test_write_existing_requires_read_and_freshness(ctx, workspace):
    f = workspace / "f.txt"
    f.write_text("old\n")
    refused = call(WriteTool(), ctx, file_path="f.txt", content="new\n")
    assert refused.is_error and "has not been read" in refused.content
    assert f.read_text() == "old\n"
    read(ctx, f)
    f.write_text("changed by someone else\n")
    os.utime(f, ns=(1, 1))
    stale = call(WriteTool(), ctx, file_path="f.txt", content="new\n")
    assert stale.is_error and "changed since it was last read" in stale.content
    read(ctx, f)
    assert not call(WriteTool(), ctx, file_path="f.txt", content="new\n").is_error
    assert f.read_text() == "new\n"
    # Our own write refreshed the stamp: a second change needs no new Read.
    assert not call(EditTool(), ctx, file_path="f.txt", old_string="new", new_string="newer").is_error


def test_write_keeps_crlf_encoding_and_mode(ctx, workspace):
    f = workspace / "w.txt"
    f.write_bytes("\ufeffa\r\nb\r\n".encode("utf-16-le"))
    f.chmod(0o750)
    read(ctx, f)
    assert not call(WriteTool(), ctx, file_path="w.txt", content="x ✓\ny\n").is_error
    assert f.read_bytes() == "\ufeffx ✓\r\ny\r\n".encode("utf-16-le")
    assert stat.S_IMODE(f.stat().st_mode) == 0o750


def test_write_latin1_falls_back_to_utf8_for_new_characters(ctx, workspace):
    f = workspace / "l.txt"
    f.write_bytes("café\n".encode("latin-1"))
    read(ctx, f)
    call(WriteTool(), ctx, file_path="l.txt", content="café\n")
    assert f.read_bytes() == "café\n".encode("latin-1")
    read(ctx, f)
    call(WriteTool(), ctx, file_path="l.txt", content="snow ☃\n")
    assert f.read_text(encoding="utf-8") == "snow ☃\n"


def test_write_through_symlink_replaces_target(ctx, workspace):
    target = workspace / "t.txt"
    target.write_text("t\n")
    (workspace / "l.txt").symlink_to(target)
    read(ctx, workspace / "l.txt")
    assert not call(WriteTool(), ctx, file_path="l.txt", content="via link\n").is_error
    assert (workspace / "l.txt").is_symlink()
    assert target.read_text() == "via link\n"


def test_edit_unique_match_crlf_preserved(ctx, workspace):
    f = workspace / "e.py"
    f.write_bytes(b"def f():\r\n    return 1\r\n\r\ndef g():\r\n    return 2\r\n")
    read(ctx, f)
    result = call(
        EditTool(), ctx, file_path="e.py", old_string="    return 1\n", new_string="    return 10\n"
    )
    assert not result.is_error, result.content
    assert f.read_bytes() == b"def f():\r\n    return 10\r\n\r\ndef g():\r\n    return 2\r\n"
    assert "return 10" in result.content
    assert result.data["structuredPatch"] == [
        {
            "oldStart": 1,
            "oldLines": 5,
            "newStart": 1,
            "newLines": 5,
            "lines": [" def f():", "-    return 1", "+    return 10", " ", " def g():", "     return 2"],
        }
    ]


def test_edit_matching_twice_says_how_many(ctx, workspace):
    f = workspace / "twice.txt"
    f.write_text("x = 1\nx = 1\n")
    read(ctx, f)
    result = call(EditTool(), ctx, file_path="twice.txt", old_string="x = 1", new_string="x = 2")
    assert result.is_error and "old_string matched 2 times" in result.content
    assert f.read_text() == "x = 1\nx = 1\n"
    done = call(
        EditTool(), ctx, file_path="twice.txt", old_string="x = 1", new_string="x = 2", replace_all=True
    )
    assert not done.is_error and done.data["replacements"] == 2
    assert f.read_text() == "x = 2\nx = 2\n"


def test_edit_rejections(ctx, workspace):
    f = workspace / "r.txt"
    f.write_text("alpha\n")
    assert (
        "has not been read"
        in call(EditTool(), ctx, file_path="r.txt", old_string="alpha", new_string="b").content
    )
    read(ctx, f)
    same = call(EditTool(), ctx, file_path="r.txt", old_string="alpha", new_string="alpha")
    assert same.is_error and "identical" in same.content
    missing = call(EditTool(), ctx, file_path="r.txt", old_string="beta", new_string="b")
    assert missing.is_error and "not found" in missing.content
    nofile = call(EditTool(), ctx, file_path="none.txt", old_string="a", new_string="b")
    assert nofile.is_error and "does not exist" in nofile.content
    (workspace / "bin").write_bytes(b"\0\0\0")
    read_bin = call(ReadTool(), ctx, file_path="bin")
    assert read_bin.is_error


def test_edit_empty_old_string_creates_file(ctx, workspace):
    result = call(EditTool(), ctx, file_path="created.txt", old_string="", new_string="fresh\n")
    assert not result.is_error
    assert (workspace / "created.txt").read_text() == "fresh\n"


def test_multiedit_all_or_nothing(ctx, workspace):
    f = workspace / "m.txt"
    f.write_text("one two three\n")
    read(ctx, f)
    bad = call(
        MultiEditTool(),
        ctx,
        file_path="m.txt",
        edits=[{"old_string": "one", "new_string": "1"}, {"old_string": "missing", "new_string": "x"}],
    )
    assert bad.is_error and "edit 2 of 2" in bad.content and "no edit was applied" in bad.content
    assert f.read_text() == "one two three\n"
    good = call(
        MultiEditTool(),
        ctx,
        file_path="m.txt",
        edits=[
            {"old_string": "one", "new_string": "1"},
            {"old_string": "1 two", "new_string": "1 2"},
            {"old_string": "e", "new_string": "E", "replace_all": True},
        ],
    )
    assert not good.is_error, good.content
    assert f.read_text() == "1 2 thrEE\n"


def test_access_and_flags(ctx, workspace):
    for tool in (WriteTool(), EditTool(), MultiEditTool()):
        [access] = tool.access({"file_path": "../outside.txt"}, ctx)
        assert access.kind == "write" and access.path == str(workspace.resolve().parent / "outside.txt")
        assert not tool.spec.read_only
    [nb] = NotebookEditTool().access({"notebook_path": "n.ipynb"}, ctx)
    assert nb.kind == "write"


def _notebook(path: Path) -> None:
    path.write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [
                    {
                        "id": "a1",
                        "cell_type": "code",
                        "metadata": {},
                        "execution_count": 3,
                        "source": ["x = 1\n", "x"],
                        "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}],
                    },
                    {"id": "b2", "cell_type": "markdown", "metadata": {}, "source": "notes"},
                ],
            }
        )
    )


def test_notebook_replace_insert_delete(ctx, workspace):
    nb = workspace / "n.ipynb"
    _notebook(nb)
    assert (
        "has not been read"
        in call(NotebookEditTool(), ctx, notebook_path="n.ipynb", cell_id="a1", new_source="y").content
    )
    read(ctx, nb)
    assert not call(
        NotebookEditTool(), ctx, notebook_path="n.ipynb", cell_id="a1", new_source="y = 2\ny"
    ).is_error
    cells = json.loads(nb.read_text())["cells"]
    assert (
        cells[0]["source"] == ["y = 2\n", "y"]
        and cells[0]["outputs"] == []
        and cells[0]["execution_count"] is None
    )
    inserted = call(
        NotebookEditTool(),
        ctx,
        notebook_path="n.ipynb",
        cell_id="a1",
        new_source="# mid",
        cell_type="markdown",
        edit_mode="insert",
    )
    assert not inserted.is_error
    cells = json.loads(nb.read_text())["cells"]
    assert [c["cell_type"] for c in cells] == ["code", "markdown", "markdown"] and cells[1]["source"] == [
        "# mid"
    ]
    assert not call(
        NotebookEditTool(), ctx, notebook_path="n.ipynb", cell_id="b2", new_source="", edit_mode="delete"
    ).is_error
    assert [c.get("id") for c in json.loads(nb.read_text())["cells"]] == ["a1", cells[1]["id"]]
    unknown = call(NotebookEditTool(), ctx, notebook_path="n.ipynb", cell_id="zz", new_source="")
    assert unknown.is_error and 'no cell with id "zz"' in unknown.content
    needs_type = call(NotebookEditTool(), ctx, notebook_path="n.ipynb", new_source="x", edit_mode="insert")
    assert needs_type.is_error and "cell_type" in needs_type.content
