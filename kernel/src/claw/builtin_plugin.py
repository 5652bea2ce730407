"""The kernel's own registrations, loaded as the first plugin so third parties can add to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.tasks import TaskBackend


@hookimpl
def claw_register_task_backends(register: Callable[[TaskBackend], None]) -> None:
    from claw.tasks import LocalTaskBackend

    register(LocalTaskBackend())
