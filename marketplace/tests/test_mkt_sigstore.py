"""Sigstore bundles: a real published wheel and its production bundle, verified offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from claw_marketplace.errors import MarketplaceError
from claw_marketplace.settings import SigstoreIdentity, Trust
from claw_marketplace.signing import verify_sigstore_bundle
from claw_marketplace.verify import Candidate, verify

DATA = Path(__file__).parent / "data"
WHEEL = DATA / "rfc8785-0.1.2-py3-none-any.whl"
BUNDLE = DATA / "rfc8785-0.1.2-py3-none-any.whl.sigstore.json"
PUBLISHER = SigstoreIdentity(
    issuer="https://token.actions.githubusercontent.com",
    identity="https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
)


@pytest.fixture(autouse=True)
def _isolated_cache(claw_env: dict[str, str]) -> None:
    """sigstore copies its embedded trust root into the user cache: keep it under tmp."""


def test_real_bundle_verifies_offline_for_its_publisher() -> None:
    signer = verify_sigstore_bundle(WHEEL.read_bytes(), BUNDLE.read_bytes(), [PUBLISHER], what=WHEEL.name)
    assert signer == f"sigstore {PUBLISHER.identity} ({PUBLISHER.issuer})"


def test_any_trusted_identity_may_match() -> None:
    other = SigstoreIdentity(issuer="https://accounts.google.com", identity="someone@example.org")
    signer = verify_sigstore_bundle(WHEEL.read_bytes(), BUNDLE.read_bytes(), [other, PUBLISHER], what="w")
    assert PUBLISHER.identity in signer


@pytest.mark.parametrize(
    "identity",
    [
        SigstoreIdentity(
            issuer=PUBLISHER.issuer,
            identity="https://github.com/evil/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
        ),
        SigstoreIdentity(issuer="https://accounts.google.com", identity=PUBLISHER.identity),
    ],
    ids=["wrong-identity", "wrong-issuer"],
)
def test_wrong_identity_is_refused(identity: SigstoreIdentity) -> None:
    with pytest.raises(MarketplaceError, match="does not verify"):
        verify_sigstore_bundle(WHEEL.read_bytes(), BUNDLE.read_bytes(), [identity], what=WHEEL.name)


def test_tampered_artifact_is_refused() -> None:
    data = bytearray(WHEEL.read_bytes())
    data[100] ^= 0xFF
    with pytest.raises(MarketplaceError, match="does not verify"):
        verify_sigstore_bundle(bytes(data), BUNDLE.read_bytes(), [PUBLISHER], what=WHEEL.name)


def test_malformed_bundle_is_refused() -> None:
    with pytest.raises(MarketplaceError, match="malformed"):
        verify_sigstore_bundle(WHEEL.read_bytes(), b'{"mediaType": "nope"}', [PUBLISHER], what=WHEEL.name)


def test_verify_checks_the_bundle_before_the_wheel_contents(tmp_path: Path) -> None:
    """Through the one verification function: the signature passes, then the wheel is refused
    because rfc8785 is not a claw plugin (no ``claw`` entry point)."""
    wheel = Path(shutil.copy(WHEEL, tmp_path))
    trust = Trust(identities=(PUBLISHER,), require_signed=True)
    candidate = Candidate(wheel=wheel, source=str(wheel), bundle=BUNDLE.read_bytes())
    with pytest.raises(MarketplaceError, match="registers no 'claw' entry point"):
        verify(candidate, trust)
    bad = Trust(
        identities=(SigstoreIdentity(issuer=PUBLISHER.issuer, identity="https://x/y"),), require_signed=True
    )
    with pytest.raises(MarketplaceError, match="does not verify"):
        verify(candidate, bad)
