"""The ``local`` task backend (:class:`claw.LocalTaskBackend`, :mod:`.backend`), registered through
``claw_register_task_backends`` like any backend. Disabled, settings ``agents.backend`` must name an
installed backend (claw-agents' ``embedded`` is the default), else starting background work is an error
naming the choices. The process helpers every backend runs tasks with (:mod:`.processes`) stay public
either way: they are plain functions, not something this plugin registers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    from claw._tasks import TaskBackend


@hookimpl
def claw_register_task_backends(register: Callable[[TaskBackend], None]) -> None:
    from claw._builtins.local_tasks.backend import LocalTaskBackend

    register(LocalTaskBackend())
