"""A loopback HTTP server base for the wire-level mock model servers.

Subclasses implement :meth:`MockServer.handle` to turn a recorded request and the next scripted
:class:`~claw.testing.script.Step` into bytes in their vendor's wire format. The base class owns
the socket (``127.0.0.1``, an ephemeral port), a thread per connection, the request log and the
script queue, so every mock behaves the same way in tests.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from claw.testing.script import Fault, Reply, Step


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up (claw aborting a stalled or damaged stream, as it should) is not an error to
    print: the standard server writes a traceback to stderr, which in-process claw runs share."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    received_at: float = field(default_factory=time.time)


@dataclass
class Response:
    """What :meth:`MockServer.handle` returns.

    ``chunks`` are written and flushed one by one (an SSE or event-stream body); ``cut_after`` drops
    the connection after that many chunks; ``stall_after``/``stall_seconds`` pause the stream.
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    chunks: Iterable[bytes] | None = None
    cut_after: int | None = None
    stall_after: int | None = None
    stall_seconds: float = 0.0
    ping_every: float = 0.0


class ScriptExhausted(Exception):
    pass


class MockServer:
    """Base loopback server. Use as a context manager or call :meth:`start` / :meth:`stop`."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._steps: deque[Step] = deque()
        self._responder: Callable[[RecordedRequest], Step] | None = None
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        #: Seconds the server spent producing responses (benchmarks subtract it from wall time).
        self.busy_seconds = 0.0

    # -- scripting ----------------------------------------------------------------------------

    def script(self, *steps: Step) -> Self:
        """Queue replies and faults; each request consumes one."""
        with self._lock:
            self._steps.extend(steps)
        return self

    def respond_with(self, fn: Callable[[RecordedRequest], Step]) -> Self:
        """Compute each reply from the request when the script queue is empty."""
        self._responder = fn
        return self

    def next_step(self, request: RecordedRequest) -> Step:
        with self._lock:
            if self._steps:
                return self._steps.popleft()
        if self._responder is not None:
            return self._responder(request)
        raise ScriptExhausted(f"mock server got an unscripted request: {request.method} {request.path}")

    @property
    def pending(self) -> int:
        return len(self._steps)

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def setup(self) -> None:
                super().setup()
                # Without this, Nagle's algorithm and the client's delayed ACK hold back small stream
                # chunks for ~40 ms each, which turns every scripted turn into a slow one.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    parsed = None
                rec = RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, parsed
                )
                with server._lock:
                    server.requests.append(rec)
                start = time.perf_counter()
                try:
                    resp = server.handle(rec)
                except ScriptExhausted as exc:
                    resp = Response(
                        500, {"content-type": "application/json"}, json.dumps({"error": str(exc)}).encode()
                    )
                server._write(self, resp, start)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # A short poll interval keeps stop() (and so every test's teardown) from waiting 0.5 s.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- writing ------------------------------------------------------------------------------

    def _write(self, h: BaseHTTPRequestHandler, resp: Response, start: float) -> None:
        h.send_response(resp.status)
        for k, v in resp.headers.items():
            h.send_header(k, v)
        if resp.chunks is None:
            body = resp.body or b""
            h.send_header("content-length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()
            self.busy_seconds += time.perf_counter() - start
            return
        h.send_header("transfer-encoding", "chunked")
        h.end_headers()
        try:
            for i, chunk in enumerate(resp.chunks):
                if resp.cut_after is not None and i >= resp.cut_after:
                    h.close_connection = True
                    h.wfile.flush()
                    h.connection.shutdown(2)
                    return
                if resp.stall_after is not None and i == resp.stall_after:
                    self.busy_seconds += time.perf_counter() - start
                    self._stall(h, resp)
                    start = time.perf_counter()
                h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                h.wfile.flush()
            h.wfile.write(b"0\r\n\r\n")
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            h.close_connection = True
        self.busy_seconds += time.perf_counter() - start

    @staticmethod
    def _stall(h: BaseHTTPRequestHandler, resp: Response) -> None:
        """Go quiet for ``resp.stall_seconds``: silent, or sending only SSE comments (keep-alives)."""
        if not resp.ping_every:
            time.sleep(resp.stall_seconds)
            return
        until = time.monotonic() + resp.stall_seconds
        while (left := until - time.monotonic()) > 0:
            time.sleep(min(resp.ping_every, left))
            ping = b": ping\n\n"
            h.wfile.write(f"{len(ping):x}\r\n".encode() + ping + b"\r\n")
            h.wfile.flush()

    def handle(self, request: RecordedRequest) -> Response:
        """Turn a request into a response in the vendor's wire format. Subclasses implement this."""
        raise NotImplementedError

    @staticmethod
    def fault_response(
        step: Fault, body: dict[str, Any], extra_headers: dict[str, str] | None = None
    ) -> Response:
        """A JSON error response for a ``kind="status"`` fault, with retry headers."""
        headers = {"content-type": "application/json", **(extra_headers or {})}
        if step.retry_after is not None:
            headers["retry-after"] = str(step.retry_after)
        return Response(step.status, headers, json.dumps(body).encode())

    @staticmethod
    def stream_response(chunks: Iterator[bytes] | list[bytes], content_type: str, step: Step) -> Response:
        """A streamed response, damaged as a stream :class:`Fault` says (cut, stalled, pinging only, an
        event that is not JSON, or a web page instead of a stream)."""
        if isinstance(step, Fault) and step.kind == "html":
            page = b"<html><head><title>Sign in</title></head><body>Proxy login required</body></html>"
            return Response(200, {"content-type": "text/html; charset=utf-8"}, page)
        body = list(chunks)
        if isinstance(step, Fault) and step.kind == "garbage":
            body.insert(step.after_events, b"event: content_block_delta\ndata: {this is not json\n\n")
        resp = Response(200, {"content-type": content_type}, chunks=body)
        if isinstance(step, Fault) and step.kind == "cut":
            resp.cut_after = step.after_events
        if isinstance(step, Fault) and step.kind in ("stall", "pings"):
            resp.stall_after = step.after_events
            resp.stall_seconds = step.seconds
            resp.ping_every = step.ping_every if step.kind == "pings" else 0.0
        return resp

    @staticmethod
    def reply_of(step: Step) -> Reply:
        """The reply to stream for ``step`` (a cut/stall fault streams its ``reply`` or a default)."""
        if isinstance(step, Reply):
            return step
        from claw.testing.script import Text

        return step.reply or Reply(Text("this reply is cut off before it ends"))
