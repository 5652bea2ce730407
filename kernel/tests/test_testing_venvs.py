"""``claw.testing.venvs``: a clear error when uv is missing (building wheels and venvs is covered by the
slow end-to-end tests in ``tests/`` that use it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from claw.testing import venvs


def test_missing_uv_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(venvs.UvNotFound, match="pip install uv"):
        venvs.build_wheel(tmp_path, tmp_path / "dist")


def test_uv_failure_shows_the_command_and_its_output(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match=r"uv build .* failed") as failed:
        venvs.build_wheel(tmp_path / "no-such-project", tmp_path / "dist")
    assert "no-such-project" in str(failed.value)
