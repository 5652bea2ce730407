"""Walking a tree the way ripgrep does, so ``Glob``, the Python ``Grep`` engine and ``rg`` agree.

Rules (ripgrep's defaults plus ``--hidden --no-require-git --glob '!.git'``):

- ``.gitignore``, ``.ignore`` and ``.rgignore`` files are honoured in the searched directory, below it
  and in every parent directory, whether or not the tree is a git repository; ``.git/info/exclude``
  too. Deeper files override shallower ones; within a directory ``.rgignore`` beats ``.ignore`` beats
  ``.gitignore``; the last matching line of a file wins, and ``!`` re-includes.
- Hidden files are included; ``.git`` directories are not.
- Symbolic links are not followed into directories; linked files are listed only when asked
  (``Glob`` lists them, ``Grep`` skips them as ``rg`` does).

Global git excludes (``core.excludesFile``) are not read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: Directories never entered.
SKIP_DIRS = frozenset({".git"})
#: Ignore files read in each directory, lowest precedence first.
IGNORE_FILES = (".gitignore", ".ignore", ".rgignore")


def _class(pattern: str, i: int) -> tuple[str, int] | None:
    """Translate a ``[...]`` class starting at ``pattern[i] == "["``; ``None`` when it never closes."""
    j = i + 1
    if j < len(pattern) and pattern[j] in "!^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 1
    if j >= len(pattern):
        return None
    body = pattern[i + 1 : j]
    if body[:1] in ("!", "^"):
        body = "^" + body[1:]
    body = body.replace("\\", "\\\\")
    return f"[{body}]", j + 1


def _split_braces(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, c in enumerate(body):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(body[start:k])
            start = k + 1
    parts.append(body[start:])
    return parts


def glob_to_regex(pattern: str) -> str:
    """A glob as a regex body: ``*``/``?`` stay within a path segment, ``**`` spans segments,
    ``[...]`` classes and ``{a,b}`` alternatives."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                at_start = i == 0 or pattern[i - 1] == "/"
                if at_start and pattern.startswith("**/", i):
                    out.append("(?:.*/)?")
                    i += 3
                    continue
                if at_start and i + 2 == n:
                    out.append(".*")
                    i += 2
                    continue
                out.append("[^/]*")
                i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            cls = _class(pattern, i)
            if cls:
                out.append(cls[0])
                i = cls[1]
                continue
            out.append(re.escape(c))
        elif c == "{":
            depth, j = 0, i
            while j < n:
                if pattern[j] == "{":
                    depth += 1
                elif pattern[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j < n:
                alts = _split_braces(pattern[i + 1 : j])
                out.append("(?:" + "|".join(glob_to_regex(a) for a in alts) + ")")
                i = j + 1
                continue
            out.append(re.escape(c))
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A path glob (relative, ``/``-separated) compiled to match a whole relative path."""
    return re.compile(f"(?s:{glob_to_regex(pattern)})\\Z")


@dataclass
class _Rule:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _rule(line: str) -> _Rule | None:
    line = line.rstrip("\n").rstrip("\r")
    if not line.strip() or line.startswith("#"):
        return None
    # Trailing spaces are dropped unless escaped.
    while line.endswith(" ") and not line.endswith("\\ "):
        line = line[:-1]
    negate = line.startswith("!")
    if negate or line.startswith(("\\!", "\\#")):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = glob_to_regex(line)
    if not anchored:
        body = "(?:.*/)?" + body
    return _Rule(re.compile(f"(?s:{body})\\Z"), negate, dir_only)


@dataclass
class IgnoreFile:
    """The rules of one directory's ignore files, matched against paths relative to it."""

    base: str
    rules: list[_Rule] = field(default_factory=list)

    def match(self, rel: str, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by ``!``; None: no rule matched."""
        for rule in reversed(self.rules):
            if rule.dir_only and not is_dir:
                continue
            if rule.regex.match(rel):
                return not rule.negate
        return None


def _read_rules(directory: str) -> IgnoreFile | None:
    rules: list[_Rule] = []
    sources = [os.path.join(directory, ".git", "info", "exclude")]
    sources += [os.path.join(directory, name) for name in IGNORE_FILES]
    for source in sources:
        try:
            with open(source, encoding="utf-8", errors="replace") as f:
                rules.extend(r for r in map(_rule, f) if r is not None)
        except OSError:
            continue
    return IgnoreFile(directory, rules) if rules else None


def _ignored(stack: list[IgnoreFile], path: str, is_dir: bool) -> bool:
    for ign in reversed(stack):
        verdict = ign.match(path[len(ign.base) + 1 :], is_dir)
        if verdict is not None:
            return verdict
    return False


def _parents(root: str) -> list[IgnoreFile]:
    found: list[IgnoreFile] = []
    current = os.path.dirname(root)
    while True:
        ign = _read_rules(current)
        if ign is not None:
            found.append(ign)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    found.reverse()
    for ign in found:
        if ign.base == "/":
            ign.base = ""  # so path[len(base) + 1:] strips just the leading "/"
    return found


def walk(root: Path, *, symlinks: bool = False, max_depth: int | None = None) -> Iterator[tuple[str, str]]:
    """Yield ``(absolute path, path relative to root)`` for every file under ``root`` not ignored.

    :param symlinks: also yield symbolic links to files (never followed into directories).
    :param max_depth: directories entered below ``root`` at most (``0``: only its own files).
    """
    top = str(root)
    stack = _parents(top)
    yield from _walk_dir(top, "", stack, symlinks, max_depth)


def _walk_dir(
    directory: str, rel: str, stack: list[IgnoreFile], symlinks: bool, depth: int | None
) -> Iterator[tuple[str, str]]:
    ign = _read_rules(directory)
    if ign is not None:
        stack = [*stack, ign]
    try:
        with os.scandir(directory) as it:
            entries = list(it)
    except OSError:
        return
    subdirs = []
    for entry in entries:
        name = entry.name
        path = entry.path
        try:
            if entry.is_dir(follow_symlinks=False):
                if name in SKIP_DIRS or (stack and _ignored(stack, path, True)):
                    continue
                subdirs.append(entry)
                continue
            if entry.is_symlink():
                if not symlinks or not entry.is_file():
                    continue
            elif not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        if stack and _ignored(stack, path, False):
            continue
        yield path, f"{rel}{name}"
    if depth == 0:
        return
    for entry in subdirs:
        yield from _walk_dir(
            entry.path, f"{rel}{entry.name}/", stack, symlinks, None if depth is None else depth - 1
        )


def glob_base(pattern: str) -> tuple[str, str]:
    """Split ``pattern`` into its literal leading directories and the glob after them:
    ``src/**/*.py`` -> ``("src", "**/*.py")``."""
    parts = pattern.split("/")
    literal: list[str] = []
    for part in parts[:-1]:
        if any(c in part for c in "*?[{"):
            break
        literal.append(part)
    rest = parts[len(literal) :]
    base = "/".join(literal)
    if pattern.startswith("/") and not base:
        base = "/"
    return base, "/".join(rest)
