"""The project fixture: a small two-file Python package in the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import MAIN, UTIL


@pytest.fixture
def project(workspace: Path) -> Path:
    (workspace / "util.py").write_text(UTIL)
    (workspace / "main.py").write_text(MAIN)
    return workspace
