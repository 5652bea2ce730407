"""claw_wire's direct HTTP/1.1 route (claw_wire.transport) against loopback servers that answer with
scripted raw bytes: chunked and sized bodies split at awkward places, connection reuse, an interrupt
closing the socket, cut and damaged streams, timeouts, TLS with claw's CA choice, and httpx taking over
when a proxy variable is set. The provider tests and tests/reliability drive the same route through claw."""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from claw import ApiError, EndpointUnreachable
from claw_marketplace.testing import make_tls
from claw_wire.errors import sdk_error
from claw_wire.http import PING, HttpClient, anthropic_headers
from claw_wire.transport import (
    PROXY_VARIABLES,
    Connections,
    LocalProtocolError,
    ReadTimeout,
    RemoteProtocolError,
    TransportError,
    direct_route,
)

#: One answer: the raw pieces to write (each flushed, with a pause between so the client reads them
#: apart), and whether to close the connection afterwards. ``None`` closes without answering.
Answer = tuple[list[bytes], bool] | None

SSE = "text/event-stream"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


class RawServer:
    """A loopback server answering each request (on any connection) with the next scripted answer."""

    def __init__(self, answers: list[Answer], tls: ssl.SSLContext | None = None) -> None:
        self.answers = list(answers)
        self.tls = tls
        self.connections = 0
        self.requests: list[bytes] = []
        self.closed = asyncio.Event()  # set when a client closes a connection the server still holds
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    self.closed.set()
                    return
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                self.requests.append(head + await reader.readexactly(length))
                answer = self.answers.pop(0)
                if answer is None:
                    return
                pieces, close = answer
                for piece in pieces:
                    writer.write(piece)
                    await writer.drain()
                    await asyncio.sleep(0.005)
                if close:
                    return
        except (ConnectionError, ssl.SSLError):
            return
        finally:
            writer.close()


def head(status: int = 200, content_type: str = SSE, **fields: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"content-type: {content_type}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in fields.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunk(data: bytes, extension: str = "") -> bytes:
    return f"{len(data):x}{extension}\r\n".encode() + data + b"\r\n"


def sse(*events: dict[str, Any], newline: str = "\n") -> bytes:
    return "".join(
        f"event: {e['type']}{newline}data: {json.dumps(e, ensure_ascii=False)}{newline}{newline}"
        for e in events
    ).encode()


START = {"type": "message_start", "message": {"id": "m", "content": []}}
TEXT = {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "héllo ✓"}}
STOP = {"type": "message_stop"}


async def events(client: HttpClient) -> list[Any]:
    async with await client.post_stream("/v1/messages", {"stream": True}) as stream:
        return [event async for event in stream]


def client_of(url: str) -> HttpClient:
    return HttpClient(url, anthropic_headers("api_key", "sk-test"), "anthropic")


def run(test: Callable[[], Any]) -> Any:
    return asyncio.run(test())


def test_a_chunked_stream_split_anywhere_decodes_as_sent() -> None:
    body = sse(START, newline="\r\n") + b": keep-alive\r\n\r\n" + sse(TEXT, STOP, newline="\r\n")
    cut = body.index(b"\r\n") + 1  # between "\r" and "\n"
    mid = body.index("é".encode()) + 1  # inside a two-byte character
    raw = (
        head(transfer_encoding="chunked")
        + chunk(body[:cut], ";name=value")
        + chunk(body[cut:mid])
        + chunk(body[mid:])
        + b"0\r\ntrailer-field: x\r\n\r\n"
    )
    pieces = [raw[i : i + 7] for i in range(0, len(raw), 7)]  # reads that end inside size lines too

    async def test() -> None:
        async with RawServer([(pieces, False)]) as server:
            client = client_of(server.url)
            assert await events(client) == [START, PING, TEXT, STOP]
            await client.close()

    run(test)


def test_sized_bodies_reuse_one_connection_and_send_the_request_as_httpx_did() -> None:
    body = sse(START, STOP)
    answer = ([head(content_length=str(len(body))), body[:10], body[10:]], False)

    async def test() -> None:
        async with RawServer([answer, answer]) as server:
            client = client_of(server.url + "/")
            assert await events(client) == [START, STOP]
            assert await events(client) == [START, STOP]
            await client.close()
            assert server.connections == 1
            first, _, content = server.requests[0].partition(b"\r\n\r\n")
            lines = first.decode().split("\r\n")
            assert lines[0] == "POST /v1/messages HTTP/1.1"
            fields = dict(line.split(": ", 1) for line in lines[1:])
            assert fields["host"] == server.url.removeprefix("http://")
            assert fields["x-api-key"] == "sk-test" and fields["content-type"] == "application/json"
            assert json.loads(content) == {"stream": True}

    run(test)


def test_a_body_that_ends_with_the_connection_is_read_whole_and_not_reused() -> None:
    body = sse(START, STOP)

    async def test() -> None:
        async with RawServer([([head(connection="close"), body], True)] * 2) as server:
            client = client_of(server.url)
            assert await events(client) == [START, STOP]
            assert await events(client) == [START, STOP]
            await client.close()
            assert server.connections == 2

    run(test)


def test_a_kept_connection_the_server_dropped_is_replaced() -> None:
    body = sse(START, STOP)
    sized = [head(content_length=str(len(body))), body]

    async def test() -> None:
        # the server closes each connection after its answer without saying so in a header
        async with RawServer([(sized, True), (sized, True)]) as server:
            client = client_of(server.url)
            assert await events(client) == [START, STOP]
            await asyncio.sleep(0.05)
            assert await events(client) == [START, STOP]
            await client.close()
            assert server.connections == 2

    run(test)


