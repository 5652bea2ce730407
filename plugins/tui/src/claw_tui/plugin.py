"""claw-tui's hooks: the full-screen UI for interactive ``claw``, and ``claw timeline``'s pretty view.

Imports only ``claw``: Textual and Rich load when the UI starts (never for ``claw --help`` or ``-p``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

import claw

CLAW_API = ">=1.0,<2"


def usable_terminal(env: Mapping[str, str] | None = None) -> bool:
    """Whether the UI can run here: stdin and stdout are terminals and ``TERM`` is not ``dumb``.
    Anywhere else the line REPL (which also reads piped lines) remains."""
    env = os.environ if env is None else env
    if env.get("TERM", "") in ("dumb", ""):
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@claw.hookimpl
def claw_interactive(context: Any, options: Any, initial: str | None) -> int | None:
    if not usable_terminal():
        return None
    import asyncio
    import os

    from claw_tui.app import run

    # COLUMNS and LINES, when exported, are a size someone once had (a script, a CI runner, pytest's
    # workers set 80x24): Textual would believe them over the terminal's real size and lay the screen
    # out for a window that is not there. The terminal itself says how big it is, and on every resize.
    for stale in ("COLUMNS", "LINES"):
        os.environ.pop(stale, None)
    try:
        return asyncio.run(run(context, options, initial))
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None


@claw.hookimpl
def claw_trust_dialog(folder: Any, items: list[str]) -> str | None:
    app = sys.modules.get("claw_tui.app")  # not on screen unless loaded: never import Textual to say no
    return app.asking_trust(folder, items) if app is not None else None


@claw.hookimpl
def claw_render_timeline(session_id: str, events: list[dict[str, Any]], limit: int | None) -> bool | None:
    from rich.console import Console
    from rich.rule import Rule

    from claw_tui import render

    console = Console(highlight=False)
    console.print(Rule(f"session {render.clean(session_id)}"))
    for renderable in render.transcript(events[-limit:] if limit else events):
        console.print(renderable)
    return True
