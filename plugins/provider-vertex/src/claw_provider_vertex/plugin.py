"""Entry point of the provider-vertex plugin: hook implementations only; the SDKs load on first use."""

from __future__ import annotations

from typing import Any

import claw

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_providers(register: Any) -> None:
    from claw_provider_vertex.provider import VertexProvider

    register(VertexProvider)
