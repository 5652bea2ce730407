"""The one meaning of a path glob in claw: gitignore semantics (via ``pathspec``) plus ``{a,b}``.

Permission rules, hook conditions, ``Glob``'s patterns and ``Grep``'s ``glob`` filter all match here,
so a path means the same to every one of them; docs/permissions.md
and docs/tools.md ("Glob") give the semantics and Claude Code's reasons for them. Braces are expanded
first, in :func:`expand_braces`, so ``*.{py,md}`` matches ``a.md`` wherever a glob is written
(``.gitignore`` files themselves are read as git reads them, without braces, by claw-tools-files).

``pathspec`` is imported on first compile, not with this module, to keep ``claw --help`` light.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: The group pathspec's gitignore regexes set when a pattern matched a directory above the path.
_DIR_GROUP = "ps_d"


def expand_braces(pattern: str) -> tuple[str, ...]:
    """``{a,b}`` alternatives expanded as the shell does (nested, left to right); a brace group
    without a top-level comma and a backslash-escaped brace stay literal."""
    for i, c in _unescaped(pattern, 0):
        if c == "{":
            close, parts = _group(pattern, i)
            if close is not None and len(parts) > 1:
                head, tail = pattern[:i], pattern[close + 1 :]
                return tuple(out for part in parts for out in expand_braces(head + part + tail))
    return (pattern,)


def _unescaped(pattern: str, start: int) -> Iterator[tuple[int, str]]:
    """Index and character from ``start`` on, each backslash and what it escapes passed over."""
    i = start
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        yield i, pattern[i]
        i += 1


def _group(pattern: str, start: int) -> tuple[int | None, list[str]]:
    """The index of the ``}`` closing the group at ``start`` and its top-level alternatives."""
    depth, begin, parts = 0, start + 1, []
    for i, c in _unescaped(pattern, start):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                parts.append(pattern[begin:i])
                return i, parts
        elif c == "," and depth == 1:
            parts.append(pattern[begin:i])
            begin = i + 1
    return None, []


def _compile(line: str) -> re.Pattern[str] | None:
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    return GitIgnoreSpecPattern(line).regex


class PathPattern:
    """One glob, compiled once: gitignore semantics over ``/``-separated relative paths, braces
    expanded.

    :param anchored: match from the start of the path even without an inner ``/`` (``Glob``'s
        patterns are relative to the searched directory; a rule's ``*.env`` is not).
    """

    __slots__ = ("_regexes", "pattern")

    def __init__(self, pattern: str, *, anchored: bool = False) -> None:
        self.pattern = pattern
        alts = ("/" + a if anchored and not a.startswith("/") else a for a in expand_braces(pattern))
        self._regexes: tuple[re.Pattern[str], ...] = tuple(r for r in map(_compile, alts) if r is not None)

    def match(self, path: str) -> bool:
        """Whether ``path`` itself matches (``src/*.py`` matches ``src/a.py``, ``src`` does not
        match ``src/a.py``)."""
        for regex in self._regexes:
            m = regex.match(path)
            if m is not None and (_DIR_GROUP not in regex.groupindex or m.group(_DIR_GROUP) is None):
                return True
        return False

    def covers(self, path: str) -> bool:
        """Whether ``path`` or a directory above it matches, as in gitignore (``secrets``
        covers ``secrets/key``)."""
        return any(regex.match(path) is not None for regex in self._regexes)

    def __repr__(self) -> str:
        return f"PathPattern({self.pattern!r})"
