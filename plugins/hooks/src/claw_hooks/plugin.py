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

#: One runner per session (hook context): its hooks, matchers and ``if`` rules are compiled once at its
#: first event; ``None`` for a session that has none (most ``claw -p`` runs), which never loads the runner.
_RUNNERS: weakref.WeakKeyDictionary[HookContext, HookRunner | None] = weakref.WeakKeyDictionary()


@hookimpl(wrapper=True, tryfirst=True)
def claw_hook_event(event: HookEvent, context: HookContext) -> Generator[None, Any, Any]:
    """After the programmatic handlers (and the other wrappers: this one is outermost), the matching
    command hooks and callbacks, merged with their answer; with no hooks configured, that answer."""
    handled = yield
    if context not in _RUNNERS:
        _RUNNERS[context] = _runner(context)
    runner = _RUNNERS[context]
    return runner.run(handled, event) if runner is not None else handled


def _runner(context: HookContext) -> HookRunner | None:
    """The session's runner, or ``None`` when neither a settings file nor the embedder gives a hook."""
    layers = getattr(context.settings, "layers", None) or []
    if not context.callbacks and not any(layer.data.get("hooks") for layer in layers):
        return None
    from claw_hooks.runner import HookRunner

    runner = HookRunner(context)
    return runner if runner.hooks else None


@hookimpl
def claw_register_settings(register: Callable[..., Any]) -> None:
    from claw_hooks.settings import HooksSettings, claude_code_hooks

    register(
        "hooks",
        HooksSettings,
        "Claude Code's command hooks: event -> [{matcher, hooks: [{type, command, timeout, if, sandbox}]}].",
        requires_trust=True,
        claude_code=claude_code_hooks,
    )
    register(
        "disableAllHooks",
        bool,
        "Claude Code's switch: true runs no command hooks (one in a non-managed file leaves the managed ones).",
        requires_trust=True,  # a repository must not switch off the user's guard hooks before it is trusted
    )


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_hooks.cli import hooks

    cli.add_command(hooks)
