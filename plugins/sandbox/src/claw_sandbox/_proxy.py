"""The filtering proxy of the network allow-list: HTTP (absolute-URI requests) and HTTPS ``CONNECT``,
served on a Unix socket that is bound into the sandbox, whose own network namespace has nothing else
to reach. A host outside settings ``sandbox.network.allowedDomains`` gets ``403`` and a warning."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from claw import get_logger

log = get_logger("claw.sandbox")


def allowed(host: str, domains: list[str]) -> bool:
    """``example.com`` matches itself; ``*.example.com`` matches its subdomains and itself."""
    host = host.lower().rstrip(".")
    for domain in domains:
        domain = domain.lower().rstrip(".")
        if domain.startswith("*."):
            if host == domain[2:] or host.endswith(domain[1:]):
                return True
        elif host == domain:
            return True
    return False


def _target(method: str, uri: str) -> tuple[str, int]:
    if method == "CONNECT":
        host, _, port = uri.rpartition(":")
        return host.strip("[]"), int(port)
    parts = urlsplit(uri)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


@dataclass
class FilteringProxy:
    domains: list[str]
    socket_path: str
    #: ``host:port`` of every refused connection, in order.
    denied: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, domains: list[str]) -> FilteringProxy:
        """Serve on a fresh Unix socket from a daemon thread (it lives as long as claw does)."""
        directory = tempfile.mkdtemp(prefix="claw-proxy-")
        atexit.register(shutil.rmtree, directory, True)
        proxy = cls(list(domains), str(Path(directory) / "proxy.sock"))
        ready = threading.Event()
        threading.Thread(target=proxy._serve, args=(ready,), daemon=True, name="claw-sandbox-proxy").start()
        ready.wait(5)
        return proxy

    def _serve(self, ready: threading.Event) -> None:
        async def main() -> None:
            server = await asyncio.start_unix_server(self._handle, path=self.socket_path)
            ready.set()
            async with server:
                await server.serve_forever()

        asyncio.run(main())

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, uri, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            host, port = _target(method, uri)
            if not allowed(host, self.domains):
                self.denied.append(f"{host}:{port}")
                log.warning("sandbox denied a connection", host=host, port=port)
                body = f"claw sandbox: {host} is not in sandbox.network.allowedDomains\n".encode()
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                return
            up_reader, up_writer = await asyncio.open_connection(host, port)
            if method == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                up_writer.write(_origin_form(head, uri))
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        finally:
            with contextlib.suppress(OSError):
                await writer.drain()
                writer.close()


def _origin_form(head: bytes, uri: str) -> bytes:
    """The request line rewritten from ``GET http://host/path`` to ``GET /path`` for the origin."""
    parts = urlsplit(uri)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    first, rest = head.split(b"\r\n", 1)
    method, _, version = first.decode("latin-1").split(" ", 2)
    return f"{method} {path} {version}\r\n".encode("latin-1") + rest


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        with contextlib.suppress(OSError):
            writer.close()
