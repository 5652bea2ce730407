"""Entry point of the provider-foundry plugin: hook implementations only; the SDKs load on first use."""

from __future__ import annotations

from typing import Any

import claw

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_providers(register: Any) -> None:
    from claw_provider_foundry.provider import FoundryProvider

    register(FoundryProvider)
