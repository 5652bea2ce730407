"""Walking a tree the way ripgrep does, so ``Glob``, the Python ``Grep`` engine and ``rg`` agree.

Rules (ripgrep's defaults plus ``--hidden --no-require-git --glob '!.git'``):

- ``.gitignore``, ``.ignore`` and ``.rgignore`` files are honoured in the searched directory, below it
  and in every parent directory, whether or not the tree is a git repository; ``.git/info/exclude``
  too. Deeper files override shallower ones; within a directory ``.rgignore`` beats ``.ignore`` beats
  ``.gitignore``; the last matching line of a file wins, and ``!`` re-includes.
- Hidden files are included; ``.git`` directories are not.
- Symbolic links are not followed into directories; linked files are listed only when asked
  (``Glob`` lists them, ``Grep`` skips them as ``rg`` does).

Global git excludes (``core.excludesFile``) are not read. Ignore lines are matched by
:class:`IgnoreRules` (``pathspec``'s gitignore implementation), globs by :class:`claw.PathPattern`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

#: Directories never entered.
SKIP_DIRS = frozenset({".git"})
#: Ignore files read in each directory, lowest precedence first.
IGNORE_FILES = (".gitignore", ".ignore", ".rgignore")


class IgnoreRules:
    """The lines of ignore files (``.gitignore``, ``.ignore``, ``.git/info/exclude``) of one
    directory, read as git reads them: the last matching line wins and ``!`` re-includes."""

    __slots__ = ("_spec",)

    def __init__(self, lines: Iterable[str]) -> None:
        from pathspec import GitIgnoreSpec

        self._spec: GitIgnoreSpec = GitIgnoreSpec.from_lines(list(lines))

    def __bool__(self) -> bool:
        return len(self._spec) > 0

    def check(self, path: str, *, is_dir: bool = False) -> bool | None:
        """``True``: ignored; ``False``: re-included by a ``!`` line; ``None``: no line matched.
        ``path`` is relative to the directory the lines came from."""
        result: Any = self._spec.check_file(path + "/" if is_dir else path)
        return result.include


@dataclass
class IgnoreFile:
    """The rules of one directory's ignore files, matched against paths relative to it."""

    base: str
    rules: IgnoreRules


def _read_rules(directory: str) -> IgnoreFile | None:
    lines: list[str] = []
    sources = [os.path.join(directory, ".git", "info", "exclude")]
    sources += [os.path.join(directory, name) for name in IGNORE_FILES]
    for source in sources:
        try:
            with open(source, encoding="utf-8", errors="replace") as f:
                lines.extend(f.read().splitlines())
        except OSError:
            continue
    rules = IgnoreRules(lines) if lines else None
    return IgnoreFile(directory, rules) if rules else None


def _ignored(stack: list[IgnoreFile], path: str, is_dir: bool) -> bool:
    for ign in reversed(stack):
        verdict = ign.rules.check(path[len(ign.base) + 1 :], is_dir=is_dir)
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
