"""Instruction files: ``CLAUDE.md`` / ``AGENTS.md`` from the user config dir, the workspace and its parents.

Claude Code's memory rules, so a repository's existing files work unchanged:

- files load broad to specific: the user's ``<config dir>/CLAUDE.md``, then every directory from the
  filesystem root down to the workspace (``CLAUDE.md`` or ``.claw/CLAUDE.md``; ``AGENTS.md`` when a
  directory has no ``CLAUDE.md``), each followed by its ``CLAUDE.local.md`` (personal, gitignored);
- ``@path`` in the text imports another file, relative to the importing file (``~`` expands), up to
  four levels deep; ``@`` inside code fences or inline code is left alone; a file is included once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from claw import PROJECT_DIR_NAME, config_dir, model_text

MAX_IMPORT_DEPTH = 4

_IMPORT = re.compile(r"(?:^|\s)@((?:[^\s\\]|\\ )+)")
_CODE_SPAN = re.compile(r"`[^`]*`")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class InstructionFile:
    path: Path
    #: ``user``, ``project``, ``local`` or ``import``.
    kind: str
    text: str


def _imports(text: str, base: Path) -> list[Path]:
    found: list[Path] = []
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for m in _IMPORT.finditer(_CODE_SPAN.sub("", line)):
            raw = m.group(1).replace("\\ ", " ").rstrip(".,;:)")
            p = Path(raw).expanduser()
            found.append(p if p.is_absolute() else base / p)
    return found


def _read(path: Path) -> str | None:
    """The file's text; bytes that are not UTF-8 stay as surrogate escapes, so an ``@path`` import
    naming such a file still resolves (the model sees them as U+FFFD)."""
    try:
        return path.read_bytes().decode("utf-8", "surrogateescape")
    except OSError:
        return None


def _add(out: list[InstructionFile], seen: set[Path], path: Path, kind: str, depth: int = 0) -> None:
    try:
        key = path.resolve()
    except OSError:
        return
    if key in seen or not path.is_file():
        return
    text = _read(path)
    if text is None:
        return
    seen.add(key)
    out.append(InstructionFile(path, kind, model_text(text)))
    if depth >= MAX_IMPORT_DEPTH:
        return
    for target in _imports(text, path.parent):
        _add(out, seen, target, "import", depth + 1)


def _dir_files(directory: Path) -> list[tuple[Path, str]]:
    for main in (directory / "CLAUDE.md", directory / PROJECT_DIR_NAME / "CLAUDE.md"):
        if main.is_file():
            break
    else:
        main = directory / "AGENTS.md"
    return [(main, "project"), (directory / "CLAUDE.local.md", "local")]


def load(workspace: Path, env: Mapping[str, str]) -> list[InstructionFile]:
    """Every instruction file for ``workspace``, in the order they go into the system prompt."""
    out: list[InstructionFile] = []
    seen: set[Path] = set()
    user_dir = config_dir(env)
    user_main = user_dir / "CLAUDE.md"
    _add(out, seen, user_main if user_main.is_file() else user_dir / "AGENTS.md", "user")
    workspace = workspace.resolve()
    for directory in [*reversed(workspace.parents), workspace]:
        for path, kind in _dir_files(directory):
            _add(out, seen, path, kind)
    return out
