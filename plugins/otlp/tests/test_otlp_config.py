"""Which variables turn telemetry on and where each signal goes; bad values fail with one line."""

from __future__ import annotations

import pytest
from claw_otlp import effective_env
from claw_otlp._config import TelemetryConfigError, resolve


def test_off_unless_configured():
    assert resolve({}) is None
    assert resolve({"OTEL_SERVICE_NAME": "x", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}) is None
    assert (
        resolve({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "CLAUDE_CODE_ENABLE_TELEMETRY": "0"}) is None
    )
    assert resolve({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}) is None


def test_claude_code_switch_uses_the_specification_defaults():
    config = resolve({"CLAUDE_CODE_ENABLE_TELEMETRY": "1"})
    assert config is not None
    assert {s: t.endpoint for s, t in config.targets.items()} == {
        "traces": "http://localhost:4318/v1/traces",
        "metrics": "http://localhost:4318/v1/metrics",
        "logs": "http://localhost:4318/v1/logs",
    }
    grpc = resolve({"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})
    assert grpc is not None and grpc.targets["traces"].endpoint == "http://localhost:4317"
    assert grpc.targets["traces"].insecure


def test_per_signal_variables_beat_the_general_ones():
    config = resolve(
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318/",
            "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20abc,x-a=1",
            "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "grpc",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "https://metrics:4317",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "x-a=2",
            "OTEL_LOGS_EXPORTER": "none",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
            "OTEL_METRIC_EXPORT_INTERVAL": "1000",
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource,team=a",
        }
    )
    assert config is not None
    traces, metrics = config.targets["traces"], config.targets["metrics"]
    assert set(config.targets) == {"traces", "metrics"}
    assert (traces.protocol, traces.endpoint, traces.insecure) == (
        "http/protobuf",
        "https://collector:4318/v1/traces",
        False,
    )
    assert traces.headers == {"authorization": "Bearer abc", "x-a": "2"} and traces.timeout == 2.5
    assert (metrics.protocol, metrics.endpoint) == ("grpc", "https://metrics:4317")
    assert config.service_name == "from-resource" and config.resource["team"] == "a"
    assert config.metric_interval_ms == 1000
    assert "abc" not in traces.describe()


def test_seed_variables():
    config = resolve(
        {
            "CLAWD_OTLP_GRPC_ENDPOINT": "collector:4317",
            "CLAWD_OTLP_GRPC_INSECURE": "1",
            "CLAWD_OTLP_GRPC_HEADERS": "k=v",
            "CLAWD_SERVICE_NAME": "seedy",
            "CLAWD_SERVICE_VERSION": "1.2",
        }
    )
    assert config is not None
    target = config.targets["logs"]
    assert (target.protocol, target.endpoint, target.insecure, target.headers) == (
        "grpc",
        "collector:4317",
        True,
        {"k": "v"},
    )
    assert (config.service_name, config.service_version) == ("seedy", "1.2")
    http = resolve({"CLAWD_OTLP_HTTP_ENDPOINT": "http://c:4318/v1/traces"})
    assert http is not None and http.targets["metrics"].endpoint == "http://c:4318/v1/metrics"


def test_settings_env_applies_over_the_process_environment():
    env = effective_env(
        {"OTEL_SERVICE_NAME": "a"}, {"env": {"OTEL_SERVICE_NAME": "b", "CLAUDE_CODE_ENABLE_TELEMETRY": 1}}
    )
    assert env == {"OTEL_SERVICE_NAME": "b", "CLAUDE_CODE_ENABLE_TELEMETRY": "1"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"},
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/json is not supported",
        ),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "carrier-pigeon"}, "use grpc or http/protobuf"),
        ({"OTEL_EXPORTER_OTLP_HEADERS": "Bearer sekrit"}, "item 1 is not"),
        ({"OTEL_EXPORTER_OTLP_TIMEOUT": "soon"}, "OTEL_EXPORTER_OTLP_TIMEOUT must be a number"),
        ({"CLAW_OTLP_FLUSH_TIMEOUT": "-1"}, "CLAW_OTLP_FLUSH_TIMEOUT must be positive"),
    ],
)
def test_bad_values_are_one_clear_line(env, message):
    with pytest.raises(TelemetryConfigError, match=message) as raised:
        resolve({"CLAUDE_CODE_ENABLE_TELEMETRY": "1", **env})
    assert "\n" not in str(raised.value) and "sekrit" not in str(raised.value)
