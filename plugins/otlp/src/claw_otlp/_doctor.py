"""``claw doctor``: where telemetry goes and whether each endpoint answers (a TCP connect, at most
:data:`TIMEOUT` seconds each, so doctor stays quick and sends nothing)."""

from __future__ import annotations

import socket
from typing import Any, Literal
from urllib.parse import urlsplit

from claw_otlp import effective_env
from claw_otlp._config import DEFAULT_ENDPOINTS, Target, TelemetryConfigError, resolve

TIMEOUT = 1.0


def checks(settings: Any, env: dict[str, str]) -> list[Any]:
    from claw import DoctorCheck

    def line(status: Literal["ok", "warn", "fail", "info"], detail: str, name: str = "export") -> Any:
        return DoctorCheck(section="telemetry", name=name, status=status, detail=detail)

    try:
        config = resolve(effective_env(env, settings.data))
    except TelemetryConfigError as exc:
        return [line("fail", str(exc))]
    if config is None:
        return [line("info", "off (set OTEL_EXPORTER_OTLP_ENDPOINT or CLAUDE_CODE_ENABLE_TELEMETRY=1)")]
    if not config.targets:
        return [line("info", "on, but every signal's exporter is none")]
    by_server: dict[tuple[str, str], tuple[Target, list[str]]] = {}
    for signal, target in config.targets.items():
        by_server.setdefault((target.protocol, _server(target)), (target, []))[1].append(signal)
    result = []
    for (protocol, server), (target, signals) in by_server.items():
        problem = _unreachable(target)
        what = f"{', '.join(signals)} -> {protocol} {server}"
        result.append(
            line("warn", f"{what}: not answering ({problem})", "endpoint")
            if problem
            else line("ok", f"{what}: answers", "endpoint")
        )
    return result


def _parts(target: Target) -> Any:
    return urlsplit(target.endpoint if "://" in target.endpoint else f"//{target.endpoint}")


def _server(target: Target) -> str:
    """The endpoint without its signal path: ``http://collector:4318``."""
    parts = _parts(target)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


def _unreachable(target: Target) -> str | None:
    """Why the endpoint's host and port do not accept a connection, or ``None`` when they do."""
    parts = _parts(target)
    default = urlsplit(DEFAULT_ENDPOINTS[target.protocol]).port
    port = parts.port or (443 if parts.scheme == "https" else default)
    try:
        with socket.create_connection((parts.hostname or "localhost", port), timeout=TIMEOUT):
            return None
    except OSError as exc:
        return exc.strerror or type(exc).__name__
