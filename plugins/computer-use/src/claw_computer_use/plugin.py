"""Entry point of the computer-use plugin: the ``computer`` tool (per session, when ``computerUse.enabled``
is set and the display and programs are there), the ``computerUse`` settings key, ``claw doctor`` lines
and ``claw computer-use desktop``. Only ``claw`` is imported here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import claw

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_settings(register: Callable[..., Any]) -> None:
    from claw_computer_use._settings import ComputerUseSettings

    register(
        "computerUse",
        ComputerUseSettings,
        "Computer use on X11: enabled, toolVersion, display, typingDelayMs.",
    )


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> Awaitable[None] | None:
    from claw_computer_use._settings import computer_settings

    settings = computer_settings(session.settings)
    if not settings.enabled:
        return None
    from claw_computer_use._session import offer

    return offer(session, settings)


@claw.hookimpl
def claw_doctor_checks(settings: Any, env: dict[str, str]) -> list[claw.DoctorCheck]:
    from claw_computer_use._session import doctor_checks

    return doctor_checks(settings.data, env)


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_computer_use._commands import computer_use

    cli.add_command(computer_use)
