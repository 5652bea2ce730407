"""A lean HTTP/1.1 client on asyncio streams for the common case: one streamed POST to an ``http`` or
``https`` endpoint with no proxy in the way.

httpx with httpcore, anyio and h11 costs 50-65 ms of CPU to import and set up, all of it before the first
model request of a ``claw -p`` run, for what asyncio and ssl already do: open a connection, write one
request, read a status line, headers and a chunked or sized body. :class:`claw_wire.http.HttpClient` sends
through :class:`Connections` when :func:`direct_route` allows it and through httpx otherwise (proxies,
``NO_PROXY``, macOS and Windows system proxies, base URLs with credentials or a query).

What it gives back has the surface of an httpx streamed response that :mod:`claw_wire.http` uses
(``status_code``, ``headers`` with case-insensitive ``get``, ``request.url``, ``aiter_lines``, ``aread``,
``aclose``), and its failures are named as httpx's (``ConnectError``, ``ReadTimeout``,
``RemoteProtocolError``, all ``TransportError``; the socket error kept as ``__cause__``), so
:func:`claw_wire.errors.sdk_error` maps both paths alike. Timeouts are httpx's as the client set them:
5 s to connect, 600 s for any one read or write. Connections are kept for the next request of the
process when a response was read to its end; a response closed early (an interrupt, the idle watchdog)
closes its socket.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

#: Environment variables that route requests through a proxy (or exempt hosts from one); any of them
#: set sends requests through httpx, which reads them as it always has.
PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})

#: httpx's default, kept: the Messages API's error pages and headers are far smaller.
_MAX_HEAD = 64 * 1024


class TransportError(Exception):
    """The connection failed or broke (httpx's class name, which :func:`claw_wire.errors.sdk_error`
    matches); ``request`` names the URL for :class:`claw.EndpointUnreachable`."""

    def __init__(self, message: str, request: Request) -> None:
        super().__init__(message)
        self.request = request


class ConnectError(TransportError):
    """The connection could not be opened (refused, unknown host, TLS verification failed)."""


class ReadError(TransportError):
    """Reading or writing the socket failed after the connection was open."""


class RemoteProtocolError(TransportError):
    """The server closed the connection early or sent something that is not HTTP/1.1."""


class LocalProtocolError(TransportError):
    """A request claw cannot send as HTTP/1.1 (a header with a line break or non-ASCII text)."""


class TimeoutException(TransportError):
    """Connecting, reading or writing took longer than its timeout (httpx's name)."""


class ConnectTimeout(TimeoutException):
    """Connecting took longer than the connect timeout."""


class ReadTimeout(TimeoutException):
    """No bytes arrived within the read timeout."""


@dataclass(frozen=True)
class Request:
    """What a response and an error say about the request that produced them."""

    method: str
    url: str


class Headers(dict[str, str]):
    """Response headers by lowercased name (repeated ones joined with ``", "``), read case-insensitively
    as httpx's are (:func:`claw_wire.errors.parse_retry_after`, request ids)."""

    def get(self, key: str, default: Any = None) -> Any:  # pyright: ignore[reportIncompatibleMethodOverride]
        return super().get(key.lower(), default)


def direct_route(base_url: str) -> bool:
    """Whether requests to ``base_url`` can go out on a plain socket: ``http``/``https`` with a host, no
    credentials, query or fragment in the URL, no proxy variable set, and on macOS and Windows no
    system proxy (which only urllib's ``getproxies`` knows how to read there)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.username is not None or parts.query or parts.fragment:
        return False
    if any(value and name.lower() in PROXY_VARIABLES for name, value in os.environ.items()):
        return False
    if sys.platform in ("darwin", "win32"):
        from urllib.request import getproxies

        return not getproxies()
    return True


def ssl_context() -> Any:
    """The CA choice httpx makes for ``verify=True``: ``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else
    certifi's bundle; ALPN offers HTTP/1.1 only."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.set_alpn_protocols(["http/1.1"])
    return context


class _Connection:
    """One open socket; ``reused`` once it has carried a whole response."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.reused = False

    def close(self) -> None:
        self.writer.close()


class Connections:
    """Keep-alive HTTP/1.1 connections to the one origin of ``base_url`` (requests go to paths under it;
    redirects are not followed, as with the client this stands in for).

    :param headers: sent with every request (user agent, auth, vendor version).
    :param connect_timeout: seconds to open a connection (TLS handshake included).
    :param read_timeout: seconds any one read or write may take.
    """

    def __init__(
        self, base_url: str, headers: Mapping[str, str], *, connect_timeout: float, read_timeout: float
    ) -> None:
        parts: SplitResult = urlsplit(base_url)
        self._tls = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._tls else 80)
        host = f"[{self._host}]" if ":" in self._host else self._host
        authority = host if parts.port is None else f"{host}:{parts.port}"
        self._origin = f"{parts.scheme}://{authority}"
        self._base_path = parts.path.rstrip("/") + "/"
        self._headers = {"host": authority, **{k.lower(): v for k, v in headers.items()}}
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._idle: list[_Connection] = []
        self._ssl: Any = None

    async def post(self, path: str, content: bytes, headers: Mapping[str, str]) -> Response:
        """Send ``content`` to ``path`` (relative to the base URL) and return once the status line and
        headers are in; the body is read as the caller iterates.

        A kept connection the server has closed meanwhile (servers close idle keep-alive connections
        between requests) fails before any byte of an answer; the request is then sent once more on a
        fresh connection, as urllib3 does. A fresh connection is never retried here: the kernel retries."""
        request = Request("POST", f"{self._origin}{self._base_path}{path}")
        head = self._head(request, path, len(content), headers)
        while True:
            connection = self._take_idle() or await self._connect(request)
            try:
                return await self._exchange(connection, request, head + content)
            except _StaleConnection:
                connection.close()
            except BaseException:
                connection.close()
                raise

    async def close(self) -> None:
        """Close the kept connections."""
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _head(self, request: Request, path: str, length: int, extra: Mapping[str, str]) -> bytes:
        lines = [f"POST {self._base_path}{path} HTTP/1.1"]
        fields = {**self._headers, **{k.lower(): v for k, v in extra.items()}, "content-length": str(length)}
        for name, value in fields.items():
            if any(c in name or c in value for c in "\r\n\0"):
                raise LocalProtocolError(f"header {name!r} holds a line break", request)
            lines.append(f"{name}: {value}")
        try:
            return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
        except UnicodeEncodeError:
            raise LocalProtocolError("a request header holds non-ASCII text", request) from None

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if not connection.reader.at_eof() and not connection.writer.is_closing():
                return connection
            connection.close()
        return None

    async def _connect(self, request: Request) -> _Connection:
        if self._tls and self._ssl is None:
            self._ssl = ssl_context()
        try:
            async with asyncio.timeout(self._connect_timeout):
                reader, writer = await asyncio.open_connection(
                    self._host, self._port, ssl=self._ssl if self._tls else None, limit=_MAX_HEAD
                )
        except TimeoutError:
            raise ConnectTimeout(f"connecting to {self._origin} timed out", request) from None
        except OSError as exc:  # refused, unknown host, unreachable, ssl.SSLError (a subclass)
            raise ConnectError(str(exc) or type(exc).__name__, request) from exc
        return _Connection(reader, writer)

    async def _exchange(self, connection: _Connection, request: Request, data: bytes) -> Response:
        try:
            async with asyncio.timeout(self._read_timeout):
                connection.writer.write(data)
                await connection.writer.drain()
                while True:
                    status, headers = _parse_head(await connection.reader.readuntil(b"\r\n\r\n"), request)
                    if not 100 <= status < 200:
                        break
        except TimeoutError:
            raise ReadTimeout("the server did not answer within the read timeout", request) from None
        except asyncio.IncompleteReadError as exc:
            if connection.reused and not exc.partial:
                raise _StaleConnection from exc
            raise RemoteProtocolError("Server disconnected without sending a response.", request) from exc
        except asyncio.LimitOverrunError as exc:
            raise RemoteProtocolError("the response's headers are too large", request) from exc
        except OSError as exc:
            if connection.reused:
                raise _StaleConnection from exc
            raise ReadError(str(exc) or type(exc).__name__, request) from exc
        return Response(self, connection, request, status, headers)

    def _keep(self, connection: _Connection) -> None:
        connection.reused = True
        self._idle.append(connection)


class _StaleConnection(Exception):
    """A kept connection was closed by the server before it read the request."""


def _parse_head(raw: bytes, request: Request) -> tuple[int, Headers]:
    try:
        status_line, *fields = raw[:-4].decode("latin-1").split("\r\n")
        version, code, *_ = status_line.split(" ", 2)
        if not version.startswith("HTTP/1."):
            raise ValueError(version)
        status = int(code)
    except ValueError:
        raise RemoteProtocolError(f"not an HTTP/1.1 response: {raw[:80]!r}", request) from None
    headers = Headers()
    for field in fields:
        name, colon, value = field.partition(":")
        if not colon:
            raise RemoteProtocolError(f"a malformed response header: {field[:80]!r}", request)
        key, value = name.strip().lower(), value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return status, headers


#: What :meth:`str.splitlines` ends a line at.
_LINE_ENDS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _length(value: str, request: Request) -> int:
    try:
        length = int(value)
    except ValueError:
        length = -1
    if length < 0:
        raise RemoteProtocolError(f"a malformed content-length: {value[:40]!r}", request)
    return length


class Response:
    """A response whose body is read as it is iterated (:meth:`aiter_lines`, :meth:`aread`)."""

    def __init__(
        self, pool: Connections, connection: _Connection, request: Request, status: int, headers: Headers
    ) -> None:
        self.status_code = status
        self.headers = headers
        self.request = request
        self._pool = pool
        self._connection: _Connection | None = connection
        self._chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = headers.get("content-length")
        self._left: int | None = None if self._chunked or length is None else _length(length, request)
        if status in (204, 304):
            self._left = 0
        self._reusable = not (
            (self._left is None and not self._chunked) or "close" in headers.get("connection", "").lower()
        )

    async def aread(self) -> bytes:
        """The whole (rest of the) body."""
        return b"".join([chunk async for chunk in self.aiter_bytes()])

    async def aiter_lines(self) -> AsyncIterator[str]:
        """The body as text lines, split as :meth:`str.splitlines` splits them (httpx's rule, a ``\\r\\n``
        across two reads being one line end), UTF-8 with undecodable bytes replaced."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        partial, trailing_cr = "", False
        async for chunk in self.aiter_bytes():
            text = decoder.decode(chunk)
            if trailing_cr:
                text, trailing_cr = "\r" + text, False
            if text.endswith("\r"):
                text, trailing_cr = text[:-1], True
            if not text:
                continue
            lines = (partial + text).splitlines()
            partial = "" if text[-1] in _LINE_ENDS else lines.pop()
            for line in lines:
                yield line
        partial += decoder.decode(b"", final=True)
        if partial or trailing_cr:
            yield partial

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body's bytes as they arrive; the connection goes back to the pool at the end."""
        connection = self._connection
        if connection is None:
            return
        reader = connection.reader
        try:
            if self._chunked:
                while size := await self._chunk_size(reader):
                    data = await self._read(reader.readexactly(size + 2), "incomplete chunked read")
                    if data[-2:] != b"\r\n":
                        raise RemoteProtocolError("a chunk longer than its size", self.request)
                    yield data[:-2]
                while await self._read(reader.readuntil(b"\r\n"), "incomplete chunked read") != b"\r\n":
                    pass  # a trailer field: nothing claw reads
            elif self._left is not None:
                while self._left:
                    chunk = await self._read(reader.read(min(self._left, 65536)), "")
                    if not chunk:
                        raise RemoteProtocolError(
                            "peer closed connection without sending complete message body: "
                            "received fewer bytes than content-length",
                            self.request,
                        )
                    self._left -= len(chunk)
                    yield chunk
            else:
                while chunk := await self._read(reader.read(65536), ""):
                    yield chunk
        except BaseException:
            self._reusable = False
            raise
        self._release()

    async def _chunk_size(self, reader: asyncio.StreamReader) -> int:
        line = await self._read(reader.readuntil(b"\r\n"), "incomplete chunked read")
        try:
            return int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise RemoteProtocolError(f"a malformed chunk size: {line[:40]!r}", self.request) from None

    async def _read(self, read: Any, cut: str) -> Any:
        try:
            async with asyncio.timeout(self._pool._read_timeout):  # pyright: ignore[reportPrivateUsage]
                return await read
        except TimeoutError:
            raise ReadTimeout("no data within the read timeout", self.request) from None
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            reason = f": {cut}" if cut else ""
            raise RemoteProtocolError(
                f"peer closed connection without sending complete message body{reason}", self.request
            ) from exc
        except OSError as exc:
            raise ReadError(str(exc) or type(exc).__name__, self.request) from exc

    def _release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._reusable and self._left in (0, None):
            self._pool._keep(connection)  # pyright: ignore[reportPrivateUsage]
        else:
            connection.close()

    async def aclose(self) -> None:
        """Close the response: a body not read to its end closes the socket (it cannot carry another
        request), a finished one has gone back to the pool already."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
