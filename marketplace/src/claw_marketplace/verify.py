"""The one verification path every install and update goes through, CLI and Python API alike.

:func:`verify` runs before anything touches the environment and either returns what may be
installed or raises :class:`MarketplaceError` with one line saying why not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from claw import warn

from claw_marketplace.errors import MarketplaceError
from claw_marketplace.settings import Trust
from claw_marketplace.wheels import WheelInfo, inspect_wheel, normalize, sha256_of


@dataclass
class Candidate:
    """A wheel on local disk and what its source claims about it."""

    wheel: Path
    #: Where it came from: a manifest URL, a wheel path or a project directory.
    source: str
    expected_name: str | None = None
    expected_version: str | None = None
    expected_sha256: str | None = None
    #: cosign-style signature text (base64 DER).
    signature: str | None = None
    #: Sigstore bundle JSON.
    bundle: bytes | None = None
    claw_api: str | None = None
    kernel: str | None = None


@dataclass
class Verified:
    """A wheel that passed :func:`verify`."""

    candidate: Candidate
    info: WheelInfo
    sha256: str
    #: Who signed it (``key SHA256:...`` or ``sigstore <identity> (<issuer>)``), None when unsigned.
    signer: str | None


def _signer(candidate: Candidate, sha256: str, trust: Trust) -> str | None:
    from claw_marketplace import signing

    what = candidate.wheel.name
    signers: list[str] = []
    if candidate.signature is not None:
        if trust.public_key_pem is not None:
            signers.append(
                signing.verify_key_signature(sha256, candidate.signature, trust.public_key_pem, what=what)
            )
        else:
            warn(f"{what} is signed, but no public key is configured (CLAW_PLUGIN_PUBLIC_KEY); not checked")
    if candidate.bundle is not None:
        if trust.identities:
            signers.append(
                signing.verify_sigstore_bundle(
                    candidate.wheel.read_bytes(), candidate.bundle, trust.identities, what=what
                )
            )
        else:
            warn(
                f"{what} has a Sigstore bundle, but no trusted identity is configured "
                "(settings marketplace.sigstoreIdentities); not checked"
            )
    if not signers and trust.require_signed:
        if candidate.signature is None and candidate.bundle is None:
            raise MarketplaceError(f"refused: {what} is not signed and signing is required")
        raise MarketplaceError(
            f"refused: {what} has no signature a configured key or identity can check, and signing is required"
        )
    return "; ".join(signers) or None


def _check_range(info: WheelInfo, candidate: Candidate) -> None:
    from claw import API_VERSION, VERSION, satisfies
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    for label, spec in (("manifest", candidate.claw_api), ("wheel", info.claw_api)):
        if spec is None:
            continue
        try:
            ok = satisfies(API_VERSION, spec)
        except ValueError as exc:
            raise MarketplaceError(
                f"refused: {info.name} {info.version} declares an invalid plugin API range {spec!r} ({label})"
            ) from exc
        if not ok:
            raise MarketplaceError(
                f"refused: {info.name} {info.version} needs claw plugin API {spec}; this kernel provides {API_VERSION}"
            )
    for label, spec in (("manifest", candidate.kernel), ("wheel", info.kernel)):
        if not spec:
            continue
        try:
            ok = SpecifierSet(spec).contains(VERSION, prereleases=True)
        except InvalidSpecifier as exc:
            raise MarketplaceError(
                f"refused: {info.name} {info.version} declares an invalid kernel range {spec!r} ({label})"
            ) from exc
        if not ok:
            raise MarketplaceError(
                f"refused: {info.name} {info.version} needs claw-kernel {spec}; this is claw-kernel {VERSION}"
            )


def verify(
    candidate: Candidate,
    trust: Trust,
    *,
    installed: Mapping[str, str] | None = None,
    allow_downgrade: bool = False,
) -> Verified:
    """Decide whether ``candidate`` may be installed, in this order: size, SHA-256, signature, zip
    structure, metadata against the manifest, ``claw`` entry points, plugin API and kernel ranges,
    downgrade.

    :param installed: installed distributions (normalized name -> version), for the downgrade check.
    :raises MarketplaceError: the first check that fails, as one line.
    """
    from packaging.version import InvalidVersion, Version

    wheel = candidate.wheel
    size = wheel.stat().st_size
    if size > trust.wheel_size_limit:
        raise MarketplaceError(
            f"refused: {wheel.name} is larger than the {trust.wheel_size_limit:,}-byte limit"
        )
    sha256 = sha256_of(wheel)
    if candidate.expected_sha256 is not None and sha256 != candidate.expected_sha256.lower():
        raise MarketplaceError(
            f"refused: {wheel.name} does not match the SHA-256 in its manifest (tampered or corrupted download)"
        )
    signer = _signer(candidate, sha256, trust)
    info = inspect_wheel(wheel)
    if candidate.expected_name is not None and normalize(candidate.expected_name) != normalize(info.name):
        raise MarketplaceError(
            f"refused: the manifest names {candidate.expected_name!r} but the wheel contains {info.name!r}"
        )
    if candidate.expected_version is not None:
        try:
            same = Version(candidate.expected_version) == Version(info.version)
        except InvalidVersion:
            same = candidate.expected_version == info.version
        if not same:
            raise MarketplaceError(
                f"refused: the manifest says {info.name} {candidate.expected_version} but the wheel contains "
                f"version {info.version}"
            )
    if not info.entry_points:
        raise MarketplaceError(
            f"refused: {wheel.name} registers no 'claw' entry point, so it is not a claw plugin"
        )
    _check_range(info, candidate)
    installed_version = (installed or {}).get(normalize(info.name))
    if installed_version is not None and not allow_downgrade:
        try:
            older = Version(info.version) < Version(installed_version)
        except InvalidVersion:
            older = False
        if older:
            raise MarketplaceError(
                f"refused: {info.name} {info.version} would downgrade the installed {installed_version} "
                "(pass --allow-downgrade to do it anyway)"
            )
    return Verified(candidate=candidate, info=info, sha256=sha256, signer=signer)
