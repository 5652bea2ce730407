"""The built-in interactive front end: claw's line REPL (:mod:`claw.cli.repl`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.loop.options import LoopOptions
    from claw.plugin_commands import CommandContext


@hookimpl(trylast=True)
def claw_interactive(context: CommandContext, options: LoopOptions, initial: str | None) -> int:
    from claw.cli.repl import run_repl

    return run_repl(context, options, initial)
