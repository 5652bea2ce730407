"""``claw doctor``: is this installation healthy, and if not, why (:mod:`.command`). A command like any
plugin's (``claw_register_commands``). Its own checks (Python, settings files, each plugin's health, the
model a run would use) are not ``claw_doctor_checks`` answers: they must run when the settings are broken
(that hook gets valid settings) and read the plugins' health after every other plugin's checks ran."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw._builtins.doctor.command import doctor

    cli.add_command(doctor)
