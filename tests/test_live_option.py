"""The ``live`` tests (real clouds) stay out of the suite, which talks only to loopback servers, and come back
with ``--live``: the root conftest.py decides, for every distribution's tests, tox's included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _collected(repo: Path, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: every test deselected
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_live_tests_are_left_out_unless_asked_for(repo: Path) -> None:
    path = "plugins/provider-vertex/tests/test_vertex_live.py"
    assert _collected(repo, path) == []
    assert len(_collected(repo, "--live", path)) == 2
