"""Where telemetry goes, read from the environment: the standard ``OTEL_*`` variables, the seed's
``CLAWD_*`` ones and Claude Code's ``CLAUDE_CODE_ENABLE_TELEMETRY``.

Standard library only: this runs at every session start and for ``claw doctor``, telemetry on or off,
so it must cost next to nothing. Off unless configured: nothing is exported until an endpoint is set
or ``CLAUDE_CODE_ENABLE_TELEMETRY=1`` asks for the OTLP defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from claw_otlp import wanted

SIGNALS = ("traces", "metrics", "logs")
PROTOCOLS = ("grpc", "http/protobuf")
#: Where the OTLP specification sends data when only the protocol is known.
DEFAULT_ENDPOINTS = {"grpc": "http://localhost:4317", "http/protobuf": "http://localhost:4318"}
#: Seconds the final flush at the end of a session may take, at most (``CLAW_OTLP_FLUSH_TIMEOUT``).
FLUSH_TIMEOUT = 2.0
#: Seconds one export request may take (``OTEL_EXPORTER_OTLP_TIMEOUT``, in milliseconds, overrides).
EXPORT_TIMEOUT = 5.0
TRUE = {"1", "true", "yes", "on"}


class TelemetryConfigError(ValueError):
    """A telemetry variable has a value claw cannot use (the message names it)."""


@dataclass(frozen=True)
class Target:
    """Where one signal goes."""

    protocol: str
    #: gRPC: the collector's address; HTTP: the signal's full URL (``.../v1/traces``).
    endpoint: str
    headers: dict[str, str] = field(default_factory=dict)
    insecure: bool = False
    timeout: float = EXPORT_TIMEOUT

    def describe(self) -> str:
        """``grpc http://collector:4317`` (never the headers: they carry credentials)."""
        return f"{self.protocol} {self.endpoint}"


@dataclass(frozen=True)
class TelemetryConfig:
    targets: dict[str, Target]
    service_name: str = "claw"
    service_version: str = ""
    resource: dict[str, str] = field(default_factory=dict)
    #: ``OTEL_LOG_USER_PROMPTS=1``: prompt text goes into spans and events (off by default).
    log_user_prompts: bool = False
    #: ``OTEL_LOG_TOOL_DETAILS=1``: tool inputs, tool error text and hook commands go too.
    log_tool_details: bool = False
    flush_timeout: float = FLUSH_TIMEOUT
    #: ``OTEL_METRIC_EXPORT_INTERVAL``: milliseconds between metric exports (and one at the end).
    metric_interval_ms: float = 60_000
    #: ``TRACEPARENT``: the W3C trace context of a parent process (a parent agent, a CI job).
    traceparent: str = ""


def resolve(env: Mapping[str, str]) -> TelemetryConfig | None:
    """The telemetry configuration, or ``None`` when telemetry is off.

    :raises TelemetryConfigError: a protocol, header list or number that cannot be used.
    """
    if not wanted(env):
        return None
    timeout = _number(env, "OTEL_EXPORTER_OTLP_TIMEOUT", EXPORT_TIMEOUT * 1000) / 1000
    targets = {}
    for signal in SIGNALS:
        if env.get(f"OTEL_{signal.upper()}_EXPORTER", "otlp").strip().lower() == "none":
            continue
        targets[signal] = _target(env, signal, timeout)
    resource = _pairs(env.get("OTEL_RESOURCE_ATTRIBUTES", ""), "OTEL_RESOURCE_ATTRIBUTES")
    service = (
        env.get("OTEL_SERVICE_NAME")
        or env.get("CLAWD_SERVICE_NAME")
        or resource.get("service.name")
        or "claw"
    )
    return TelemetryConfig(
        targets=targets,
        service_name=service,
        service_version=env.get("CLAWD_SERVICE_VERSION", ""),
        resource=resource,
        log_user_prompts=env.get("OTEL_LOG_USER_PROMPTS", "").strip().lower() in TRUE,
        log_tool_details=env.get("OTEL_LOG_TOOL_DETAILS", "").strip().lower() in TRUE,
        flush_timeout=_number(env, "CLAW_OTLP_FLUSH_TIMEOUT", FLUSH_TIMEOUT),
        metric_interval_ms=_number(env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000),
        traceparent=env.get("TRACEPARENT", "").strip(),
    )


