"""Every tox environment installs what uv.lock pins (a fresh clone must not pick up this morning's SDK)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _locked() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {p["name"]: p["version"] for p in lock["package"] if "version" in p and "source" in p}


def test_constraints_pin_every_third_party_package_at_its_locked_version(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        from toxfile import write_constraints
    finally:
        sys.path.remove(str(ROOT))
    target = write_constraints(ROOT, tmp_path / "constraints.txt")
    pins = {
        name.lower(): version.split(";")[0].strip()
        for line in target.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
        for name, version in [line.split("==", 1)]
    }
    workspace = {name for name in _locked() if name.startswith("claw-")}
    for name, version in _locked().items():
        if name in workspace:
            assert name not in pins, f"{name} is installed from its path, not pinned"
        elif name in pins:
            assert pins[name] == version, name
    assert pins["anthropic"] == _locked()["anthropic"] and pins["pytest"] == _locked()["pytest"]


def test_every_tox_environment_installs_under_the_lock_constraints():
    shown = subprocess.run(
        [sys.executable, "-m", "tox", "config", "-e", "ALL", "-k", "set_env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sections = shown.split("[testenv:")[1:]
    assert len(sections) >= 13
    for section in sections:
        name = section.split("]", 1)[0]
        assert f"UV_CONSTRAINT={ROOT / '.tox' / 'uv-lock-constraints.txt'}" in section, name


def test_environments_set_up_at_once_each_get_the_constraints(tmp_path):
    """``tox run-parallel`` sets environments up on threads of one process: a fresh clone has no constraints
    file yet, so every thread writes it at the same moment, and none of them may fail for it."""
    sys.path.insert(0, str(ROOT))
    try:
        from toxfile import write_constraints
    finally:
        sys.path.remove(str(ROOT))
    target = tmp_path / "constraints.txt"
    with ThreadPoolExecutor(max_workers=16) as pool:
        written = list(pool.map(lambda _: write_constraints(ROOT, target), range(16)))
    assert written == [target] * 16
    assert "anthropic==" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["constraints.txt"]
