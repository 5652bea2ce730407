"""Offering the tool to a session, and what ``claw doctor`` says about it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import claw
from claw import warn

from claw_computer_use._display import Unavailable, display_of, problems
from claw_computer_use._settings import ComputerUseSettings, computer_settings
from claw_computer_use._tool import open_computer


async def offer(session: claw.SessionContext, settings: ComputerUseSettings) -> None:
    """Add the ``computer`` tool when the display answers; otherwise say why on stderr and leave it out
    (a model is never offered a tool that cannot work)."""
    try:
        tool = await open_computer(session.env, settings)
    except Unavailable as exc:
        warn(f"{exc}; the computer tool is not offered (claw doctor shows the details)")
        return
    session.add_tool(tool)


def doctor_checks(settings: Mapping[str, Any], env: Mapping[str, str]) -> list[claw.DoctorCheck]:
    """One line: ready (the display and tool version), unavailable (what is missing) or not enabled."""
    config = computer_settings(settings)
    display = display_of(env, config.display)
    found = problems(env, display)
    if not config.enabled:
        status, detail = "info", "not enabled (settings computerUse.enabled)"
        if found:
            detail += "; would be unavailable: " + "; ".join(found)
    elif found:
        status, detail = "fail", "unavailable, the computer tool is not offered: " + "; ".join(found)
    else:
        status, detail = "ok", f"DISPLAY={display}, {config.toolVersion}"
    return [claw.DoctorCheck(section="computer-use", name="display", status=status, detail=detail)]