def _target(env: Mapping[str, str], signal: str, timeout: float) -> Target:
    """One signal's target: its own ``OTEL_EXPORTER_OTLP_<SIGNAL>_*`` variables, else the general
    ones, else the seed's ``CLAWD_OTLP_*`` (gRPC when only ``CLAWD_OTLP_GRPC_ENDPOINT`` is set)."""
    up = signal.upper()
    own = env.get(f"OTEL_EXPORTER_OTLP_{up}_ENDPOINT", "").strip()
    general = env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    grpc_seed = env.get("CLAWD_OTLP_GRPC_ENDPOINT", "").strip()
    http_seed = env.get("CLAWD_OTLP_HTTP_ENDPOINT", "").strip()
    protocol = (
        env.get(f"OTEL_EXPORTER_OTLP_{up}_PROTOCOL")
        or env.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or ("grpc" if grpc_seed and not (own or general or http_seed) else "http/protobuf")
    ).strip()
    if protocol not in PROTOCOLS:
        hint = " (the OpenTelemetry Python SDK has no OTLP/JSON exporter)" if protocol == "http/json" else ""
        raise TelemetryConfigError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol} is not supported{hint}; use grpc or http/protobuf"
        )
    headers = _pairs(env.get("OTEL_EXPORTER_OTLP_HEADERS", ""), "OTEL_EXPORTER_OTLP_HEADERS")
    if protocol == "grpc":
        headers.update(_pairs(env.get("CLAWD_OTLP_GRPC_HEADERS", ""), "CLAWD_OTLP_GRPC_HEADERS"))
    headers.update(
        _pairs(env.get(f"OTEL_EXPORTER_OTLP_{up}_HEADERS", ""), f"OTEL_EXPORTER_OTLP_{up}_HEADERS")
    )
    seed = grpc_seed if protocol == "grpc" else http_seed
    base = general or seed or DEFAULT_ENDPOINTS[protocol]
    endpoint = own or (base if protocol == "grpc" else _signal_url(base, signal))
    insecure_var = env.get("OTEL_EXPORTER_OTLP_INSECURE") or env.get("CLAWD_OTLP_GRPC_INSECURE")
    insecure = insecure_var.strip().lower() in TRUE if insecure_var else urlsplit(endpoint).scheme == "http"
    return Target(protocol, endpoint, headers, insecure, timeout)


def _signal_url(base: str, signal: str) -> str:
    """``base`` + ``/v1/<signal>``, as the specification builds per-signal URLs from the general
    endpoint; a URL that already names a signal path (the seed's ``.../v1/traces``) keeps its base."""
    trimmed = base.rstrip("/")
    for known in SIGNALS:
        if trimmed.endswith(f"/v1/{known}"):
            trimmed = trimmed[: -len(f"/v1/{known}")]
    return f"{trimmed}/v1/{signal}"


def _pairs(text: str, name: str) -> dict[str, str]:
    """``key1=value1,key2=value2`` (values URL-encoded, as the specification says) as a dict."""
    pairs: dict[str, str] = {}
    for number, item in enumerate(text.split(","), 1):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():  # the item itself is not shown: it may be a credential
            raise TelemetryConfigError(
                f"{name} must be key=value pairs separated by commas (item {number} is not)"
            )
        pairs[unquote(key.strip())] = unquote(value.strip())
    return pairs


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise TelemetryConfigError(f"{name} must be a number (got {value!r})") from None
    if number <= 0:
        raise TelemetryConfigError(f"{name} must be positive (got {value!r})")
    return number
