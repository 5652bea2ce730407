"""tox plugin (loaded from the project root): every environment installs exactly what ``uv.lock`` pins.

The distributions declare ranges (``anthropic>=2.10``) so users can install them beside other software, but a
test environment built from those ranges picks up whatever was released this morning: a fresh clone passed at
landing and failed a week later when a new SDK arrived. Before each environment installs anything, this writes
the lock's versions as a constraints file (``uv export``) that ``tox.ini`` hands to ``uv pip install`` through
``UV_CONSTRAINT``; the workspace's own distributions are left out, because tox installs them from their paths.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from tox.plugin import impl

#: Where tox.ini's ``UV_CONSTRAINT`` points; rewritten whenever ``uv.lock`` is newer.
CONSTRAINTS = Path(__file__).parent / ".tox" / "uv-lock-constraints.txt"


def write_constraints(root: Path = Path(__file__).parent, target: Path = CONSTRAINTS) -> Path:
    """Export ``uv.lock`` as pinned requirements into ``target`` unless it is already up to date."""
    lock = root / "uv.lock"
    if target.exists() and target.stat().st_mtime >= lock.stat().st_mtime:
        return target
    pins = subprocess.run(
        ["uv", "export", "--frozen", "--all-packages", "--all-groups", "--no-hashes", "--no-emit-workspace"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(
        f".{os.getpid()}.tmp"
    )  # environments install in parallel: replace atomically
    partial.write_text(pins, encoding="utf-8")
    partial.replace(target)
    return target


@impl
def tox_on_install(tox_env: Any, arguments: Any, section: str, of_type: str) -> None:
    write_constraints()
