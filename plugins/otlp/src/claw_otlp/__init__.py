"""claw-otlp: OpenTelemetry traces, metrics and log events of claw sessions over OTLP.

Also the trace-context hand-off for work a session starts elsewhere (sub-agents and background tasks,
which claw does not have yet): pass :func:`child_environment` to the child, whose own session then
reads ``TRACEPARENT`` and records its spans as children of the parent's current turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claw_otlp._telemetry import Telemetry

#: session id -> its telemetry, while the session runs with telemetry on.
ACTIVE: dict[str, Telemetry] = {}


def traceparent(session_id: str) -> str | None:
    """The W3C ``traceparent`` of ``session_id``'s current turn (else its session span), or ``None`` when
    that session exports no traces."""
    telemetry = ACTIVE.get(session_id)
    return telemetry.traceparent() if telemetry is not None else None


def child_environment(session_id: str) -> dict[str, str]:
    """Environment variables to give a sub-agent or background task started by ``session_id`` so its
    spans join this trace (``{"TRACEPARENT": ...}``; empty when telemetry is off)."""
    value = traceparent(session_id)
    return {"TRACEPARENT": value} if value else {}
