"""``claw doctor`` lines for the marketplace: where plugins come from and what is trusted."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_marketplace.errors import MarketplaceError

SECTION = "marketplace"


def checks(settings: Any, env: Mapping[str, str]) -> list[claw.DoctorCheck]:
    """Marketplace URL, public key, Sigstore identities, signing policy, CA bundle and installer."""
    from claw_marketplace.installer import Installer
    from claw_marketplace.settings import Trust

    def line(name: str, status: str, detail: str) -> claw.DoctorCheck:
        return claw.DoctorCheck(section=SECTION, name=name, status=status, detail=detail)  # type: ignore[arg-type]

    try:
        trust = Trust.resolve(settings.get("marketplace"), env)
    except MarketplaceError as exc:
        return [line("public key", "fail", str(exc))]
    out = []
    url = trust.marketplace_url
    if not url:
        out.append(line("url", "info", "not set (CLAW_MARKETPLACE_URL or settings marketplace.url)"))
    else:
        out.append(line("url", "warn" if url.startswith("http://") else "ok", url))
    if trust.public_key_pem is None:
        out.append(
            line("public key", "info", "not set (CLAW_PLUGIN_PUBLIC_KEY or settings marketplace.publicKey)")
        )
    else:
        from claw_marketplace.signing import fingerprint

        try:
            out.append(line("public key", "ok", f"ECDSA P-256 {fingerprint(trust.public_key_pem)}"))
        except MarketplaceError as exc:
            out.append(line("public key", "fail", str(exc)))
    out.append(line("sigstore identities", "info", f"{len(trust.identities)} trusted"))
    anchors = trust.public_key_pem is not None or bool(trust.identities)
    if trust.require_signed:
        status, detail = (
            ("ok", "required") if anchors else ("fail", "required, but no key or identity is configured")
        )
    else:
        status, detail = "warn", "not required (unsigned plugins install; set requireSigned)"
    out.append(line("signatures", status, detail))
    if trust.ca_bundle and not Path(trust.ca_bundle).expanduser().is_file():
        out.append(line("CA bundle", "fail", f"{trust.ca_bundle} does not exist"))
    installer = Installer(env)
    try:
        out.append(line("installer", "ok", f"{installer.ensure_available()} into {installer.python}"))
    except MarketplaceError as exc:
        out.append(line("installer", "fail", str(exc)))
    return out