def test_an_interrupt_closes_the_socket_and_the_next_request_opens_a_new_one() -> None:
    body = sse(START, STOP)
    stalled = ([head(transfer_encoding="chunked"), chunk(sse(START))], False)
    whole = ([head(content_length=str(len(body))), body], False)

    async def test() -> None:
        async with RawServer([stalled, whole]) as server:
            client = client_of(server.url)
            seen: list[Any] = []

            async def read() -> None:
                async with await client.post_stream("/v1/messages", {}) as stream:
                    async for event in stream:
                        seen.append(event)

            task = asyncio.create_task(read())
            while not seen:
                await asyncio.sleep(0.01)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await asyncio.wait_for(server.closed.wait(), 5)  # the server saw the socket close
            assert await events(client) == [START, STOP]
            await client.close()
            assert seen == [START] and server.connections == 2

    run(test)


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (b"", "incomplete chunked read"),  # cut after the first event
        (b"zz\r\n", "malformed chunk size"),
        (b"5\r\nabcdefgh\r\n", "longer than its size"),
    ],
)
def test_a_cut_or_damaged_chunked_stream_is_a_retried_cut_stream(tail: bytes, message: str) -> None:
    async def test() -> None:
        answer = ([head(transfer_encoding="chunked"), chunk(sse(START)) + tail], True)
        async with RawServer([answer]) as server:
            client = client_of(server.url)
            seen: list[Any] = []
            with pytest.raises(RemoteProtocolError, match=message) as caught:
                async with await client.post_stream("/v1/messages", {}) as stream:
                    async for event in stream:
                        seen.append(event)
            await client.close()
        assert seen == [START]
        error = sdk_error(caught.value, "anthropic", streaming=True)
        assert isinstance(error, ApiError) and error.retryable and "stream interrupted" in str(error)

    run(test)


def test_error_statuses_keep_retry_after_and_the_connection() -> None:
    error = json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "busy"}}).encode()
    body = sse(START, STOP)
    answers: list[Answer] = [
        ([head(529, "application/json", retry_after="3", content_length=str(len(error))), error], False),
        ([head(content_length=str(len(body))), body], False),
    ]

    async def test() -> None:
        async with RawServer(answers) as server:
            client = client_of(server.url)
            with pytest.raises(Exception) as caught:
                await events(client)
            assert await events(client) == [START, STOP]
            await client.close()
            assert server.connections == 1
        mapped = sdk_error(caught.value, "anthropic")
        assert isinstance(mapped, ApiError) and mapped.retryable
        assert mapped.retry_after == 3.0 and "overloaded_error: busy" in str(mapped)

    run(test)


def test_a_silent_server_times_out_and_a_refused_port_is_unreachable() -> None:
    async def test() -> None:
        async with RawServer([([head(transfer_encoding="chunked")], False)]) as server:
            connections = Connections(server.url + "/", {}, connect_timeout=5, read_timeout=0.2)
            response = await connections.post("v1/messages", b"{}", {})
            with pytest.raises(ReadTimeout) as caught:
                await response.aread()
            await response.aclose()
            assert "timed out" in str(sdk_error(caught.value, "anthropic", streaming=True))
            port = server.url.rsplit(":", 1)[1]
        await asyncio.sleep(0.05)
        client = client_of(f"http://127.0.0.1:{port}")
        with pytest.raises(TransportError) as refused:
            await events(client)
        down = sdk_error(refused.value, "anthropic")
        assert isinstance(down, EndpointUnreachable) and f"127.0.0.1:{port}" in str(down)

    run(test)


def test_a_header_that_would_split_the_request_is_refused() -> None:
    async def test() -> None:
        client = HttpClient(
            "http://127.0.0.1:9", anthropic_headers("api_key", "sk\r\nx-evil: 1"), "anthropic"
        )
        with pytest.raises(LocalProtocolError):
            await events(client)

    run(test)


def test_tls_uses_ssl_cert_file_and_refuses_an_unknown_ca(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls = make_tls(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls.server_cert, tls.server_key)
    body = sse(START, STOP)
    answer = ([head(content_length=str(len(body))), body], False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)

    async def test() -> None:
        async with RawServer([answer, answer], tls=context) as server:
            monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_cert))
            client = client_of(server.url.replace("127.0.0.1", "localhost"))
            assert await events(client) == [START, STOP]
            assert await events(client) == [START, STOP]
            await client.close()
            assert server.connections == 1
            monkeypatch.delenv("SSL_CERT_FILE")  # certifi's bundle does not know the test CA
            client = client_of(server.url)
            with pytest.raises(TransportError) as caught:
                await events(client)
        assert "CERTIFICATE_VERIFY_FAILED" in str(sdk_error(caught.value, "anthropic"))

    run(test)


def test_a_proxy_variable_sends_requests_through_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    assert direct_route("https://api.anthropic.com") and direct_route("http://[::1]:8080/v1")
    assert not direct_route("http://user:pw@gateway.example/") and not direct_route("ftp://x/")
    monkeypatch.setenv("NO_PROXY", "localhost")
    assert not direct_route("https://api.anthropic.com")
    monkeypatch.delenv("NO_PROXY")
    body = sse(START, STOP)

    async def test() -> None:
        async with RawServer([([head(content_length=str(len(body))), body], False)]) as proxy:
            monkeypatch.setenv("HTTP_PROXY", proxy.url)
            client = client_of("http://upstream.invalid/")
            assert await events(client) == [START, STOP]
            await client.close()
            assert proxy.requests[0].startswith(b"POST http://upstream.invalid/v1/messages HTTP/1.1")

    run(test)
