"""Entry point of the marketplace plugin: ``claw plugin ...``, ``claw marketplace build`` and the
``marketplace`` settings key. Imports only claw and click; the work loads when a command runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import claw
import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_marketplace.commands import marketplace_group, plugin_group

    cli.add_command(plugin_group)
    cli.add_command(marketplace_group)


@claw.hookimpl
def claw_register_settings(register: Callable[..., Any]) -> None:
    from claw_marketplace.settings import MarketplaceSettings

    register(
        "marketplace",
        MarketplaceSettings,
        "Plugin marketplace: url, publicKey, requireSigned, sigstoreIdentities, wheelSizeLimit, caBundle",
    )


@claw.hookimpl
def claw_doctor_checks(settings: Any, env: dict[str, str]) -> list[Any]:
    from claw_marketplace.doctor import checks

    return checks(settings, env)
