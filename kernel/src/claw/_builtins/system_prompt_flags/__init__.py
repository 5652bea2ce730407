"""``--system-prompt``, ``--append-system-prompt`` and their ``-file`` forms (Claude Code's), as options
(:mod:`.flags`) mapped onto ``LoopOptions`` before any other plugin adjusts the run. A file is read while
the command line is parsed, so a subcommand (``print-system-prompt``, ``resume-session``) sees its text
as a run does. Disabled, each flag is a usage error naming this built-in; claw's own instructions apply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    import click

    from claw._loop.options import LoopOptions


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    from claw._builtins.system_prompt_flags.flags import options

    for option in options():
        register(option)


@hookimpl(wrapper=True)
def claw_adjust_run(options: LoopOptions) -> Generator[None, list[str | None], list[str | None]]:
    """A wrapper, so the flags are on ``options`` before any plugin's own adjustment runs."""
    options.system_prompt = options.extra.get("system_prompt")
    options.append_system_prompt = options.extra.get("append_system_prompt")
    return (yield)
