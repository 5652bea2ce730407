"""How a run settles its folder's trust before the settings it runs with are validated: the dialog
(interactive), Claude Code's trusted headless ``-p``, or ``--require-trust`` / ``CLAW_REQUIRE_TRUST`` /
settings ``requireTrust``. See ``docs/trust.md``; ``claw trust`` itself comes with claw-commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claw import _console as console
from claw._trust import REQUIRE_TRUST_ENV, WORKSPACE_SCOPES, WorkspaceTrust, folder_key, granted


def require_trust(app: Any, flag: bool) -> bool:
    """Whether ``-p`` honours the store: ``--require-trust``, ``CLAW_REQUIRE_TRUST=1``, or
    ``requireTrust`` in a settings layer the folder does not bring (user, command line, managed)."""
    if flag or app.env.get(REQUIRE_TRUST_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    return any(
        layer.data.get("requireTrust") is True for layer in app.layers if layer.scope not in WORKSPACE_SCOPES
    )


def skipped_line(app: Any, items: list[str]) -> str:
    """The one line an untrusted run prints: the folder, what was skipped and how to trust it."""
    return f"untrusted folder {app.trust.folder}: skipped {'; '.join(items)}; {app.trust.how_to_trust}"


def settle_headless(app: Any, require: bool) -> None:
    """``-p``: trusted, as in Claude Code, unless trust is required; then an untrusted folder runs
    without what needs trust, said in one line."""
    if not require:  # the store is not even read: a broken one cannot stop a headless run
        app.decide_trust(WorkspaceTrust(Path(folder_key(app.workspace)), True, "headless"))
        return
    if app.trust.trusted:
        return
    items = app.trust_items()
    if items:
        console.warn(skipped_line(app, items))


def settle_interactive(app: Any) -> None:
    """An interactive start in a folder not trusted that brings something needing trust: ask (the front
    end's ``claw_trust_dialog``: claw-tui's, claw-repl's on the terminal), then trust always, once, or go
    on without it (also when no plugin asks). Asked once per run: a second session (``/clear``) keeps it."""
    if app.trust.trusted or app.trust_settled:
        return
    app.trust_settled = True
    items = app.trust_items()
    if not items:
        return
    folder = app.trust.folder
    answer = app.pm.hook.claw_trust_dialog(folder=folder, items=items)
    store = app.pm.hook.claw_trust_store(env=dict(app.env)) if answer == "always" else None
    if store is not None:
        store.add(folder)
        app.decide_trust(granted(app.trust, "remembered"))
    elif answer in ("always", "once"):
        if answer == "always":
            console.warn(f"no trust store remembers {folder} (trust_store is disabled): trusted for this run")
        app.decide_trust(granted(app.trust, "this run"))
    else:
        console.warn(skipped_line(app, items))
