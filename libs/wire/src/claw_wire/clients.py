"""Vendor SDK clients built off the event loop, once.

A provider that talks through a vendor SDK (boto3, ``anthropic``, ``openai``, ``google-genai``)
imports it on first use, never at start-up. That import and the client's construction take seconds
on a loaded machine (the ``anthropic`` SDK alone ~5 s at load 10) and are plain blocking Python:
run on the event loop thread they freeze everything else the loop serves (the REPL/TUI, Ctrl-C and
Esc, sub-agents, MCP servers, job watchers). :class:`Clients` builds each client in a daemon worker
thread instead, and only once however many requests ask for it at the same time.

A daemon thread rather than ``asyncio.to_thread``: the default executor's threads are joined when
the loop and the interpreter shut down, so Ctrl-C during a first request would still wait for the
import to finish; a daemon build is simply abandoned.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable, Hashable
from typing import Any


class Clients:
    """A provider's SDK clients by key (``"claude"``, ``"gemini"``, a wire name...), each built by a
    blocking factory in a worker thread the first time it is asked for.

    A build that fails is forgotten, so the next request tries again (with settings or credentials
    fixed meanwhile) and raises the factory's own exception, mapped by the provider as before. A
    caller cancelled while a build runs leaves the build going: the next caller gets its client.
    """

    def __init__(self) -> None:
        self._builds: dict[Hashable, asyncio.Future[Any]] = {}

    async def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The client under ``key``, running ``build()`` off the loop if there is none yet.

        :param key: which client (one per key).
        :param build: blocking factory: imports the SDK and constructs the client.
        :returns: the client ``build`` returned (now or for an earlier caller).
        """
        future = self._builds.get(key)
        if future is None:
            future = self._builds[key] = _in_daemon_thread(build, name=f"claw-client-{key}")
            future.add_done_callback(lambda done: self._forget_failed(key, done))
        return await asyncio.shield(future)

    def _forget_failed(self, key: Hashable, done: asyncio.Future[Any]) -> None:
        if not done.cancelled() and done.exception() is None:
            return
        if self._builds.get(key) is done:
            del self._builds[key]

    def built(self) -> dict[Hashable, Any]:
        """The clients built so far, by key (for ``aclose``; builds still running are left alone)."""
        return {
            key: f.result()
            for key, f in self._builds.items()
            if f.done() and not f.cancelled() and f.exception() is None
        }

    def clear(self) -> None:
        """Forget every client (after closing them): the next request builds afresh."""
        self._builds.clear()


def _in_daemon_thread(fn: Callable[[], Any], name: str) -> asyncio.Future[Any]:
    """A future for ``fn()`` run in a daemon thread (with the caller's context variables, as
    ``asyncio.to_thread`` would, so structlog's bound context reaches the build's log lines)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    context = contextvars.copy_context()

    def settle(ok: bool, value: Any) -> None:
        if future.done():
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def work() -> None:
        try:
            outcome: tuple[bool, Any] = (True, context.run(fn))
        except BaseException as exc:
            outcome = (False, exc)
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=work, name=name, daemon=True).start()
    return future
