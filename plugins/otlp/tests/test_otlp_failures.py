"""A collector that is down, hangs or answers 500 costs the session nothing but one warning and the
bounded final flush: the same output as with telemetry off, and the process exits promptly."""

from __future__ import annotations

import pytest
from claw_otlp._config import FLUSH_TIMEOUT

#: Process start-up and scheduling noise on a loaded machine.
SLACK = 2.5


@pytest.mark.parametrize("protocol", ["grpc", "http/protobuf"])
@pytest.mark.parametrize("failure", ["down", "hang", "500"])
def test_a_failing_collector_changes_nothing_but_one_warning(
    claw,
    session,
    failure,
    protocol,
    closed_port,
    request,
):
    off, _ = session({})
    assert off.exit_code == 0, off.stderr
    receiver = request.getfixturevalue("grpc_receiver" if protocol == "grpc" else "http_receiver")
    healthy_env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_EXPORTER_OTLP_PROTOCOL": protocol}
    failing_env = {**healthy_env, "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{closed_port}"}

    def timed_pair() -> tuple[object, float, float]:
        """A run to a healthy collector (the same SDK imports and export work), then one to the failing
        one: on a loaded machine both slow down alike, so only a flush that is not bounded tells them
        apart."""
        receiver.mode = "ok"
        _, healthy_seconds = session(healthy_env)
        if failure != "down":
            receiver.mode = failure
        on, on_seconds = session(failing_env if failure == "down" else healthy_env)
        return on, on_seconds, healthy_seconds

    on, on_seconds, healthy_seconds = timed_pair()
    if on_seconds >= healthy_seconds + FLUSH_TIMEOUT + SLACK:  # one pause of a loaded machine, or unbounded
        on, on_seconds, healthy_seconds = timed_pair()
    assert on.exit_code == off.exit_code == 0, on.stderr
    assert on.stdout == off.stdout
    warnings = [line for line in on.stderr.splitlines() if "telemetry" in line]
    assert len(warnings) == 1, on.stderr
    assert warnings[0].startswith(f"claw: warning: telemetry to {protocol} ")
    assert on.stderr.replace(warnings[0] + "\n", "") == off.stderr
    assert on_seconds < healthy_seconds + FLUSH_TIMEOUT + SLACK, (on_seconds, healthy_seconds)
