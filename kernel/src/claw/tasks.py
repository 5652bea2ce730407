"""The background-task contract: where sub-agents and scheduled tasks run.

The kernel's ``local`` backend runs tasks as asyncio tasks in the current process; plugins may add
backends that run them elsewhere (a subprocess pool, a remote runner).
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar


class TaskHandle(abc.ABC):
    id: str

    @abc.abstractmethod
    def done(self) -> bool: ...

    @abc.abstractmethod
    async def result(self) -> Any:
        """Wait for the task and return its result (or raise its exception)."""

    @abc.abstractmethod
    async def cancel(self) -> None: ...


class TaskBackend(abc.ABC):
    name: ClassVar[str]

    @abc.abstractmethod
    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        """Start ``work`` in the background and return a handle to it."""

    def get(self, task_id: str) -> TaskHandle | None:
        """The handle of a task this backend started (``TaskOutput``/``TaskStop`` find a background
        sub-agent by its id this way), or ``None``. The default keeps no registry."""
        return None

    def handles(self) -> list[TaskHandle]:
        """Every task this backend started in this process that it still knows, oldest first."""
        return []


class _LocalHandle(TaskHandle):
    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.id = task.get_name()
        self._task = task

    def done(self) -> bool:
        return self._task.done()

    async def result(self) -> Any:
        return await self._task

    async def cancel(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class LocalTaskBackend(TaskBackend):
    """Runs tasks on the running event loop; the handle's id is the ``name`` given to :meth:`start`
    (make it unique: a sub-agent's is its session id)."""

    name = "local"

    def __init__(self) -> None:
        self._handles: dict[str, TaskHandle] = {}

    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        async def _run() -> Any:
            return await work()

        handle = _LocalHandle(asyncio.get_running_loop().create_task(_run(), name=name))
        self._handles[handle.id] = handle
        return handle

    def get(self, task_id: str) -> TaskHandle | None:
        return self._handles.get(task_id)

    def handles(self) -> list[TaskHandle]:
        return list(self._handles.values())
