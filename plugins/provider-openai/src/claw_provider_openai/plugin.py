"""Entry point of the provider-openai plugin: hook implementations only; the SDK loads on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from claw import Provider

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_providers(register: Callable[[type[Provider]], None]) -> None:
    from claw_provider_openai.provider import OpenAIProvider

    register(OpenAIProvider)
