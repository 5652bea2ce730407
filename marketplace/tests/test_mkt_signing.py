"""cosign-style key signatures: keygen, sign, verify, and what is refused."""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import pytest
from claw_marketplace import signing
from claw_marketplace.errors import MarketplaceError
from claw_marketplace.publish import keygen, sign
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


def test_keygen_writes_a_private_key_only_the_owner_can_read(keypair: tuple[Path, Path]) -> None:
    private, public = keypair
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"BEGIN PRIVATE KEY" in private.read_bytes()
    key = serialization.load_pem_public_key(public.read_bytes())
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"


def test_keygen_never_overwrites(keypair: tuple[Path, Path]) -> None:
    with pytest.raises(MarketplaceError, match="already exists"):
        keygen(keypair[0].parent)


def test_sign_then_verify_round_trip(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    blob = tmp_path / "x_y-1.0-py3-none-any.whl"
    blob.write_bytes(b"wheel bytes")
    sig = sign(blob, keypair[0])
    assert sig.name == blob.name + ".sig"
    digest = hashlib.sha256(blob.read_bytes()).hexdigest()
    signer = signing.verify_key_signature(digest, sig.read_text(), keypair[1].read_bytes(), what=blob.name)
    assert signer == f"key {signing.fingerprint(keypair[1].read_bytes())}"


def test_accepts_what_cosign_sign_blob_writes(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    """cosign signs the blob with ECDSA-SHA256 (the hash computed by the signer, not prehashed)."""
    key = serialization.load_pem_private_key(keypair[0].read_bytes(), password=None)
    blob = b"some artifact"
    sig = base64.b64encode(key.sign(blob, ec.ECDSA(hashes.SHA256()))).decode()  # type: ignore[union-attr,call-arg]
    signing.verify_key_signature(hashlib.sha256(blob).hexdigest(), sig, keypair[1].read_bytes(), what="blob")


def test_signature_by_another_key_is_refused(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    other_private, _ = keygen(tmp_path / "other")
    digest = hashlib.sha256(b"data").hexdigest()
    sig = signing.sign_digest(digest, other_private.read_bytes())
    with pytest.raises(MarketplaceError, match="does not match the configured public key"):
        signing.verify_key_signature(digest, sig, keypair[1].read_bytes(), what="w.whl")


def test_signature_over_other_bytes_is_refused(keypair: tuple[Path, Path]) -> None:
    sig = signing.sign_digest(hashlib.sha256(b"original").hexdigest(), keypair[0].read_bytes())
    with pytest.raises(MarketplaceError, match="refused"):
        signing.verify_key_signature(
            hashlib.sha256(b"tampered").hexdigest(), sig, keypair[1].read_bytes(), what="w"
        )


def test_malformed_signature_and_keys(keypair: tuple[Path, Path]) -> None:
    digest = hashlib.sha256(b"x").hexdigest()
    with pytest.raises(MarketplaceError, match="not base64"):
        signing.verify_key_signature(digest, "%%%not base64%%%", keypair[1].read_bytes(), what="w")
    with pytest.raises(MarketplaceError, match="not a PEM public key"):
        signing.verify_key_signature(digest, "AAAA", b"-----BEGIN PUBLIC KEY-----\nnope\n", what="w")
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    pem = p384.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(MarketplaceError, match="P-256"):
        signing.verify_key_signature(digest, "AAAA", pem, what="w")
