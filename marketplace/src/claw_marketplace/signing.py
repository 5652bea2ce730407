"""Signatures: cosign-style ECDSA P-256 key signatures and Sigstore (keyless) bundles.

A cosign-style signature is the base64 of an ASN.1 DER ECDSA signature over the SHA-256 of the
file, exactly what ``cosign sign-blob --key`` writes, so publishers can use either tool. It is
checked against the public key the user configured, never against a key found next to the
artifact. A Sigstore bundle is verified offline against the production trust root that ships
with ``sigstore`` and an identity policy (OIDC issuer + certificate identity) from settings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from claw_marketplace.errors import MarketplaceError
from claw_marketplace.settings import SigstoreIdentity


def generate_keypair() -> tuple[bytes, bytes]:
    """A new ECDSA P-256 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def sign_digest(sha256_hex: str, private_pem: bytes) -> str:
    """The cosign-style signature (base64 DER) of a file whose SHA-256 is ``sha256_hex``."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    try:
        key = serialization.load_pem_private_key(private_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise MarketplaceError(f"cannot load the signing key: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise MarketplaceError("the signing key must be an ECDSA P-256 private key")
    signature = key.sign(bytes.fromhex(sha256_hex), ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    return base64.b64encode(signature).decode()


def load_public_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise MarketplaceError(f"the plugin public key is not a PEM public key ({exc})") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise MarketplaceError("the plugin public key must be an ECDSA P-256 key")
    return key


def fingerprint(public_pem: bytes) -> str:
    """``SHA256:<hex>`` of the key's DER SubjectPublicKeyInfo, shortened: how records name a signer."""
    from cryptography.hazmat.primitives import serialization

    der = load_public_key(public_pem).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "SHA256:" + hashlib.sha256(der).hexdigest()[:16]


def verify_key_signature(sha256_hex: str, signature_b64: str, public_pem: bytes, *, what: str) -> str:
    """Check a cosign-style signature; returns the signer (``key SHA256:...``).

    :raises MarketplaceError: the signature is malformed or was made by another key (or over other bytes).
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    key = load_public_key(public_pem)
    try:
        signature = base64.b64decode(signature_b64.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MarketplaceError(f"refused: the signature of {what} is not base64") from exc
    try:
        key.verify(signature, bytes.fromhex(sha256_hex), ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    except InvalidSignature as exc:
        raise MarketplaceError(
            f"refused: the signature of {what} does not match the configured public key "
            f"{fingerprint(public_pem)} (signed by another key, or the file changed)"
        ) from exc
    return f"key {fingerprint(public_pem)}"


def verify_sigstore_bundle(
    data: bytes, bundle_json: bytes, identities: Sequence[SigstoreIdentity], *, what: str
) -> str:
    """Verify a Sigstore bundle for ``data`` offline against the trusted identities.

    Message-signature bundles (``sigstore sign``, ``cosign sign-blob --bundle``, GitHub's
    ``gh-action-sigstore-python``) are supported; DSSE bundles (in-toto attestations) are refused.
    Returns the signer (``sigstore <identity> (<issuer>)``).

    :raises MarketplaceError: malformed bundle, untrusted identity, or a bundle for other bytes.
    """
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import Bundle
    from sigstore.verify import Verifier
    from sigstore.verify.policy import AnyOf, Identity

    # sigstore logs "TUF repository is loaded in offline mode" at warning level; offline is the point.
    logging.getLogger("sigstore").setLevel(logging.ERROR)
    try:
        bundle = Bundle.from_json(bundle_json)
    except Exception as exc:  # sigstore raises several types for a bad bundle
        raise MarketplaceError(f"refused: the Sigstore bundle of {what} is malformed ({_line(exc)})") from exc
    policies = [Identity(identity=i.identity, issuer=i.issuer) for i in identities]
    policy = AnyOf(policies)  # type: ignore[arg-type]
    try:
        verifier = Verifier.production(offline=True)
        verifier.verify_artifact(data, bundle, policy)
    except SigstoreError as exc:
        raise MarketplaceError(
            f"refused: the Sigstore bundle of {what} does not verify ({_line(exc)})"
        ) from exc
    cert = bundle.signing_certificate
    for ident in identities:
        try:
            Identity(identity=ident.identity, issuer=ident.issuer).verify(cert)
        except SigstoreError:
            continue
        return f"sigstore {ident.identity} ({ident.issuer})"
    raise MarketplaceError(f"refused: the Sigstore bundle of {what} matches no trusted identity")


def _line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]
