"""What a run's tools may do, from its command line: ``--permission-mode``, ``--dangerously-skip-permissions``,
``--permission-prompt-tool``, ``--allowed-tools``, ``--disallowed-tools``, ``--tools`` and ``--add-dir``
(Claude Code's), as options (:mod:`.flags`) mapped onto ``LoopOptions`` before any other plugin adjusts the
run. Disabled, each flag is a usage error naming this built-in; the permission engine then works from
settings alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    import click

    from claw._loop.options import LoopOptions


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    from claw._builtins.permission_flags.flags import options

    for option in options():
        register(option)


@hookimpl(wrapper=True)
def claw_adjust_run(options: LoopOptions) -> Generator[None, list[str | None], list[str | None]]:
    """A wrapper, so the flags are on ``options`` before any plugin's own adjustment runs (claw-agents'
    ``--bg`` reads ``options.resume``); a contradictory combination is refused before any of them runs
    (``--bg`` would hand the run off, ``-w`` make its worktree)."""
    from claw._builtins.permission_flags.flags import adjust

    refusal = adjust(options)
    if refusal is not None:
        from claw import UsageError

        raise UsageError(refusal)
    return (yield)
