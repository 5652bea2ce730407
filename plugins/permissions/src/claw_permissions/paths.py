"""Paths as the permission engine sees them: resolved, then matched against gitignore rule
patterns (:mod:`claw._globs`) and the workspace.

Every path is resolved before it is judged (``~`` expanded, relative to the workspace, ``..`` and
symbolic links followed, also for files that do not exist yet), so ``./link/../..`` or a symlink to
``/etc`` cannot slip past a rule or out of the workspace.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from claw import PathPattern


def resolve(path: str, workspace: str, home: str) -> str:
    """The real absolute path of ``path`` (relative paths against ``workspace``, which must itself
    be resolved already)."""
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    elif not os.path.isabs(path):
        path = os.path.join(workspace, path)
    prefix = workspace + os.sep
    if path.startswith(prefix) and ".." not in path and "//" not in path:
        return _below(path, prefix)
    return _realpath(path)


def _realpath(path: str) -> str:
    """``os.path.realpath``, or the path as written when a link on it may not be followed
    (``/proc/1/root`` of a process claw cannot inspect): judged as written rather than crashing."""
    try:
        return os.path.realpath(path)
    except OSError:
        return os.path.normpath(path)


def _below(path: str, prefix: str) -> str:
    """``realpath`` for a path under the resolved workspace without ``..``: only the components
    below the workspace can be links, so only those are checked (the common case, made fast)."""
    cur = prefix[:-1]
    for part in path[len(prefix) :].split(os.sep):
        if not part or part == ".":
            continue
        cur = cur + os.sep + part
        try:
            mode = os.lstat(cur).st_mode
        except FileNotFoundError:
            return os.path.normpath(path)  # nothing below a missing component can be a link
        except OSError:
            return _realpath(path)
        if stat.S_ISLNK(mode):
            return _realpath(path)
    return os.path.normpath(path)


def inside(path: str, roots: Iterable[str]) -> bool:
    """Whether the resolved ``path`` is one of ``roots`` or below one (roots are resolved too)."""
    for root in roots:
        if path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep):
            return True
    return False


def compile_pattern(spec: str, anchor: str, cwd: str, home: str) -> Callable[[str], bool]:
    """Compile a ``Read(...)``/``Edit(...)`` path specifier into a test on resolved paths.

    Claude Code's forms: ``//abs/path`` absolute; ``~/path`` the home directory; ``/path`` relative
    to the settings file's ``anchor`` (the project root for project settings, the config directory
    for user settings); ``./path`` or ``path`` relative to ``cwd`` (the workspace). The rest is a
    gitignore pattern (:mod:`claw._globs`, the one glob semantics of claw): without a ``/`` it
    matches at any depth, and a pattern naming a directory covers everything below it.
    """
    if spec.startswith("//"):
        base, rest = "/", spec[2:]
    elif spec == "~" or spec.startswith("~/"):
        base, rest = home, spec[2:]
    elif spec.startswith("/"):
        base, rest = anchor, spec[1:]
    elif spec.startswith("./"):
        base, rest = cwd, spec[2:]
    else:
        base, rest = cwd, spec
    base = os.path.realpath(base).rstrip("/")
    prefix = base + "/"
    rest = rest.rstrip("/") if rest not in ("", "/") else ""
    if not rest:
        return lambda path: path == base or path.startswith(prefix)
    pattern = PathPattern(rest, anchored="/" in rest)
    # A rule on a directory's contents (``secrets/**``) also covers the directory itself: reading
    # or searching the directory reads what is in it.
    folder = PathPattern(rest[:-3], anchored=True) if rest.endswith("/**") else None

    def test(path: str) -> bool:
        if not path.startswith(prefix):
            return False
        rel = path[len(prefix) :]
        return pattern.covers(rel) or (folder is not None and folder.match(rel))

    return test


def home_of(env: dict[str, str] | None) -> str:
    home = (env or {}).get("HOME") or os.path.expanduser("~")
    return str(Path(home))
