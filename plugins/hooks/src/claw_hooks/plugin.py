"""The ``hooks`` plugin: settings ``hooks`` (schema, trust), running them at every hook event, and
``claw hooks``. Imported on every start: it imports only ``claw`` and ``click``; the runner loads at the
first event."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import click
from claw import hookimpl

if TYPE_CHECKING:
    from claw import HookContext, HookEvent

    from claw_hooks.runner import HookRunner

#: One runner per session (hook context): its hooks, matchers and ``if`` rules are compiled once.
_RUNNERS: weakref.WeakKeyDictionary[HookContext, HookRunner] = weakref.WeakKeyDictionary()


@hookimpl(wrapper=True, tryfirst=True)
def claw_hook_event(event: HookEvent, context: HookContext) -> Generator[None, Any, Any]:
    """After the programmatic handlers (and the other wrappers: this one is outermost), the matching
    command hooks and callbacks, merged with their answer; with no hooks configured, that answer."""
    handled = yield
    runner = _RUNNERS.get(context)
    if runner is None:
        from claw_hooks.runner import HookRunner

        runner = _RUNNERS[context] = HookRunner(context)
    return runner.run(handled, event) if runner.hooks else handled


@hookimpl
def claw_register_settings(register: Callable[..., Any]) -> None:
    from claw_hooks.settings import HooksSettings

    register(
        "hooks",
        HooksSettings,
        "Claude Code's command hooks: event -> [{matcher, hooks: [{type, command, timeout, if, sandbox}]}].",
        requires_trust=True,
    )


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_hooks.cli import hooks

    cli.add_command(hooks)
