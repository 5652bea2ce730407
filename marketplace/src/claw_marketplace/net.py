"""Fetching marketplace documents and wheels: HTTPS only, size caps enforced while streaming.

A marketplace base is an ``https://`` URL, an ``http://`` URL when the user passed
``--insecure-marketplace``, or a local directory (``file://`` or a plain path) for offline mirrors.
Redirects are followed by hand so that each hop is checked: a redirect to plain HTTP is refused.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urljoin, urlsplit

from claw import warn

from claw_marketplace.errors import MarketplaceError

MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 30.0


@dataclass
class Fetched:
    """A downloaded file: where it went, its size and SHA-256 (computed while streaming)."""

    path: Path
    size: int
    sha256: str


def is_local(location: str) -> bool:
    scheme = urlsplit(location).scheme
    return scheme == "file" or scheme == "" or (len(scheme) == 1 and os.name == "nt")


def local_path(location: str) -> Path:
    parts = urlsplit(location)
    return Path(unquote(parts.path)) if parts.scheme == "file" else Path(location).expanduser()


def join(base: str, relative: str) -> str:
    """``relative`` resolved against the document at ``base``, the way a browser resolves links.

    A remote document can only point at other ``http(s)`` URLs, never at local files.
    """
    if is_local(base):
        if not is_local(relative):
            return relative
        rel = local_path(relative)
        root = local_path(base) if base.endswith(("/", os.sep)) else local_path(base).parent
        return str(rel if rel.is_absolute() else root / rel)
    url = urljoin(base, relative)
    if urlsplit(url).scheme not in ("http", "https"):
        raise MarketplaceError(f"refused: {base} points at {relative!r}, which is not an http(s) URL")
    return url


def directory(base: str) -> str:
    """A marketplace base as a directory location (so ``join`` appends to it)."""
    if is_local(base):
        return str(local_path(base)) + os.sep
    return base if base.endswith("/") else base + "/"


class Fetcher:
    """Downloads with the user's TLS settings.

    :param insecure: allow plain ``http://`` (a warning is printed once).
    :param ca_bundle: a PEM file of CA certificates to trust instead of the default store.
    """

    def __init__(self, *, insecure: bool = False, ca_bundle: str | None = None) -> None:
        self.insecure = insecure
        self.ca_bundle = ca_bundle
        self._client: Any = None
        #: Hosts already warned about (plain HTTP): the index, manifest and wheel are one warning.
        self._warned: set[str] = set()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    def _http(self) -> Any:
        if self._client is None:
            import ssl

            import httpx  # imported lazily: claw --help must not pay for it

            verify: Any = True
            if self.ca_bundle:
                try:
                    verify = ssl.create_default_context(cafile=os.path.expanduser(self.ca_bundle))
                except (OSError, ssl.SSLError) as exc:
                    raise MarketplaceError(f"cannot load the CA bundle {self.ca_bundle}: {exc}") from exc
            self._client = httpx.Client(verify=verify, timeout=TIMEOUT_SECONDS, follow_redirects=False)
        return self._client

    def check_url(self, url: str, *, redirected_from: str | None = None) -> None:
        scheme = urlsplit(url).scheme
        if scheme == "https":
            return
        if scheme == "http":
            if redirected_from is not None and urlsplit(redirected_from).scheme == "https":
                raise MarketplaceError(f"refused: {redirected_from} redirected to plain HTTP ({url})")
            if not self.insecure:
                raise MarketplaceError(
                    f"refused: {url} is not HTTPS (pass --insecure-marketplace to allow plain HTTP)"
                )
            host = urlsplit(url).netloc
            if host not in self._warned:
                self._warned.add(host)
                warn(f"using plain HTTP for {url}: anyone on the network can change what is installed")
            return
        raise MarketplaceError(f"refused: unsupported URL scheme in {url!r} (use https://)")

    def read(self, location: str, *, limit: int, what: str) -> bytes:
        """The whole document at ``location``, refused when larger than ``limit`` bytes."""
        chunks: list[bytes] = []
        self._stream(location, limit=limit, what=what, sink=chunks.append)
        return b"".join(chunks)

    def download(self, location: str, dest: Path, *, limit: int, what: str) -> Fetched:
        """Stream ``location`` to ``dest``, hashing as it goes; refused past ``limit`` bytes."""
        digest = hashlib.sha256()
        size = 0
        with dest.open("wb") as out:

            def sink(chunk: bytes, out: IO[bytes] = out) -> None:
                nonlocal size
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)

            self._stream(location, limit=limit, what=what, sink=sink)
        return Fetched(dest, size, digest.hexdigest())

    def _stream(self, location: str, *, limit: int, what: str, sink: Any) -> None:
        if is_local(location):
            path = local_path(location)
            try:
                with path.open("rb") as f:
                    _copy(
                        iter(lambda: f.read(65536), b""), limit=limit, what=what, where=str(path), sink=sink
                    )
            except FileNotFoundError as exc:
                raise MarketplaceError(f"{what} not found: {path}") from exc
            except OSError as exc:
                raise MarketplaceError(f"cannot read {what} {path}: {exc.strerror}") from exc
            return
        import httpx

        url, previous = location, None
        for _ in range(MAX_REDIRECTS + 1):
            self.check_url(url, redirected_from=previous)
            try:
                with self._http().stream("GET", url) as response:
                    if response.is_redirect:
                        previous, url = url, urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code == 404:
                        raise MarketplaceError(f"{what} not found: {url} (HTTP 404)")
                    if response.status_code != 200:
                        raise MarketplaceError(f"cannot fetch {what} {url}: HTTP {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise MarketplaceError(_too_big(what, url, limit))
                    _copy(response.iter_bytes(), limit=limit, what=what, where=url, sink=sink)
                    return
            except httpx.HTTPError as exc:
                raise MarketplaceError(f"cannot fetch {what} {url}: {_reason(exc)}") from exc
        raise MarketplaceError(f"cannot fetch {what} {location}: more than {MAX_REDIRECTS} redirects")


def _copy(chunks: Any, *, limit: int, what: str, where: str, sink: Any) -> None:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise MarketplaceError(_too_big(what, where, limit))
        sink(chunk)


def _too_big(what: str, where: str, limit: int) -> str:
    return f"refused: {what} {where} is larger than the {limit:,}-byte limit"


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS certificate not trusted (set marketplace.caBundle or SSL_CERT_FILE for a private CA)"
    return text.splitlines()[0]
