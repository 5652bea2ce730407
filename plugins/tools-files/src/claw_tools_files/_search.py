"""The two ``Grep`` engines: ``rg`` when it is on PATH, pure Python otherwise, with the same results.

Both return :class:`FileHits` per matching file; the tool formats them, so output cannot drift
between engines. The Python engine walks the tree with :mod:`claw_tools_files._walk` (ripgrep's
ignore rules), skips binary files (a NUL byte) and symbolic links as ``rg`` does, and matches line
by line unless ``multiline`` is set. Patterns use Python's ``re`` syntax there and Rust's regex
syntax under ``rg``; the common subset (classes, quantifiers, groups, ``\\b``, ``\\d``, ``\\s``,
``\\w``) behaves the same.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import claw

from claw_tools_files._file_types import FILE_TYPES
from claw_tools_files._walk import walk

Mode = Literal["content", "files_with_matches", "count"]


@dataclass(frozen=True)
class Query:
    pattern: str
    root: Path
    mode: Mode = "files_with_matches"
    glob: str | None = None
    type: str | None = None
    ignore_case: bool = False
    multiline: bool = False
    before: int = 0
    after: int = 0


@dataclass
class FileHits:
    """One file's matches. ``count`` is matching lines (``multiline``: matches); ``lines`` holds
    ``(line number, text, is_match)`` in content mode, context lines included."""

    path: str
    count: int = 0
    lines: list[tuple[int, str, bool]] = field(default_factory=list)


def rg_path() -> str | None:
    return shutil.which("rg")


def search(query: Query, *, engine: Literal["auto", "rg", "python"] = "auto") -> list[FileHits]:
    """Run ``query`` with ``rg`` if available (or asked), else with the Python engine."""
    if query.type is not None and query.type not in FILE_TYPES:
        raise claw.ToolError(f'unknown type "{query.type}"; known types: {", ".join(sorted(FILE_TYPES))}')
    rg = rg_path() if engine != "python" else None
    if engine == "rg" and rg is None:
        raise claw.ToolError("rg (ripgrep) is not on PATH")
    if rg is None:
        return search_python(query)
    try:
        return search_rg(query, rg)
    except claw.ToolError as exc:
        # Rust's regex has no look-around or backreferences; Python's re has both.
        if engine == "auto" and "regex parse error" in str(exc):
            return search_python(query)
        raise


# -- ripgrep ------------------------------------------------------------------------------------


def _rg_args(query: Query, rg: str) -> list[str]:
    args = [
        rg,
        "--no-config",
        "--hidden",
        "--no-require-git",
        "--no-ignore-global",
        "--glob=!.git",
        "--with-filename",
    ]
    if query.ignore_case:
        args.append("--ignore-case")
    if query.multiline:
        args += ["--multiline", "--multiline-dotall"]
    if query.glob:
        args.append(f"--glob={query.glob}")
    if query.type:
        # Our table, not rg's (which varies by version), so both engines select the same files.
        args += [
            f"--type-clear={query.type}",
            *(f"--type-add={query.type}:{g}" for g in FILE_TYPES[query.type]),
        ]
        args.append(f"--type={query.type}")
    if query.mode == "files_with_matches":
        args += ["--files-with-matches", "--null"]
    elif query.mode == "count":
        args += ["--count", "--null"]
    else:
        args.append("--json")
        if query.before:
            args.append(f"--before-context={query.before}")
        if query.after:
            args.append(f"--after-context={query.after}")
    # Globs with a "/" are matched relative to rg's working directory: run it in the root.
    target = str(query.root) if query.root.is_file() else "."
    return [*args, "--regexp", query.pattern, "--", target]


def _text(obj: dict[str, str]) -> str:
    if "text" in obj:
        return obj["text"]
    return base64.b64decode(obj["bytes"]).decode("utf-8", "replace")


def _joined(root: str, path: str) -> str:
    """rg prints paths under "." as "./x": make them absolute again."""
    return f"{root}{path[1:]}" if path.startswith("./") else path


def search_rg(query: Query, rg: str) -> list[FileHits]:
    cwd = None if query.root.is_file() else query.root
    proc = subprocess.run(_rg_args(query, rg), capture_output=True, stdin=subprocess.DEVNULL, cwd=cwd)
    if proc.returncode == 2 and not proc.stdout:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise claw.ToolError(f"rg: {message}" if message else "rg failed")
    out = proc.stdout
    root = str(query.root).rstrip("/")
    if query.mode == "files_with_matches":
        return [FileHits(_joined(root, os.fsdecode(p)), 1) for p in out.split(b"\0") if p]
    if query.mode == "count":
        hits = []
        for line in out.splitlines():
            path, _, count = line.rpartition(b"\0")
            hits.append(FileHits(_joined(root, os.fsdecode(path)), int(count)))
        return hits
    by_path: dict[str, FileHits] = {}
    for raw in out.splitlines():
        event = json.loads(raw)
        kind = event["type"]
        if kind not in ("match", "context"):
            continue
        data = event["data"]
        path = _joined(root, _text(data["path"]))
        hits = by_path.setdefault(path, FileHits(path))
        text = _text(data["lines"])
        number = data["line_number"]
        chunk = text.split("\n")
        if chunk[-1] == "":
            chunk.pop()
        for i, line in enumerate(chunk):
            hits.lines.append((number + i, line.removesuffix("\r"), kind == "match"))
        if kind == "match":
            hits.count += 1 if query.multiline else len(chunk)
    return list(by_path.values())


# -- pure Python --------------------------------------------------------------------------------


def _compile(query: Query) -> re.Pattern[str]:
    flags = re.MULTILINE | (re.IGNORECASE if query.ignore_case else 0) | (re.DOTALL if query.multiline else 0)
    try:
        return re.compile(query.pattern, flags)
    except re.error as exc:
        raise claw.ToolError(f"invalid regular expression {query.pattern!r}: {exc}") from None


def required_literal(rx: re.Pattern[str]) -> str:
    """The longest run of plain characters every match must contain (``"class "`` for
    ``class \\w+Error\\(``), or ``""``. Files without it are skipped before decoding, which is what
    keeps the Python engine within a few times of rg."""
    try:
        parser: Any = importlib.import_module("re._parser")  # the stdlib's own (private) pattern parser

        ops = list(parser.parse(rx.pattern, rx.flags & ~re.UNICODE))
    except Exception:  # any surprise: no prefilter, never a wrong answer
        return ""
    best, run = "", []
    for op, arg in [*ops, (None, None)]:
        if op is parser.LITERAL:
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best


def _prefilter(rx: re.Pattern[str]) -> Callable[[bytes], bool]:
    """A cheap test on a file's raw bytes that is False only when the file cannot match."""
    literal = required_literal(rx)
    if not literal:
        return lambda data: True
    if not rx.flags & re.IGNORECASE:
        needle = literal.encode("utf-8")
        return lambda data: needle in data or data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not literal.isascii():
        return lambda data: True
    lowered = literal.lower().encode("ascii")
    # Non-ASCII text may match through Unicode case folding (the Kelvin sign is a "k"): no shortcut.
    return lambda data: not data.isascii() or lowered in data.lower()


def _file_filter(query: Query) -> Callable[[str, str], bool]:
    """A predicate on (relative path, basename) for the ``glob`` and ``type`` filters."""
    checks = []
    if query.glob:
        glob = query.glob
        negate = glob.startswith("!")
        glob = glob[1:] if negate else glob
        pattern = claw.PathPattern(glob)

        def by_glob(rel: str, name: str) -> bool:
            return pattern.match(rel) != negate

        checks.append(by_glob)
    if query.type:
        patterns = [claw.PathPattern(g) for g in FILE_TYPES[query.type]]

        def by_type(rel: str, name: str) -> bool:
            return any(p.match(name) for p in patterns)

        checks.append(by_type)
    return lambda rel, name: all(check(rel, name) for check in checks)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", "replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "surrogateescape")


