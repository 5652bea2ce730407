"""claw-otlp: OpenTelemetry traces, metrics and log events of claw sessions over OTLP.

Also the trace-context hand-off for work a session starts elsewhere (sub-agents and background tasks,
which claw does not have yet): pass :func:`child_environment` to the child, whose own session then
reads ``TRACEPARENT`` and records its spans as children of the parent's current turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claw_otlp._telemetry import Telemetry

#: Any of these set (non-empty) turns telemetry on, unless ``CLAUDE_CODE_ENABLE_TELEMETRY=0`` or
#: ``OTEL_SDK_DISABLED=true``; ``CLAUDE_CODE_ENABLE_TELEMETRY=1`` alone uses the OTLP defaults.
ENDPOINT_VARIABLES = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    "CLAWD_OTLP_HTTP_ENDPOINT",
    "CLAWD_OTLP_GRPC_ENDPOINT",
)
_TRUE = {"1", "true", "yes", "on"}

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


def effective_env(env: Mapping[str, str], settings: Mapping[str, Any]) -> dict[str, str]:
    """The process environment with settings ``env`` on top (as Claude Code applies it, and as claw's
    shell tool does)."""
    merged = dict(env)
    extra = settings.get("env")
    if isinstance(extra, Mapping):
        merged.update({str(k): str(v) for k, v in extra.items()})
    return merged


def wanted(env: Mapping[str, str]) -> bool:
    """Whether ``env`` asks for telemetry. Kept here, in the package every start imports anyway, so
    deciding "off" loads nothing more (the start-up cost of the plugin when off)."""
    enable = env.get("CLAUDE_CODE_ENABLE_TELEMETRY", "").strip().lower()
    if enable in {"0", "false", "no", "off"} or env.get("OTEL_SDK_DISABLED", "").strip().lower() in _TRUE:
        return False
    return enable in _TRUE or any(env.get(name) for name in ENDPOINT_VARIABLES)
