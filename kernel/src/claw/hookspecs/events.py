"""Hooks and events

Seeing each step as it happens: programmatic handlers for the events settings hooks receive (which may
block or change a step), and every runtime event for telemetry and audit logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw._markers import hookspec

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from claw._events import HookEvent, HookOutcome, RuntimeEvent
    from claw._hook_dispatch import HookContext


@hookspec(firstresult=True)
def claw_hook_event(
    event: HookEvent, context: HookContext
) -> HookOutcome | Awaitable[HookOutcome | None] | None:
    """Programmatic hook handler: see or veto a step.

    Called for Claude Code's hook events (PreToolUse, PostToolUse, UserPromptSubmit, Stop,
    SessionStart, plugin install events, ...); the kernel fires every event through this hook only.
    Stops at first non-None result. An ``async def`` handler always answers (its coroutine is the
    result); awaited, ``None`` means "continue"; one that takes longer than settings
    ``pluginHookTimeout`` (60 s) is reported and counts as "continue". The order of handlers and
    wrappers, what a raising handler counts as, and how the command hooks of settings ``hooks`` and the
    Agent SDK's callbacks (``context.callbacks``) are run by claw-hooks' outermost wrapper, which returns an
    awaitable of the merged outcome: `hooks <hooks.md#programmatic-handlers-plugins>`_. Without
    ``claw-hooks`` settings hooks do not run.

    :param event: the event, with the same fields command hooks receive on stdin.
    :param context: the session's :class:`claw.HookContext`: settings, workspace, environment,
        sandbox, the embedder's :class:`claw.CallbackHook` callbacks and ``report(record)`` for each
        hook run. Take it only if you need it.
    :returns: ``None`` to continue, or a :class:`claw.HookOutcome` (or an awaitable of one) to
        ``block``, ``allow``, ``ask`` or ``modify`` the step or add context.

    .. versionadded:: 1.0
    """


@hookspec
def claw_runtime_event(event: RuntimeEvent) -> None:
    """Observe everything that happens (telemetry, audit logs, OpenTelemetry export).

    Called synchronously on the loop's thread for every :class:`claw.RuntimeEvent` (model requests,
    retries, tool calls, permission decisions, ...): keep it fast and hand slow work to a queue.
    Exceptions are reported once per plugin and otherwise swallowed.

    :param event: the runtime event.
    :returns: nothing; a return value is ignored.

    .. versionadded:: 1.0
    """
