"""The publisher's side: key pairs, signatures and a static marketplace built from a folder of wheels.

The output of :func:`build_marketplace` is a directory of static files; any HTTPS file server
(GitHub Pages, S3, nginx) can host it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from claw_marketplace.errors import MarketplaceError
from claw_marketplace.wheels import WheelInfo, inspect_wheel, normalize, sha256_of

PRIVATE_KEY_NAME = "claw-plugin.key"
PUBLIC_KEY_NAME = "claw-plugin.pub"


def keygen(out_dir: Path) -> tuple[Path, Path]:
    """Write a new ECDSA P-256 key pair; the private key is created with mode 0600."""
    from claw_marketplace.signing import generate_keypair

    private_path, public_path = out_dir / PRIVATE_KEY_NAME, out_dir / PUBLIC_KEY_NAME
    for p in (private_path, public_path):
        if p.exists():
            raise MarketplaceError(f"{p} already exists; remove it or choose another --out")
    out_dir.mkdir(parents=True, exist_ok=True)
    private, public = generate_keypair()
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private)
    public_path.write_bytes(public)
    return private_path, public_path


def _read_key(key: Path) -> bytes:
    try:
        return key.read_bytes()
    except OSError as exc:
        raise MarketplaceError(f"cannot read the signing key {key}: {exc.strerror}") from exc


def sign(wheel: Path, key: Path) -> Path:
    """Write ``WHEEL.sig``: the cosign-style signature of ``wheel`` (``cosign sign-blob --key`` compatible)."""
    from claw_marketplace.signing import sign_digest

    if not wheel.is_file():
        raise MarketplaceError(f"no such file: {wheel}")
    out = wheel.with_name(wheel.name + ".sig")
    out.write_text(sign_digest(sha256_of(wheel), _read_key(key)) + "\n", encoding="utf-8")
    return out


def _manifest(
    info: WheelInfo, wheel: Path, signature: str, bundle: str | None, wheel_url: str, publisher: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": normalize(info.name),
        "version": info.version,
        "description": info.summary,
        "wheel": wheel_url,
        "sha256": sha256_of(wheel),
        "size": wheel.stat().st_size,
        "signature": signature,
        "claw_api": info.claw_api,
        "kernel": info.kernel,
        "entry_points": sorted(info.entry_points),
    }
    if bundle:
        data["sigstore_bundle"] = bundle
    if publisher:
        data["publisher"] = {"name": publisher}
    return {k: v for k, v in data.items() if v is not None}


def build_marketplace(
    wheels_dir: Path,
    key: Path,
    *,
    out: Path | None = None,
    base_url: str | None = None,
    name: str = "",
    publisher: str | None = None,
) -> Path:
    """Build ``index.json``, ``<name>/manifest.json``, ``<name>/<version>/manifest.json`` and signed
    wheel copies from every ``*.whl`` in ``wheels_dir`` (a ``WHEEL.sigstore.json`` beside a wheel
    is published as its Sigstore bundle). Wheels that are not claw plugins are refused.

    :param base_url: make wheel URLs absolute under this URL instead of relative to each manifest.
    :returns: the path of ``index.json``.
    """
    from packaging.version import Version

    from claw_marketplace.signing import sign_digest

    out = out or wheels_dir
    private = _read_key(key)
    wheels = sorted(wheels_dir.glob("*.whl"))
    if not wheels:
        raise MarketplaceError(f"no wheels in {wheels_dir}")
    by_name: dict[str, list[tuple[WheelInfo, Path]]] = {}
    for wheel in wheels:
        info = inspect_wheel(wheel)
        if not info.entry_points:
            raise MarketplaceError(
                f"refused: {wheel.name} registers no 'claw' entry point, so it is not a claw plugin"
            )
        by_name.setdefault(normalize(info.name), []).append((info, wheel))
    entries = []
    for dist, items in sorted(by_name.items()):
        items.sort(key=lambda item: Version(item[0].version))
        folder = out / dist
        folder.mkdir(parents=True, exist_ok=True)
        manifests = []
        for info, wheel in items:
            target = folder / wheel.name
            if wheel.resolve() != target.resolve():
                shutil.copy2(wheel, target)
            signature = sign_digest(sha256_of(target), private)
            target.with_name(target.name + ".sig").write_text(signature + "\n", encoding="utf-8")
            bundle = None
            source_bundle = wheel.with_name(wheel.name + ".sigstore.json")
            if source_bundle.is_file():
                bundle = source_bundle.name
                if source_bundle.resolve() != (folder / bundle).resolve():
                    shutil.copy2(source_bundle, folder / bundle)
            rel = f"{dist}/{wheel.name}"
            # Per-version manifests live one level deeper, so their relative URLs climb one more level.
            latest_url = f"{base_url.rstrip('/')}/{rel}" if base_url else wheel.name
            version_url = f"{base_url.rstrip('/')}/{rel}" if base_url else f"../{wheel.name}"
            bundle_latest = (
                (f"{base_url.rstrip('/')}/{dist}/{bundle}" if base_url else bundle) if bundle else None
            )
            bundle_version = (
                (f"{base_url.rstrip('/')}/{dist}/{bundle}" if base_url else f"../{bundle}")
                if bundle
                else None
            )
            version_dir = folder / info.version
            version_dir.mkdir(exist_ok=True)
            _write_json(
                version_dir / "manifest.json",
                _manifest(info, target, signature, bundle_version, version_url, publisher),
            )
            manifests.append(_manifest(info, target, signature, bundle_latest, latest_url, publisher))
        _write_json(folder / "manifest.json", manifests[-1])
        latest = items[-1][0]
        entries.append(
            {
                "name": dist,
                "version": latest.version,
                "summary": latest.summary,
                "versions": [i.version for i, _ in items],
            }
        )
    index = out / "index.json"
    _write_json(index, {"name": name or out.resolve().name, "plugins": entries})
    return index


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
