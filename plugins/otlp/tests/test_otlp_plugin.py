"""The entry point stays light, and ``claw doctor`` says where telemetry goes and whether it answers."""

from __future__ import annotations

from claw.testing import assert_import_light


def test_entry_point_imports_only_claw():
    assert_import_light(
        "claw_otlp.plugin",
        banned={"opentelemetry", "grpc", "google.protobuf", "requests", "pydantic", "asyncio"},
        only_itself=True,
        claw_modules={"claw._markers", "claw._version"},
    )


def _telemetry_lines(result):  # type: ignore[no-untyped-def]
    return [c for c in result.json() if c["section"] == "telemetry"]


def test_doctor_when_off(claw):
    (line,) = _telemetry_lines(claw("doctor", "--json"))
    assert line["status"] == "info" and line["detail"].startswith("off")


def test_doctor_names_the_endpoint_and_whether_it_answers(claw, http_receiver, closed_port):
    claw.env.update(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": http_receiver.url, "OTEL_EXPORTER_OTLP_HEADERS": "k=secret"}
    )
    (line,) = _telemetry_lines(claw("doctor", "--json"))
    assert line["status"] == "ok"
    assert line["detail"] == f"traces, metrics, logs -> http/protobuf {http_receiver.url}: answers"
    assert http_receiver.count == 0  # a connection check sends nothing
    claw.env.update(
        {
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"127.0.0.1:{closed_port}",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc",
        }
    )
    lines = _telemetry_lines(claw("doctor", "--json"))
    assert [(c["status"], c["detail"].split(":")[0]) for c in lines] == [
        ("warn", "traces -> grpc 127.0.0.1"),
        ("ok", "metrics, logs -> http/protobuf http"),
    ]
    assert "not answering" in lines[0]["detail"] and all("secret" not in c["detail"] for c in lines)


def test_doctor_reports_a_bad_variable(claw):
    claw.env.update({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:1", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"})
    (line,) = _telemetry_lines(claw("doctor", "--json"))
    assert line["status"] == "fail" and "http/json is not supported" in line["detail"]


def test_lines_changed_counts_patch_hunks_and_new_files():
    from claw_otlp._telemetry import lines_changed

    patch = [{"lines": [" keep", "-old", "+new", "+more"]}, {"lines": ["-gone"]}]
    assert lines_changed({"structuredPatch": patch}) == {"added": 2, "removed": 2}
    created = {"type": "create", "structuredPatch": [], "content": "a\nb\nc\n"}
    assert lines_changed(created) == {"added": 3, "removed": 0}
    assert lines_changed({"filenames": []}) == {}
