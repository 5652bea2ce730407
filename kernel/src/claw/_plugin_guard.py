"""Failure containment for plugins' hook implementations: the guards :class:`claw._plugins.PluginManager`
wraps around each one at registration, and the context they keep (the plugin running, the answers
``call_attributed`` collects). What a guard does, and why containment lives at registration, is in
docs/architecture.md, "The hook call path". A module apart from the loader and the registries
(:mod:`claw._plugins`) because it is one mechanism, read and changed on its own."""

from __future__ import annotations

import functools
import inspect
import time
import types
from collections.abc import Awaitable, Callable, Generator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from claw._errors import UsageError

if TYPE_CHECKING:
    from claw._plugins import PluginRecord

#: Reports a contained failure: (the plugin, the hook, what it raised).
Raised = Callable[["PluginRecord", str, BaseException], None]

#: What a hook implementation raises to end the command on purpose, so its guard lets it through: ``Exit``
#: (claw-agents' ``--bg`` ran the run elsewhere) and ``UsageError`` (a built-in refusing contradictory flags
#: before any other plugin's ``claw_adjust_run`` acts on them).
_ON_PURPOSE = (click.exceptions.Exit, UsageError)

#: The plugin whose hook implementation is running (set by the guards around every implementation).
CALLER: ContextVar[PluginRecord | None] = ContextVar("claw_plugin_caller", default=None)


@dataclass
class Answer:
    """One implementation's result in :meth:`claw._plugins.PluginManager.call_attributed`."""

    plugin: PluginRecord
    result: Any
    #: Time the implementation took (for an awaitable result: to return it, not to finish it).
    ms: float


#: Where guards add answers during :meth:`claw._plugins.PluginManager.call_attributed`.
RESULTS: ContextVar[list[Answer] | None] = ContextVar("claw_plugin_results", default=None)


def answers_so_far() -> list[Answer]:
    """The answers of the :meth:`claw._plugins.PluginManager.call_attributed` call under way, for a
    ``wrapper=True`` implementation of the kernel's that reports them after its ``yield``."""
    return list(RESULTS.get() or [])


class PluginAwaitable:
    """What a guarded hook implementation returns for an awaitable result: awaiting it gives the
    plugin's result, or ``None`` (reported against the plugin) when it raises. ``plugin`` names the
    plugin, for callers that bound the wait with a timeout."""

    def __init__(
        self, raised: Raised, plugin: PluginRecord, hook_name: str, awaitable: Awaitable[Any]
    ) -> None:
        self.plugin = plugin
        self._raised = raised
        self._hook_name = hook_name
        self._awaitable = awaitable

    def __await__(self) -> Generator[Any, None, Any]:
        return self._run().__await__()

    async def _run(self) -> Any:
        token = CALLER.set(self.plugin)
        try:
            return await self._awaitable
        except Exception as exc:
            self._raised(self.plugin, self._hook_name, exc)
            return None
        finally:
            CALLER.reset(token)


class Contained(types.SimpleNamespace):
    """What pluggy registers for a plugin: its hook functions, each wrapped in a guard
    (:func:`contain`); hashable by identity, as pluggy's subset callers need."""

    def __hash__(self) -> int:  # pyright: ignore[reportIncompatibleVariableOverride]
        return id(self)


def contain(
    record: PluginRecord, plugin: Any, hookimpl_opts: Callable[[Any, str], Any], raised: Raised
) -> Contained:
    """``plugin``'s hook implementations (those ``hookimpl_opts`` finds), each in its guard."""
    namespace = Contained(__name__=getattr(plugin, "__name__", record.name))
    for attr in dir(plugin):
        opts = hookimpl_opts(plugin, attr)
        if opts is None:
            continue
        hook_name = opts.get("specname") or attr
        guard = _guard_wrapper if opts.get("wrapper") or opts.get("hookwrapper") else _guard
        setattr(namespace, attr, guard(record, hook_name, getattr(plugin, attr), raised))
    return namespace


def _guard(
    record: PluginRecord, hook_name: str, function: Callable[..., Any], raised: Raised
) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps the signature pluggy reads and the hookimpl options
    def guarded(*args: Any) -> Any:
        token = CALLER.set(record)
        start = time.perf_counter()
        try:
            result = function(*args)
        except _ON_PURPOSE:
            raise
        except Exception as exc:
            raised(record, hook_name, exc)
            return None
        finally:
            CALLER.reset(token)
        if inspect.isawaitable(result):
            result = PluginAwaitable(raised, record, hook_name, result)
        answers = RESULTS.get()
        if answers is not None:
            answers.append(Answer(record, result, (time.perf_counter() - start) * 1000))
        return result

    return guarded


def _guard_wrapper(
    record: PluginRecord, hook_name: str, function: Callable[..., Any], raised: Raised
) -> Callable[..., Any]:
    """The guard for a ``wrapper=True`` (or old-style ``hookwrapper``) generator: a failure before its
    ``yield`` skips the wrapper, one after it keeps the inner result."""

    @functools.wraps(function)
    def guarded(*args: Any) -> Generator[None, Any, Any]:
        generator = function(*args)
        try:
            next(generator)
        except _ON_PURPOSE:
            raise
        except StopIteration:
            raised(record, hook_name, RuntimeError("the wrapper did not yield"))
            return (yield)
        except Exception as exc:
            raised(record, hook_name, exc)
            return (yield)
        try:
            inner = yield
        except BaseException as exc:  # the inner call raised: let the wrapper see it
            try:
                generator.throw(exc)
            except StopIteration as stop:
                return stop.value
            except Exception as other:
                if other is not exc:
                    raised(record, hook_name, other)
                raise exc from None
            raised(record, hook_name, RuntimeError("the wrapper yielded twice"))
            raise
        try:
            generator.send(inner)
        except StopIteration as stop:
            return stop.value
        except Exception as exc:
            raised(record, hook_name, exc)
            return inner
        raised(record, hook_name, RuntimeError("the wrapper yielded twice"))
        return inner

    return guarded
