"""The two hooks of a built-in that owns some of claw's run flags (``session_choice``, ``permission_flags``,
``system_prompt_flags``), made once for the three: its flags module's ``options()`` registered, and its
``adjust(options)`` run in a ``claw_adjust_run`` wrapper, so the values are on ``options`` before any
plugin's own adjustment runs (claw-agents' ``--bg`` reads ``options.resume``) and a contradictory
combination ends the run (``claw.UsageError``) before any of them acts (``--bg`` would hand the run off,
``-w`` make its worktree). Importing this costs only ``claw.hookimpl``; the flags module (click) loads when
a hook runs."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    import click

    from claw._loop.options import LoopOptions


def flag_hooks(flags: str) -> tuple[Callable[..., None], Callable[..., Generator[None, Any, Any]]]:
    """``claw_register_run_options`` and ``claw_adjust_run`` for the flags module named ``flags``."""

    @hookimpl
    def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
        for option in importlib.import_module(flags).options():
            register(option)

    @hookimpl(wrapper=True)
    def claw_adjust_run(options: LoopOptions) -> Generator[None, list[str | None], list[str | None]]:
        refusal = importlib.import_module(flags).adjust(options)
        if refusal is not None:
            from claw import UsageError

            raise UsageError(refusal)
        return (yield)

    return claw_register_run_options, claw_adjust_run