def _files(query: Query) -> Iterator[str]:
    root = query.root
    if root.is_file():
        yield str(root)
        return
    keep = _file_filter(query)
    for path, rel in walk(root):
        if keep(rel, rel.rpartition("/")[2]):
            yield path


def _line_spans(text: str, rx: re.Pattern[str], multiline: bool) -> list[tuple[int, int]] | None:
    """Matches as 0-based (first line, last line) spans, adjacent ones merged; ``None`` when a
    single-line search hit a match spanning lines (the caller then searches line by line)."""
    spans: list[tuple[int, int]] = []
    n_lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    line, pos = 0, 0
    for m in rx.finditer(text):
        start = m.start()
        line += text.count("\n", pos, start)
        pos = start
        if line >= n_lines:
            break
        body = m.group()
        if not multiline and "\n" in body:
            return None
        last = line + body.rstrip("\n").count("\n")
        if spans and spans[-1][1] >= line:
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        else:
            spans.append((line, last))
    return spans


def _by_line(lines: list[str], rx: re.Pattern[str]) -> list[tuple[int, int]]:
    return [(i, i) for i, line in enumerate(lines) if rx.search(line)]


def search_python(query: Query) -> list[FileHits]:
    rx = _compile(query)
    maybe = _prefilter(rx)
    out: list[FileHits] = []
    for path in _files(query):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if not maybe(data):
            continue
        if b"\0" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        text = _decode(data)
        first = rx.search(text)
        if first is None:
            continue
        if query.mode == "files_with_matches" and (query.multiline or "\n" not in first.group()):
            out.append(FileHits(path, 1))
            continue
        spans = _line_spans(text, rx, query.multiline)
        lines: list[str] | None = None
        if spans is None:
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            spans = _by_line(lines, rx)
        if not spans:
            continue
        count = len(spans) if query.multiline else sum(b - a + 1 for a, b in spans)
        hits = FileHits(path, count)
        if query.mode == "content":
            if lines is None:
                lines = text.split("\n")
                if lines and lines[-1] == "":
                    lines.pop()
            hits.lines = _with_context(lines, spans, query.before, query.after)
        out.append(hits)
    return out


def _with_context(
    lines: list[str], spans: list[tuple[int, int]], before: int, after: int
) -> list[tuple[int, str, bool]]:
    matched: set[int] = set()
    for a, b in spans:
        matched.update(range(a, b + 1))
    shown: set[int] = set(matched)
    for a, b in spans:
        shown.update(range(max(0, a - before), a))
        shown.update(range(b + 1, min(len(lines), b + 1 + after)))
    return [
        (
            i + 1,
            lines[i].removesuffix("\r").encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
            i in matched,
        )
        for i in sorted(shown)
    ]
