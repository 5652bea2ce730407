"""The ``plan_mode`` plugin: Claude Code's plan-mode tools, ``EnterPlanMode`` and ``ExitPlanMode``; they
switch the session's permission mode (docs/permissions.md). A plugin takes either name with settings
``plugins.overrides``; ``plugins.disabled: ["plan_mode"]`` drops both."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw import Tool


@hookimpl
def claw_register_tools(register: Callable[[Tool], None]) -> None:
    from claw_permissions.plan_mode import EnterPlanMode, ExitPlanMode

    register(EnterPlanMode())
    register(ExitPlanMode())
