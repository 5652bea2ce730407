"""Entry point of claw-sandbox: hook implementations only. Imports only ``claw`` and ``click``;
probing bwrap happens when a session or a command needs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import claw
import click

if TYPE_CHECKING:
    from claw import EffectiveSettings

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_sandboxes(register: Callable[[type[claw.Sandbox]], None]) -> None:
    from claw_sandbox.sandbox import BubblewrapSandbox

    register(BubblewrapSandbox)


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_sandbox.cli import sandbox

    cli.add_command(sandbox)


@claw.hookimpl
def claw_doctor_checks(settings: EffectiveSettings, env: dict[str, str]) -> list[claw.DoctorCheck]:
    from claw_sandbox.cli import doctor_check

    return [doctor_check(settings)]
