"""Test support: the scripted session, and real OTLP receivers on loopback, started by the tests: a gRPC server implementing the collector's
trace, metrics and logs services (the servicers generated in ``opentelemetry-proto``) and an HTTP server
decoding the protobuf bodies. Each keeps the raw bytes it received, for redaction checks, and can be
told to answer 500 or to hang."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from claw.testing.script import Fault, Reply, Text, ToolCall
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2 as logs_pb
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2_grpc as logs_grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2 as metrics_pb
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as trace_pb
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc as trace_grpc

REQUESTS = {
    "traces": (trace_pb.ExportTraceServiceRequest, trace_pb.ExportTraceServiceResponse),
    "metrics": (metrics_pb.ExportMetricsServiceRequest, metrics_pb.ExportMetricsServiceResponse),
    "logs": (logs_pb.ExportLogsServiceRequest, logs_pb.ExportLogsServiceResponse),
}


class Received:
    """What a receiver got: decoded requests per signal, raw bytes and headers of every request."""

    def __init__(self) -> None:
        self.requests: dict[str, list[Any]] = {s: [] for s in REQUESTS}
        self.raw: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        #: ``"ok"``, ``"500"`` or ``"hang"``.
        self.mode = "ok"
        self.release = threading.Event()

    def add(self, signal: str, raw: bytes, headers: dict[str, str]) -> Any:
        message = REQUESTS[signal][0].FromString(raw)
        with self.lock:
            self.raw.append(raw)
            self.headers.append(headers)
            self.requests[signal].append(message)
        return message

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.raw)

    def spans(self) -> list[Any]:
        return [
            span
            for request in self.requests["traces"]
            for rs in request.resource_spans
            for ss in rs.scope_spans
            for span in ss.spans
        ]

    def resources(self) -> list[dict[str, Any]]:
        return [
            {a.key: _value(a.value) for a in rs.resource.attributes}
            for request in self.requests["traces"]
            for rs in request.resource_spans
        ]

    def metrics(self) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for request in self.requests["metrics"]:
            for rm in request.resource_metrics:
                for sm in rm.scope_metrics:
                    for metric in sm.metrics:
                        found.setdefault(metric.name, []).append(metric)
        return found

    def logs(self) -> list[Any]:
        return [
            record
            for request in self.requests["logs"]
            for rl in request.resource_logs
            for sl in rl.scope_logs
            for record in sl.log_records
        ]

    def everything(self) -> bytes:
        """Every byte received, headers included."""
        with self.lock:
            heads = [f"{k}: {v}".encode() for h in self.headers for k, v in h.items()]
            return b"\n".join([*self.raw, *heads])


def _value(value: Any) -> Any:
    return getattr(value, value.WhichOneof("value")) if value.WhichOneof("value") else None


def attributes(item: Any) -> dict[str, Any]:
    """A span's, data point's or log record's attributes as a dict."""
    return {a.key: _value(a.value) for a in item.attributes}


class HttpReceiver(Received):
    """OTLP/HTTP with protobuf bodies on ``/v1/traces``, ``/v1/metrics``, ``/v1/logs``."""

    def __init__(self) -> None:
        super().__init__()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the OTLP/HTTP method
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                signal = self.path.rstrip("/").rsplit("/", 1)[-1]
                if receiver.mode == "hang":
                    receiver.release.wait(30)
                    return
                if receiver.mode == "500" or signal not in REQUESTS:
                    self.send_response(500 if signal in REQUESTS else 404)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                receiver.add(signal, body, {k.lower(): v for k, v in self.headers.items()})
                answer = REQUESTS[signal][1]().SerializeToString()
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class GrpcReceiver(Received):
    """OTLP/gRPC: the collector's TraceService, MetricsService and LogsService."""

    def __init__(self) -> None:
        import grpc

        super().__init__()
        receiver = self

        def export(signal: str) -> Any:
            def handle(_self: Any, request: Any, context: Any) -> Any:
                if receiver.mode == "hang":
                    receiver.release.wait(30)
                if receiver.mode != "ok":
                    context.abort(grpc.StatusCode.INTERNAL, "receiver told to fail")
                receiver.add(signal, request.SerializeToString(), dict(context.invocation_metadata()))
                return REQUESTS[signal][1]()

            return handle

        services = [
            (trace_grpc.TraceServiceServicer, trace_grpc.add_TraceServiceServicer_to_server, "traces"),
            (
                metrics_grpc.MetricsServiceServicer,
                metrics_grpc.add_MetricsServiceServicer_to_server,
                "metrics",
            ),
            (logs_grpc.LogsServiceServicer, logs_grpc.add_LogsServiceServicer_to_server, "logs"),
        ]
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        for base, add, signal in services:
            servicer = type(f"{signal}Servicer", (base,), {"Export": export(signal)})()
            add(servicer, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.release.set()
        self.server.stop(0)


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def grpc_receiver() -> Iterator[GrpcReceiver]:
    receiver = GrpcReceiver()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture(params=["grpc", "http/protobuf"])
def receiver(request: pytest.FixtureRequest) -> Iterator[Received]:
    """A receiver of each protocol; ``receiver.protocol`` says which."""
    made: Received = GrpcReceiver() if request.param == "grpc" else HttpReceiver()
    made.protocol = request.param  # type: ignore[attr-defined]
    try:
        yield made
    finally:
        made.stop()  # type: ignore[attr-defined]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (a collector that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TOOLS = """
import claw
from claw import Tool, ToolResult, ToolSpec


class Lookup(Tool):
    spec = ToolSpec(name="Lookup", description="Look a word up.", read_only=True,
                    input_schema={"type": "object", "properties": {"word": {"type": "string"}},
                                  "required": ["word"]})

    async def run(self, input, ctx):
        return ToolResult(content="FILE-CONTENT-SECRET definition of " + input["word"])


@claw.hookimpl
def claw_register_tools(register):
    register(Lookup())
"""

PROMPT = "PROMPT-SECRET-7731 look up pincer"
TOOL_SECRET = "TOOL-INPUT-SECRET-4410"
API_KEY = "sk-ant-API-KEY-SECRET-9902"


@pytest.fixture
def session(claw, scripted, plugin_module, claw_env):  # type: ignore[no-untyped-def]
    """``session(receiver_env, *args, steps=())``: run the scripted session (by default a tool call, then
    a 500 that is retried, then the answer) with ``receiver_env`` added; returns the run result and its
    wall time."""
    plugin_module("otlp_test_tools", TOOLS)

    def run(env: dict[str, str], *args: str, steps: tuple[object, ...] = ()) -> tuple[object, float]:
        scripted.script(
            *(
                steps
                or (
                    Reply(ToolCall("Lookup", {"word": TOOL_SECRET})),
                    Fault(500),
                    Reply(Text("a pincer is a claw")),
                )
            )
        )
        claw.env.update({"ANTHROPIC_API_KEY": API_KEY, **env})
        started = time.perf_counter()
        result = claw.subprocess("-p", PROMPT, "--model", "scripted/default", *args, timeout=60)
        return result, time.perf_counter() - started

    return run


def otlp_env(receiver: Received) -> dict[str, str]:
    """Telemetry to ``receiver`` with the standard variables."""
    return {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,  # type: ignore[attr-defined]
        "OTEL_EXPORTER_OTLP_PROTOCOL": receiver.protocol,  # type: ignore[attr-defined]
        "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=ci,team=agents",
        "OTEL_SERVICE_NAME": "claw-ci",
    }
