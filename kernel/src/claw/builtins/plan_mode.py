"""Claude Code's plan-mode tools, ``EnterPlanMode`` and ``ExitPlanMode``; they switch the session's
permission engine (docs/permissions.md). A plugin takes either name with settings ``plugins.overrides``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.tools import Tool


@hookimpl
def claw_register_tools(register: Callable[[Tool], None]) -> None:
    from claw.permissions.plan_mode import EnterPlanMode, ExitPlanMode

    register(EnterPlanMode())
    register(ExitPlanMode())
