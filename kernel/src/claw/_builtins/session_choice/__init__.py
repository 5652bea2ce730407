"""Which session a run continues or starts, and where it is kept: ``-r/--resume``, ``-c/--continue``,
``--fork-session``, ``--session-id``, ``--session-dir``, ``--no-session-persistence`` (Claude Code's) and
``--session`` (claw-code-go's spelling of ``--resume ID``), as options (:mod:`.flags`) mapped onto
``LoopOptions`` before any other plugin adjusts the run. Disabled, each flag is a usage error naming this
built-in; a run starts a new session, saved where the session store keeps it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    import click

    from claw._loop.options import LoopOptions


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    from claw._builtins.session_choice.flags import options

    for option in options():
        register(option)


@hookimpl(wrapper=True)
def claw_adjust_run(options: LoopOptions) -> Generator[None, list[str | None], list[str | None]]:
    """A wrapper, so the flags are on ``options`` before any plugin's own adjustment runs (claw-agents'
    ``--bg`` reads ``options.resume``); a contradictory combination is refused before any of them runs
    (``--bg`` would hand the run off, ``-w`` make its worktree)."""
    from claw._builtins.session_choice.flags import adjust

    refusal = adjust(options)
    if refusal is not None:
        from claw import UsageError

        raise UsageError(refusal)
    return (yield)
