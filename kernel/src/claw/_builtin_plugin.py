"""The kernel's own hook implementations that are part of its contracts rather than features: the
``agents`` settings key (which task backend :func:`claw.select_task_backend` picks) and the innermost
``claw_hook_event`` wrapper that settles the handlers' answer. Loaded as the first plugin; the
replaceable features are in :mod:`claw._builtins`."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from claw._events import HookEvent, HookOutcome
    from claw._hook_dispatch import HookContext


@hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    """``agents``: which task backend runs detached tasks (``claw.select_task_backend``)."""
    from pydantic import ConfigDict

    from claw._model import Model

    class AgentsSettings(Model):
        """``backend`` names the task backend; other keys belong to backends and agent plugins (for
        example ``agents.celery``), which validate their own part."""

        model_config = ConfigDict(extra="allow")

        backend: str | None = None

    register(
        "agents",
        AgentsSettings,
        "Multi-agent runtime: backend (task backend for detached tasks, default embedded) and backend options.",
    )


@hookimpl(wrapper=True, trylast=True)
def claw_hook_event(event: HookEvent, context: HookContext) -> Generator[None, Any, Any]:
    """Contain the handlers' answer (:func:`settle`); the innermost wrapper, so the plugin that runs
    settings hooks (an outer wrapper) gets it settled."""
    from claw._plugin_guard import answers_so_far

    result = yield
    return settle(result, answers_so_far(), event, context)


def settle(result: Any, answers: list[Any], event: HookEvent, context: HookContext) -> Any:
    """The handlers' answer to ``event``: ``None`` when it is no :class:`HookOutcome`, each handler's
    run reported, and an awaitable one awaited within ``context.plugin_timeout`` (so an awaitable of
    that; a plain answer stays plain, as outer wrappers have always seen it).

    :param result: pluggy's ``firstresult`` answer (an ``async def`` handler's is its coroutine).
    :param answers: each handler's own answer, in call order (the last one answered).
    """
    if inspect.isawaitable(result):
        return _settle_later(result, answers, event, context)
    return _checked(result, answers, event, context)


async def _settle_later(result: Any, answers: list[Any], event: HookEvent, context: HookContext) -> Any:
    from claw._hook_dispatch import bounded

    who = answers[-1].plugin.label if answers else "a plugin"
    result = await bounded(result, context.plugin_timeout, f"{who} {event.hook_event_name} handler")
    return _checked(result, answers, event, context)


def _checked(result: Any, answers: list[Any], event: HookEvent, context: HookContext) -> HookOutcome | None:
    from claw._events import HookOutcome

    if result is not None and not isinstance(result, HookOutcome):
        from claw import _console as console

        who = answers[-1].plugin.label if answers else "a plugin"
        console.warn(
            f"{who} hook handler returned {type(result).__name__}, not a HookOutcome; ignored", once=False
        )
        result = None
    for answer in answers:
        answered = answer is answers[-1] and result is not None
        context.report(
            {
                "hook": answer.plugin.name,
                "kind": "plugin",
                "event": event.hook_event_name,
                "source": answer.plugin.label,
                "duration_ms": round(answer.ms, 2),
                "outcome": result.action if answered and result is not None else "continue",
            }
        )
    return result
