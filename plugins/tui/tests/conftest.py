"""Fixtures: a :class:`claw_tui.app.ClawTui` on a real claw app and the scripted model, for Pilot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def make_tui(scripted: Any, workspace: Path) -> Callable[..., Any]:
    """``make_tui(initial=None, **options)``: the UI for a session in ``workspace`` answered by the
    scripted model (queue its replies with ``scripted.script``)."""
    from claw.app import App
    from claw_tui.app import ClawTui

    def make(initial: str | None = None, **options: Any) -> ClawTui:
        import claw

        return ClawTui(
            App(workspace=workspace), claw.LoopOptions(model="scripted/default", **options), initial
        )

    return make
