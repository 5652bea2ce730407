"""Glob and Grep on real trees; the rg engine and the Python engine must give the same results."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import claw
import pytest
from claw.testing import call_tool as call
from claw_tools_files._glob import GlobTool
from claw_tools_files._grep import GrepTool, render
from claw_tools_files._search import Query, search


@pytest.fixture
def ctx(workspace: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="s1")


@pytest.fixture
def tree(workspace: Path) -> Path:
    files = {
        "src/app.py": "import os\n\ndef main():\n    print('Hello')\n    return os.getcwd()\n",
        "src/util.py": "def helper():\n    return 'hello world'\n# TODO: more\n",
        "src/web/index.js": "function hello() {\n  return 1;\n}\n",
        "src/web/index.ts": "export const HELLO = 'x';\n",
        "docs/readme.md": "# Hello\n\nSome text.\nhello again\n",
        "docs/ünïcode.txt": "naïve café résumé\nüber hello\n",
        "crlf.txt": "first hello\r\nsecond\r\nthird hello\r\n",
        "build/out.py": "hello from build\n",
        "logs/app.log": "hello log\n",
        "keep/app.log": "hello kept\n",
        ".hidden/secret.py": "hello hidden\n",
        "multi.txt": "start\nfoo\nbar\nend\nfoo\nbaz\n",
        "noeol.txt": "hello no newline",
        "kelvin.txt": "300 \u212aelvin\nnothing\n",
    }
    for name, text in files.items():
        p = workspace / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="")
    (workspace / "bin.dat").write_bytes(b"hello\0binary")
    (workspace / "utf16.txt").write_bytes("\ufeffwide hello\n".encode("utf-16-le"))
    (workspace / ".gitignore").write_text("build/\n*.log\n!keep/*.log\n")
    (workspace / ".git").mkdir()
    (workspace / ".git" / "config").write_text("hello in git dir\n")
    (workspace / "link.py").symlink_to(workspace / "src/app.py")
    # distinct mtimes, newest last in this list
    for i, name in enumerate(["src/app.py", "docs/readme.md", "src/util.py"]):
        os.utime(workspace / name, (1_700_000_000 + i * 100, 1_700_000_000 + i * 100))
    return workspace


def require_rg() -> None:
    assert shutil.which("rg"), "ripgrep must be installed for these tests (tests/setup.d/ripgrep.sh)"


QUERIES = [
    {"pattern": "hello"},
    {"pattern": "hello", "-i": True},
    {"pattern": "hello", "-i": True, "output_mode": "content"},
    {"pattern": "hello", "-i": True, "output_mode": "count"},
    {"pattern": "hello", "output_mode": "content", "-C": 1},
    {"pattern": "return", "output_mode": "content", "-B": 2, "-A": 1},
    {"pattern": r"def \w+\(", "type": "py", "output_mode": "content"},
    {"pattern": "hello", "glob": "*.{js,ts}", "-i": True},
    {"pattern": "hello", "glob": "src/**/*.py", "-i": True, "output_mode": "content"},
    {"pattern": "hello", "glob": "!*.md", "-i": True},
    {"pattern": "café|über", "output_mode": "content"},
    {"pattern": r"hello$", "output_mode": "content"},
    {"pattern": "foo\\nba[rz]", "multiline": True, "output_mode": "content"},
    {"pattern": "foo\\nba[rz]", "multiline": True, "output_mode": "count"},
    {"pattern": "start.*end", "multiline": True},
    {"pattern": "foo\\s", "output_mode": "count"},
    {"pattern": "^", "output_mode": "count", "glob": "multi.txt"},
    {"pattern": "o", "output_mode": "content", "path": "src/util.py"},
    {"pattern": "wide", "output_mode": "content"},
    {"pattern": "nothing-matches-this"},
    {"pattern": "kelvin", "-i": True, "output_mode": "content"},
    {"pattern": "(?i)HELLO w", "output_mode": "content"},
    {"pattern": "x*hello", "output_mode": "count"},
]


@pytest.mark.parametrize("input", QUERIES, ids=[str(q) for q in QUERIES])
def test_grep_engines_agree(tree, ctx, input):
    require_rg()
    from claw_tools_files._grep import query_from

    query = query_from(input, ctx)
    by_rg = render(search(query, engine="rg"), query, input, tree)
    by_py = render(search(query, engine="python"), query, input, tree)
    assert by_py.content == by_rg.content
    assert by_py.data == by_rg.data


def test_required_literal():
    import re

    from claw_tools_files._search import required_literal

    assert required_literal(re.compile(r"class \w+Error\(")) == "class "
    assert required_literal(re.compile(r"def __init__")) == "def __init__"
    assert required_literal(re.compile(r"a|b")) == ""
    assert required_literal(re.compile(r"x*yz(q|r)")) == "yz"


def test_grep_files_mode_newest_first_and_ignores(tree, ctx):
    result = call(GrepTool(), ctx, pattern="hello", **{"-i": True})
    lines = result.content.splitlines()
    assert lines[0].startswith("Found ")
    files = lines[1:]
    assert files.index("src/util.py") < files.index("docs/readme.md") < files.index("src/app.py")
    assert "build/out.py" not in files and "logs/app.log" not in files  # .gitignore
    assert "keep/app.log" in files  # re-included with !
    assert ".hidden/secret.py" in files and ".git/config" not in files
    assert "bin.dat" not in files and "link.py" not in files


def test_grep_content_format(tree, ctx):
    result = call(GrepTool(), ctx, pattern="TODO", output_mode="content", **{"-B": 1})
    assert result.content == "src/util.py-2-    return 'hello world'\nsrc/util.py:3:# TODO: more"
    plain = call(GrepTool(), ctx, pattern="TODO", output_mode="content", **{"-n": False})
    assert plain.content == "src/util.py:# TODO: more"


def test_grep_head_limit_count_and_errors(tree, ctx):
    limited = call(GrepTool(), ctx, pattern="hello", head_limit=2, **{"-i": True})
    assert len(limited.content.splitlines()) == 4 and "head_limit" in limited.content
    count = call(GrepTool(), ctx, pattern="hello", output_mode="count", path="crlf.txt")
    assert count.content.startswith("crlf.txt:2") and "Found 2 matching lines in 1 file" in count.content
    assert call(GrepTool(), ctx, pattern="x", type="nosuchtype").is_error
    assert call(GrepTool(), ctx, pattern="x", path="missing").is_error
    bad = call(GrepTool(), ctx, pattern="(unclosed", output_mode="content")
    assert bad.is_error


def test_grep_falls_back_to_python_for_lookaround(tree, ctx):
    require_rg()
    result = call(GrepTool(), ctx, pattern=r"(?<=first )hello", output_mode="content")
    assert result.content == "crlf.txt:1:first hello"


def test_grep_python_engine_without_rg(tree, ctx):
    env_ctx = ctx.model_copy(update={"env": {"CLAW_GREP_ENGINE": "python"}})
    result = call(GrepTool(), env_ctx, pattern="(unclosed")
    assert result.is_error and "invalid regular expression" in result.content
    assert "src/util.py" in call(GrepTool(), env_ctx, pattern="TODO").content


def test_glob_newest_first_ignore_and_cap(tree, ctx, workspace):
    result = call(GlobTool(), ctx, pattern="**/*.py")
    paths = result.content.splitlines()
    rel = [os.path.relpath(p, workspace) for p in paths]
    assert rel.index("src/util.py") < rel.index("src/app.py")
    assert "build/out.py" not in rel and ".hidden/secret.py" in rel and "link.py" in rel
    top = call(GlobTool(), ctx, pattern="*.txt")
    assert {os.path.basename(p) for p in top.content.splitlines()} == {
        "crlf.txt",
        "kelvin.txt",
        "multi.txt",
        "noeol.txt",
        "utf16.txt",
    }
    assert call(GlobTool(), ctx, pattern="src/*.py", path=".").data["numFiles"] == 2
    assert call(GlobTool(), ctx, pattern="**/*.{js,ts}").data["numFiles"] == 2
    assert call(GlobTool(), ctx, pattern="*.nothing").content == "No files found"
    absolute = call(GlobTool(), ctx, pattern=f"{workspace}/src/**/*.js", path="/")
    assert absolute.content == str(workspace / "src/web/index.js")
    many = workspace / "many"
    many.mkdir()
    for i in range(150):
        (many / f"f{i}.txt").write_text("")
    capped = call(GlobTool(), ctx, pattern="many/*.txt")
    assert capped.data["numFiles"] == 100 and capped.data["truncated"] and "truncated" in capped.content


def test_search_access(ctx, workspace):
    [a] = GrepTool().access({"pattern": "x"}, ctx)
    assert a.kind == "read" and a.path == str(workspace.resolve())
    [g] = GlobTool().access({"pattern": "*", "path": "/tmp"}, ctx)
    assert g.path == str(Path("/tmp").resolve())
    assert GrepTool().spec.read_only and GlobTool().spec.read_only


def test_ignore_rules_match_ripgrep(tmp_path, ctx):
    """Nested, anchored, negated and directory-only rules, and ignore files above the searched
    directory: the Python walker must select exactly the files rg selects."""
    require_rg()
    top = tmp_path / "outer"
    files = [
        "proj/a.py",
        "proj/gen/a.py",
        "proj/gen/keep.py",
        "proj/sub/gen/b.py",
        "proj/sub/local.tmp",
        "proj/sub/deep/x.log",
        "proj/sub/deep/y.txt",
        "proj/docs/build/index.txt",
        "proj/build/out.txt",
        "proj/rooted.txt",
        "proj/sub/rooted.txt",
        "proj/vendor/lib.py",
        "proj/vendor/patched.py",
        "proj/space name.txt",
        "proj/[brackets].txt",
    ]
    for name in files:
        p = top / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("needle\n")
    (top / ".gitignore").write_text("*.log\n")  # above the searched directory
    (top / "proj/.gitignore").write_text(
        "/build/\ngen/\n!gen/keep.py\n/rooted.txt\nvendor/*\n!vendor/patched.py\n"
    )
    (top / "proj/sub/.gitignore").write_text("*.tmp\n# comment\n\n!deep/x.log\n")
    (top / "proj/.ignore").write_text("docs/**/index.txt\n")
    query = Query(pattern="needle", root=top / "proj")
    by_rg = sorted(h.path for h in search(query, engine="rg"))
    by_py = sorted(h.path for h in search(query, engine="python"))
    assert by_py == by_rg
    assert str(top / "proj/a.py") in by_py and str(top / "proj/build/out.txt") not in by_py


def test_glob_and_grep_give_the_kernels_one_answer(ctx, workspace):
    """``src/a**b`` stays within a segment and ``*.{py,md}`` expands its braces: the answers the
    permission rules give (kernel/tests/test_permissions_paths.py), because both use claw.PathPattern."""
    for name in ("src/aXX/YYb", "src/aXXb", "x.py", "docs/y.md", "z.txt"):
        p = workspace / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("needle\n")
    rel = lambda result: sorted(os.path.relpath(p, workspace) for p in result.content.splitlines())  # noqa: E731
    assert rel(call(GlobTool(), ctx, pattern="src/a**b")) == ["src/aXXb"]
    assert rel(call(GlobTool(), ctx, pattern="**/*.{py,md}")) == ["docs/y.md", "x.py"]
    assert rel(call(GlobTool(), ctx, pattern="*.{py,md}")) == ["x.py"]  # Glob is anchored at its root

    def grep(glob: str) -> list[str]:
        found = search(Query(pattern="needle", root=workspace, glob=glob), engine="python")
        return sorted(os.path.relpath(h.path, workspace) for h in found)

    assert grep("src/a**b") == ["src/aXXb"]
    assert grep("*.{py,md}") == ["docs/y.md", "x.py"]  # rg's globs, like gitignore, match at any depth
