"""Entry point of claw-otlp: hook implementations only.

Imported on every ``claw`` start, so it imports only ``claw``; the OpenTelemetry SDK and exporters
load at session start, and only when telemetry is configured. With telemetry off a runtime event costs
one dictionary lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import claw

from claw_otlp import ACTIVE, effective_env, wanted

if TYPE_CHECKING:
    from claw import EffectiveSettings

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> None:
    env = effective_env(session.env, session.settings)
    if not wanted(env):
        return
    from claw_otlp._session import start

    start(session.session_id, env)


@claw.hookimpl
def claw_runtime_event(event: claw.RuntimeEvent) -> None:
    telemetry = ACTIVE.get(event.session_id)
    if telemetry is not None:
        telemetry.handle(event)
        if event.type == "session_end":
            ACTIVE.pop(event.session_id, None)


@claw.hookimpl
def claw_doctor_checks(settings: EffectiveSettings, env: dict[str, str]) -> list[Any]:
    from claw_otlp._doctor import checks

    return checks(settings, env)
