"""Real wheels and fresh virtual environments, built with ``uv``, for tests that install plugins the
way users do (entry points read from installed metadata, dependencies resolved by an installer).

These are slow (seconds per venv): build them once per module or session. ``uv`` must be on ``PATH``
or next to the running interpreter; without it :func:`uv` raises :class:`UvNotFound` naming the fix.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path


class UvNotFound(RuntimeError):
    """``uv`` is needed to build wheels and virtual environments and was not found."""


def uv() -> str:
    """The ``uv`` executable: on ``PATH``, else next to this interpreter (a venv that installed it)."""
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if found is None:
        raise UvNotFound("uv is needed to build test wheels and venvs and is not installed: pip install uv")
    return found


def run_uv(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``uv args...``; a failure raises :class:`AssertionError` with the command and its output."""
    cmd = [uv(), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def kernel_dependencies(kernel: Path) -> list[str]:
    """The distribution names ``kernel/pyproject.toml`` (``kernel`` is that directory) depends on, in its
    order: third-party libraries and the workspace's default plugins (``claw-sessions``, ...)."""
    deps = tomllib.loads((kernel / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return [match.group(0) for d in deps if (match := re.match(r"[A-Za-z0-9._-]+", d.strip()))]


def kernel_paths(repo: Path) -> list[Path]:
    """The project directories a local install of ``claw-kernel`` needs: the kernel and the workspace
    distributions it depends on (its default feature plugins, such as the session store), which no
    package index holds. Read from ``kernel/pyproject.toml``, so a test never lists them by hand."""

    def name_of(pyproject: Path) -> str:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"]

    kernel = repo / "kernel"
    members = {name_of(p): p.parent for p in repo.glob("*/*/pyproject.toml")}
    return [kernel, *(members[n] for n in kernel_dependencies(kernel) if n in members)]


def make_venv(path: Path, *packages: str | os.PathLike[str], editable: bool = False) -> Path:
    """A fresh venv at ``path`` (this interpreter's Python) with only ``packages`` and their dependencies
    installed; returns its ``bin`` directory. ``editable`` installs project directories with ``-e``."""
    run_uv("venv", "--quiet", "--python", sys.executable, str(path))
    if packages:
        # Not the workspace's environment: uv must install into this venv only.
        env = {**os.environ, "VIRTUAL_ENV": str(path)}
        env.pop("UV_PROJECT_ENVIRONMENT", None)
        args = [a for p in packages for a in (("-e", str(p)) if editable else (str(p),))]
        run_uv("pip", "install", "--quiet", "--python", str(path / "bin" / "python"), *args, env=env)
    return path / "bin"


def build_wheel(project: Path, out: Path) -> Path:
    """Build the project in ``project`` with ``uv build --wheel`` into ``out``; the new wheel's path."""
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.whl"))
    run_uv("build", "--wheel", "--quiet", "--out-dir", str(out), str(project))
    (wheel,) = set(out.glob("*.whl")) - before
    return wheel
