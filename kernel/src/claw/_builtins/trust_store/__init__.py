"""``trust_store``: the folders the user trusted, remembered in the state directory (:mod:`.store`).
Disabled, no folder is remembered: interactive runs ask every time, and "always" trusts for the run only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw._builtins.trust_store.store import TrustStore


@hookimpl(trylast=True)
def claw_trust_store(env: dict[str, str]) -> TrustStore:
    from claw._builtins.trust_store.store import TrustStore

    return TrustStore(env)
