"""Fetching over a loopback HTTPS server with a CA made in the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from claw_marketplace.errors import MarketplaceError
from claw_marketplace.net import Fetcher, join
from claw_marketplace.testing import TLS, StaticServer


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.json").write_text('{"plugins": []}')
    (root / "big.bin").write_bytes(b"x" * 5000)
    return root


@pytest.fixture
def https(site: Path, tls: TLS) -> Iterator[StaticServer]:
    with StaticServer(site, tls) as server:
        yield server


@pytest.fixture
def http(site: Path) -> Iterator[StaticServer]:
    with StaticServer(site) as server:
        yield server


def test_https_with_the_configured_ca(https: StaticServer, tls: TLS) -> None:
    with Fetcher(ca_bundle=str(tls.ca_cert)) as f:
        assert f.read(https.url + "index.json", limit=100, what="index") == b'{"plugins": []}'


def test_untrusted_certificate_is_one_line(https: StaticServer) -> None:
    with Fetcher() as f, pytest.raises(MarketplaceError, match="TLS certificate not trusted") as info:
        f.read(https.url + "index.json", limit=100, what="marketplace index")
    assert "\n" not in str(info.value)


def test_plain_http_needs_the_insecure_flag(http: StaticServer, capsys: pytest.CaptureFixture[str]) -> None:
    with Fetcher() as f, pytest.raises(MarketplaceError, match="is not HTTPS"):
        f.read(http.url + "index.json", limit=100, what="index")
    with Fetcher(insecure=True) as f:
        assert f.read(http.url + "index.json", limit=100, what="index")
        assert f.read(http.url + "big.bin", limit=5000, what="wheel")
    # One install reads the index, a manifest and a wheel from the host: one warning, not three.
    assert capsys.readouterr().err.count("using plain HTTP") == 1


def test_redirect_to_http_is_refused_even_when_insecure(
    https: StaticServer, http: StaticServer, tls: TLS
) -> None:
    https.redirects["/index.json"] = http.url + "index.json"
    with (
        Fetcher(ca_bundle=str(tls.ca_cert), insecure=True) as f,
        pytest.raises(MarketplaceError, match="redirected to plain HTTP"),
    ):
        f.read(https.url + "index.json", limit=100, what="index")
    assert http.requests == []


def test_https_redirects_are_followed(https: StaticServer, tls: TLS) -> None:
    https.redirects["/moved.json"] = "/index.json"
    with Fetcher(ca_bundle=str(tls.ca_cert)) as f:
        assert f.read(https.url + "moved.json", limit=100, what="index") == b'{"plugins": []}'


def test_redirect_loops_end(https: StaticServer, tls: TLS) -> None:
    https.redirects["/a"] = "/a"
    with (
        Fetcher(ca_bundle=str(tls.ca_cert)) as f,
        pytest.raises(MarketplaceError, match="more than 5 redirects"),
    ):
        f.read(https.url + "a", limit=100, what="index")


def test_size_cap_while_streaming(https: StaticServer, tls: TLS, tmp_path: Path) -> None:
    with Fetcher(ca_bundle=str(tls.ca_cert)) as f:
        with pytest.raises(MarketplaceError, match="larger than the 4,096-byte limit"):
            f.read(https.url + "big.bin", limit=4096, what="index")
        with pytest.raises(MarketplaceError, match="larger than the 4,096-byte limit"):
            f.download(https.url + "big.bin", tmp_path / "out", limit=4096, what="wheel")
        got = f.download(https.url + "big.bin", tmp_path / "ok", limit=5000, what="wheel")
    assert got.size == 5000 and got.path.read_bytes() == b"x" * 5000


def test_missing_document(https: StaticServer, tls: TLS) -> None:
    with (
        Fetcher(ca_bundle=str(tls.ca_cert)) as f,
        pytest.raises(MarketplaceError, match=r"not found: .*HTTP 404"),
    ):
        f.read(https.url + "nope.json", limit=100, what="plugin manifest")


def test_other_schemes_are_refused() -> None:
    with Fetcher() as f, pytest.raises(MarketplaceError, match="unsupported URL scheme"):
        f.read("ftp://example.org/index.json", limit=100, what="index")


def test_remote_documents_cannot_point_at_local_files() -> None:
    with pytest.raises(MarketplaceError, match="not an http"):
        join("https://example.org/claw-hello/manifest.json", "file:///etc/passwd")
    assert join("https://example.org/a/manifest.json", "../w.whl") == "https://example.org/w.whl"
    assert join("/srv/market/", "index.json") == "/srv/market/index.json"
    assert join("/srv/market/a/manifest.json", "w.whl") == "/srv/market/a/w.whl"
