"""The official OTLP exporters, one per signal, built from :class:`claw_otlp._config.Target` values.

Everything is passed explicitly (endpoint, headers, timeout, TLS) rather than left to the exporters'
own reading of ``os.environ``: the session's environment includes settings ``env``, which the process
environment does not.
"""

from __future__ import annotations

from typing import Any

from claw_otlp._config import Target

_CLASSES = {
    ("grpc", "traces"): ("opentelemetry.exporter.otlp.proto.grpc.trace_exporter", "OTLPSpanExporter"),
    ("grpc", "metrics"): ("opentelemetry.exporter.otlp.proto.grpc.metric_exporter", "OTLPMetricExporter"),
    ("grpc", "logs"): ("opentelemetry.exporter.otlp.proto.grpc._log_exporter", "OTLPLogExporter"),
    ("http/protobuf", "traces"): (
        "opentelemetry.exporter.otlp.proto.http.trace_exporter",
        "OTLPSpanExporter",
    ),
    ("http/protobuf", "metrics"): (
        "opentelemetry.exporter.otlp.proto.http.metric_exporter",
        "OTLPMetricExporter",
    ),
    ("http/protobuf", "logs"): ("opentelemetry.exporter.otlp.proto.http._log_exporter", "OTLPLogExporter"),
}


def exporters(targets: dict[str, Target]) -> dict[str, Any]:
    """``{signal: exporter}`` for every configured signal."""
    import importlib

    made = {}
    for signal, target in targets.items():
        module, name = _CLASSES[(target.protocol, signal)]
        cls = getattr(importlib.import_module(module), name)
        if target.protocol == "grpc":
            made[signal] = cls(
                endpoint=target.endpoint,
                insecure=target.insecure,
                # gRPC metadata keys must be lower case.
                headers={k.lower(): v for k, v in target.headers.items()},
                timeout=target.timeout,
            )
        else:
            made[signal] = cls(endpoint=target.endpoint, headers=dict(target.headers), timeout=target.timeout)
    return made
