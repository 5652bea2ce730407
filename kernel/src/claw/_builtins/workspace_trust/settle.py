"""How a run settles its folder's trust before its settings are validated (see the package's docstring)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from claw import _console as console
from claw._plugins import TRUE
from claw._trust import WORKSPACE_SCOPES, WorkspaceTrust


def settle(app: Any, options: Any) -> WorkspaceTrust | None:
    """``claw_settle_trust``: ``-p`` is trusted unless ``--require-trust``, ``CLAW_REQUIRE_TRUST=1`` or
    ``requireTrust`` in a settings layer the folder does not bring (user, command line, managed) says
    otherwise; ``None`` keeps what the store remembers."""
    if options.interactive:
        return _ask(app)
    flag = options.extra.get("require_trust") or app.env.get("CLAW_REQUIRE_TRUST", "").strip().lower() in TRUE
    yours = [lay for lay in app.layers if lay.scope not in WORKSPACE_SCOPES]
    if flag or any(lay.data.get("requireTrust") is True for lay in yours):
        return None
    # the store is not even read: a broken one cannot stop a headless run
    return WorkspaceTrust(app.workspace, True, "headless")


def _ask(app: Any) -> WorkspaceTrust | None:
    """A folder not trusted that brings something needing trust: ask (the front end's
    ``claw_trust_dialog``: claw-tui's, claw-repl's on the terminal), then trust always, once, or go on
    without it (also when no plugin asks)."""
    if app.trust.trusted or not (items := app.trust_items()):
        return None
    folder = app.trust.folder
    answer = app.pm.hook.claw_trust_dialog(folder=folder, items=items)
    store = app.pm.hook.claw_trust_store(env=dict(app.env)) if answer == "always" else None
    if store is not None:
        store.add(folder)
        return replace(app.trust, trusted=True, reason="remembered")
    if answer == "always":
        console.warn(f"no trust store remembers {folder} (trust_store is disabled): trusted for this run")
    return replace(app.trust, trusted=True, reason="this run") if answer in ("always", "once") else None
