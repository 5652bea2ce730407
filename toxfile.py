"""tox plugin (loaded from the project root): every environment installs exactly what ``uv.lock`` pins.

The distributions declare ranges (``anthropic>=2.10``) so users can install them beside other software, but a
test environment built from those ranges picks up whatever was released this morning: a fresh clone passed at
landing and failed a week later when a new SDK arrived. Before each environment installs anything, this writes
the lock's versions as a constraints file (``uv export``) that ``tox.ini`` hands to ``uv pip install`` through
``UV_CONSTRAINT``; the workspace's own distributions are left out, because tox installs them from their paths.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from tox.plugin import impl

#: Where tox.ini's ``UV_CONSTRAINT`` points; rewritten whenever ``uv.lock`` is newer.
CONSTRAINTS = Path(__file__).parent / ".tox" / "uv-lock-constraints.txt"

#: ``tox run-parallel`` sets environments up on threads of one process, and on a fresh clone every one of
#: them finds the file missing at once: one writes it, the others wait and find it written.
_WRITING = threading.Lock()


def write_constraints(root: Path = Path(__file__).parent, target: Path = CONSTRAINTS) -> Path:
    """Export ``uv.lock`` as pinned requirements into ``target`` unless it is already up to date."""
    with _WRITING:
        lock = root / "uv.lock"
        if target.exists() and target.stat().st_mtime >= lock.stat().st_mtime:
            return target
        _export(root, target)
    return target


def _export(root: Path, target: Path) -> None:
    """Write the lock's third-party pins (not the workspace's distributions, tox installs those from their paths)."""
    pins = subprocess.run(
        ["uv", "export", "--frozen", "--all-packages", "--all-groups", "--no-hashes", "--no-emit-workspace"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    target.parent.mkdir(parents=True, exist_ok=True)
    # Several tox processes (two `tox -e` at once) may write it too: each writes its own file and replaces.
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    with open(handle, "w", encoding="utf-8") as out:
        out.write(pins)
    Path(partial).replace(target)


@impl
def tox_on_install(tox_env: Any, arguments: Any, section: str, of_type: str) -> None:
    write_constraints()
