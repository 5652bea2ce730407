"""claw-repl's hooks: the line REPL as the interactive front end (:mod:`claw_repl.repl`), and the folder's
trust question on the terminal. Both ``trylast``: claw-tui or another front end answers first.

Imports only ``claw``: prompt_toolkit loads when the REPL starts (never for ``claw --help`` or ``-p``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    from pathlib import Path

    from claw import CommandContext, LoopOptions

CLAW_API = ">=1.0,<2"


@claw.hookimpl(trylast=True)
def claw_interactive(context: CommandContext, options: LoopOptions, initial: str | None) -> int:
    from claw_repl.repl import run_repl

    if options.resume == claw.RESUME_PICK:  # a usage error (exit 2); raised, it would only skip this plugin
        claw.error("--resume without an id needs the full-screen UI (claw-tui); give an id or latest")
        return 2
    return run_repl(context, options, initial)


@claw.hookimpl(trylast=True)
def claw_trust_dialog(folder: Path, items: list[str]) -> str:
    from claw_repl.trust import ask_on_terminal

    return ask_on_terminal(folder, items)
