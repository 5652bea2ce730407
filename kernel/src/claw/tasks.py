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
    """Runs tasks on the running event loop."""

    name = "local"

    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        async def _run() -> Any:
            return await work()

        return _LocalHandle(asyncio.get_running_loop().create_task(_run(), name=name))
