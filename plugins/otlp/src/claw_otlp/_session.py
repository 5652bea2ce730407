"""Turning telemetry on for a session: configuration read, exporters built, or one warning why not."""

from __future__ import annotations

import atexit
from collections.abc import Mapping

from claw import warn

from claw_otlp import ACTIVE
from claw_otlp._config import TelemetryConfigError, resolve


def start(session_id: str, env: Mapping[str, str]) -> None:
    """Start exporting the session's events as ``env`` (settings ``env`` included) configures; a bad
    variable or an exporter that cannot be built turns telemetry off for the session with one warning,
    never ends it."""
    try:
        config = resolve(env)
    except TelemetryConfigError as exc:
        warn(f"telemetry is off: {exc}")
        return
    if config is None:
        return
    from claw_otlp._telemetry import Telemetry

    try:
        ACTIVE[session_id] = Telemetry(config, session_id)
    except Exception as exc:
        warn(f"telemetry is off: the OpenTelemetry exporters could not start: {type(exc).__name__}: {exc}")
        return
    _flush_at_exit()


_registered: list[bool] = []


def _flush_at_exit() -> None:
    """A process that ends without ``session_end`` (a crash) still sends what it can, within the
    same bound as a normal end."""
    if not _registered:
        _registered.append(True)
        atexit.register(_shutdown_all)


def _shutdown_all() -> None:
    for session_id in list(ACTIVE):
        ACTIVE.pop(session_id).shutdown()
