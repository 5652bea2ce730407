"""The ``commands`` plugin: claw's management commands, added through ``claw_register_commands``, and
the built-in slash commands (``/cost``), added through ``claw_register_slash_commands``; and ``claw doctor``'s
trust, state and provider credential lines, answered through ``claw_doctor_checks``.

Each command module imports only click and ``claw`` at the top, so registering them for ``claw --help``
costs a few imports. A plugin replaces one by adding a command of the same name with settings
``plugins.overrides`` naming it (``{"models": "my-dist"}``, ``{"cost": "my-dist"}``), or all of them by
disabling this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    import click
    from claw import BuiltinCommand, CommandContext, DoctorCheck, EffectiveSettings


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_commands.bootstrap import bootstrap_plan
    from claw_commands.config_cmd import config
    from claw_commands.manifests import dump_manifests
    from claw_commands.models_cmd import models
    from claw_commands.print_prompt_cmd import print_system_prompt
    from claw_commands.trust_cmd import trust

    for command in (bootstrap_plan, config, dump_manifests, models, print_system_prompt, trust):
        cli.add_command(command)


@hookimpl
def claw_register_slash_commands(register: Callable[[BuiltinCommand], None]) -> None:
    from claw_commands.slash import COMMANDS

    for command in COMMANDS:
        register(command)


@hookimpl
def claw_doctor_checks(
    settings: EffectiveSettings, env: dict[str, str], context: CommandContext
) -> list[DoctorCheck]:
    from claw_commands.doctor_checks import checks

    return checks(settings, context)
