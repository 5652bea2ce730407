"""Every hook in claw.hookspecs is documented in docs/plugins.md with its exact arguments."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from claw import hookspecs

DOC = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text()
HOOKS = [name for name, fn in vars(hookspecs).items() if name.startswith("claw_") and inspect.isfunction(fn)]


def test_all_hooks_found():
    assert len(HOOKS) >= 13


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name):
    args = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"### `{name}({args})`" in DOC
