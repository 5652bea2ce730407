"""index.json and manifest.json parsing: malformed documents are refused with one line."""

from __future__ import annotations

import json

import pytest
from claw_marketplace.documents import parse_index, parse_manifest
from claw_marketplace.errors import MarketplaceError

GOOD = {
    "name": "claw-hello",
    "version": "1.0.0",
    "wheel": "claw_hello-1.0.0-py3-none-any.whl",
    "sha256": "a" * 64,
    "future_field": {"ignored": True},
}


def test_manifest_parses_and_ignores_unknown_fields() -> None:
    m = parse_manifest(json.dumps(GOOD).encode(), "m.json")
    assert (m.name, m.version, m.signature, m.sigstore_bundle) == ("claw-hello", "1.0.0", None, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "m.json is not valid JSON"),
        (b"[]", "m.json is malformed"),
        (json.dumps({**GOOD, "sha256": "xyz"}).encode(), "sha256: Value error, must be 64 hex digits"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "wheel"}).encode(), "wheel: Field required"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_malformed_manifest(raw: bytes, message: str) -> None:
    with pytest.raises(MarketplaceError, match=message) as info:
        parse_manifest(raw, "m.json")
    assert "\n" not in str(info.value)


def test_malformed_index() -> None:
    with pytest.raises(MarketplaceError, match=r"index.json is malformed: plugins.0.version: Field required"):
        parse_index(b'{"plugins": [{"name": "x"}]}', "index.json")
    assert parse_index(b'{"plugins": []}', "index.json").plugins == []
