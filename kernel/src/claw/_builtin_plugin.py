"""The kernel's own hook implementations that are part of its contracts rather than features: the
``agents`` settings key (which task backend :func:`claw.select_task_backend` picks) and the innermost
``claw_hook_event`` wrapper that settles the handlers' answer. Loaded as the first plugin; the
replaceable features are in :mod:`claw._builtins`."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from claw._events import HookEvent
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
    """Contain the handlers' answer (:func:`claw._hook_dispatch.settle`); the innermost wrapper, so the
    plugin that runs settings hooks (an outer wrapper) gets it settled."""
    from claw._hook_dispatch import settle
    from claw._plugins import answers_so_far

    result = yield
    return settle(result, answers_so_far(), event, context)
