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
    off, off_seconds = session({})
    assert off.exit_code == 0, off.stderr
    if failure == "down":
        url = f"http://127.0.0.1:{closed_port}"
    else:
        receiver = request.getfixturevalue("grpc_receiver" if protocol == "grpc" else "http_receiver")
        receiver.mode = failure
        url = receiver.url
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_EXPORTER_OTLP_PROTOCOL": protocol}
    on, on_seconds = session(env)
    if on_seconds >= off_seconds + FLUSH_TIMEOUT + SLACK:  # a loaded machine's pause, or a flush unbounded:
        for key in env:  # the second pair tells them apart (``session`` keeps what it was given)
            del claw.env[key]
        (off, off_seconds), (on, on_seconds) = session({}), session(env)
    assert on.exit_code == off.exit_code == 0, on.stderr
    assert on.stdout == off.stdout
    warnings = [line for line in on.stderr.splitlines() if "telemetry" in line]
    assert len(warnings) == 1, on.stderr
    assert warnings[0].startswith(f"claw: warning: telemetry to {protocol} ")
    assert on.stderr.replace(warnings[0] + "\n", "") == off.stderr
    assert on_seconds < off_seconds + FLUSH_TIMEOUT + SLACK, (on_seconds, off_seconds)
