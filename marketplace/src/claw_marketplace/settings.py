"""The ``marketplace`` settings key and how it combines with the environment and flags.

Precedence, highest first: command-line flags, environment (``CLAW_MARKETPLACE_URL``,
``CLAW_PLUGIN_PUBLIC_KEY``, ``CLAW_REQUIRE_SIGNED``, ``SSL_CERT_FILE``), then settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from claw_marketplace.errors import MarketplaceError

#: Index and manifest documents are small; anything larger is refused while it streams.
DOCUMENT_LIMIT = 1024 * 1024
#: Default cap on a plugin wheel's size (settings ``marketplace.wheelSizeLimit``).
DEFAULT_WHEEL_LIMIT = 50 * 1024 * 1024


class SigstoreIdentity(BaseModel):
    """A keyless signer the user trusts: the OIDC issuer and the certificate identity (SAN)."""

    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    issuer: str
    identity: str


class MarketplaceSettings(BaseModel):
    """Settings key ``marketplace``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    #: The default marketplace base URL (``CLAW_MARKETPLACE_URL`` wins).
    url: str | None = None
    #: ECDSA P-256 public key for cosign-style signatures: a PEM file path or inline PEM.
    publicKey: str | None = None
    #: Refuse anything without a verified signature (``CLAW_REQUIRE_SIGNED=1`` also turns it on).
    requireSigned: bool = False
    #: Keyless (Sigstore) signers trusted for marketplace bundles.
    sigstoreIdentities: list[SigstoreIdentity] = Field(default_factory=list)
    #: Largest wheel accepted, in bytes.
    wheelSizeLimit: int = Field(default=DEFAULT_WHEEL_LIMIT, gt=0)
    #: A PEM file of CA certificates to trust for HTTPS marketplaces (``SSL_CERT_FILE`` also works).
    caBundle: str | None = None


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _read_public_key(value: str) -> bytes:
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return text.encode()
    path = Path(text).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MarketplaceError(f"cannot read the plugin public key {path}: {exc.strerror}") from exc


@dataclass(frozen=True)
class Trust:
    """Everything that decides whether a wheel may be installed and where it may come from."""

    marketplace_url: str | None = None
    public_key_pem: bytes | None = None
    require_signed: bool = False
    identities: tuple[SigstoreIdentity, ...] = ()
    wheel_size_limit: int = DEFAULT_WHEEL_LIMIT
    ca_bundle: str | None = None
    insecure: bool = False

    @classmethod
    def resolve(
        cls,
        settings: Mapping[str, Any] | None,
        env: Mapping[str, str],
        *,
        marketplace: str | None = None,
        require_signed: bool = False,
        insecure: bool = False,
    ) -> Trust:
        """Combine flags, environment and the ``marketplace`` settings value."""
        s = MarketplaceSettings.model_validate(dict(settings or {}))
        key = env.get("CLAW_PLUGIN_PUBLIC_KEY") or s.publicKey
        return cls(
            marketplace_url=marketplace or env.get("CLAW_MARKETPLACE_URL") or s.url,
            public_key_pem=_read_public_key(key) if key else None,
            require_signed=require_signed or _truthy(env.get("CLAW_REQUIRE_SIGNED")) or s.requireSigned,
            identities=tuple(s.sigstoreIdentities),
            wheel_size_limit=s.wheelSizeLimit,
            ca_bundle=s.caBundle or env.get("SSL_CERT_FILE") or None,
            insecure=insecure,
        )
