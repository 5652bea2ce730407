"""Shared fixtures for cross-distribution tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def uv() -> str:
    """The uv binary (installed by .ci/run; also a dev dependency of nothing, so look on PATH)."""
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    assert Path(found).exists() or shutil.which(found), "uv is required for these tests: pip install uv"
    return found


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def make_venv(path: Path, *packages: str | Path) -> Path:
    """A fresh virtual environment with only ``packages`` installed; returns its bin directory."""
    run([uv(), "venv", "--quiet", "--python", sys.executable, str(path)])
    env = {**os.environ, "VIRTUAL_ENV": str(path)}
    env.pop("UV_PROJECT_ENVIRONMENT", None)
    if packages:
        run([uv(), "pip", "install", "--quiet", "--python", str(path / "bin" / "python"), *map(str, packages)], env=env)
    return path / "bin"


def build_wheel(source: Path, out: Path) -> Path:
    """Build a wheel of the project in ``source`` into ``out`` and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.whl"))
    run([uv(), "build", "--wheel", "--quiet", "--out-dir", str(out), str(source)])
    (wheel,) = set(out.glob("*.whl")) - before
    return wheel


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
