"""The built-in interactive front end: claw's line REPL (:mod:`claw.cli.repl`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.loop.options import LoopOptions
    from claw.plugin_commands import CommandContext


@hookimpl(trylast=True)
def claw_interactive(context: CommandContext, options: LoopOptions, initial: str | None) -> int:
    from claw import console
    from claw.cli.repl import run_repl
    from claw.cli.run import RESUME_PICK

    if options.resume == RESUME_PICK:  # a usage error (exit 2); raised, it would only skip this plugin
        console.error("--resume without an id needs the full-screen UI (claw-tui); give an id or latest")
        return 2
    return run_repl(context, options, initial)
