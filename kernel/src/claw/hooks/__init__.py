"""The hook runner: programmatic handlers (``claw_hook_event``) and command hooks from settings.

The agent loop (and the marketplace, for plugin lifecycle events) calls :meth:`HookRunner.run` at
each event and acts on the merged :class:`claw.HookOutcome`.

Modules: :mod:`~claw.hooks.matchers` (which hooks an event selects), :mod:`~claw.hooks.config`
(hooks from every settings file), :mod:`~claw.hooks.command` (running one command),
:mod:`~claw.hooks.output` (exit codes and JSON output), :mod:`~claw.hooks.merge`. See
``docs/hooks.md``.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from claw import console
from claw.errors import ClawError, ConfigError
from claw.events import HookEvent, HookOutcome
from claw.hooks.command import CommandResult, run_command
from claw.hooks.conditions import compile_condition
from claw.hooks.config import ConfiguredHook, effective_hooks
from claw.hooks.matchers import subject_of
from claw.hooks.merge import merge
from claw.hooks.output import Interpreted, interpret
from claw.sandboxes import confine
from claw.text import dumps

__all__ = ["ConfiguredHook", "HookRunner", "effective_hooks"]


def plugin_hook_timeout(settings: Any, env: Mapping[str, str]) -> float:
    """``CLAW_PLUGIN_HOOK_TIMEOUT`` when set to a number, else settings ``pluginHookTimeout``."""
    try:
        return float(env["CLAW_PLUGIN_HOOK_TIMEOUT"])
    except (KeyError, ValueError):
        return float(settings.pluginHookTimeout)


async def bounded(awaitable: Any, seconds: float, what: str) -> Any:
    """``awaitable``'s result, or ``None`` with one warning naming ``what`` when it takes longer than
    ``seconds``: a plugin that hangs delays the run by that much, never forever."""
    try:
        async with asyncio.timeout(seconds):
            return await awaitable
    except TimeoutError:
        console.warn(f"{what} did not answer within {seconds:g}s; going on without it", once=False)
        return None


class HookRunner:
    """Runs every hook for an event and merges what they decided.

    Programmatic handlers run first, most recently registered first; the first non-"continue"
    outcome among them counts (a ``block`` ends the event there). Then every matching command hook
    runs in parallel (identical commands once), seeing the input a handler may have modified, and
    all outcomes are merged: deny > ask/defer > allow.

    :param pm: the plugin manager (programmatic handlers).
    :param settings: the effective settings (command hooks under ``hooks``, with their files).
    :param workspace: ``CLAUDE_PROJECT_DIR`` / ``CLAW_PROJECT_DIR`` and the working directory of
        command hooks.
    :param env: the environment command hooks inherit.
    :param on_run: called with a record of every hook run (``hook``, ``kind``, ``event``, ``source``,
        ``duration_ms``, ``outcome``, and ``exit_code``/``error`` for commands) so the session can
        persist it.
    :param extra: hooks the embedder adds to the settings' (the Agent SDK's callbacks, with
        :attr:`ConfiguredHook.callback`); they match and merge like command hooks.
    """

    def __init__(
        self,
        *,
        pm: Any,
        settings: Any,
        workspace: Path,
        env: Mapping[str, str],
        on_run: Callable[[dict[str, Any]], None] | None = None,
        tool_lookup: Callable[[str], Any] | None = None,
        extra: list[ConfiguredHook] | None = None,
    ) -> None:
        self.pm = pm
        self.settings = settings
        self.workspace = workspace
        self.env = env
        self.on_run = on_run
        #: The session's sandbox (set by the agent loop), for hooks with ``"sandbox": true``.
        self.sandbox: Any = None
        self.hooks: list[ConfiguredHook] = [*effective_hooks(settings), *(extra or [])]
        #: Seconds a plugin's handler may take (``pluginHookTimeout``, ``CLAW_PLUGIN_HOOK_TIMEOUT``).
        self.plugin_timeout = plugin_hook_timeout(settings.model, env)
        self._conditions = {
            h.condition: compile_condition(h.condition, workspace, env, tool_lookup, pm)
            for h in self.hooks
            if h.condition
        }

    async def run(self, event: HookEvent) -> HookOutcome:
        """Run the handlers and command hooks for ``event`` and return the merged outcome."""
        handled = await self._run_handlers(event) if self.pm is not None else []
        decisive = handled[-1] if handled and handled[-1].action != "continue" else None
        if decisive is not None and decisive.action == "block":
            return merge([(o, False) for o in handled])
        if decisive is not None and decisive.updated_input is not None:
            event = event.model_copy(update={"tool_input": decisive.updated_input})
        selected = self.matching(event)
        results: list[Interpreted] = []
        if selected:
            stdin = dumps(event.payload()).encode()
            env = {
                **self.env,
                "CLAUDE_PROJECT_DIR": str(self.workspace),
                "CLAW_PROJECT_DIR": str(self.workspace),
            }
            results = list(await asyncio.gather(*(self._run_command(h, event, stdin, env) for h in selected)))
        return merge([(o, False) for o in handled] + [(r.outcome, r.deferred) for r in results])

    def matching(self, event: HookEvent) -> list[ConfiguredHook]:
        """The command hooks ``event`` selects (matcher, then ``if`` rule), identical commands once
        (the longest timeout)."""
        has_subject, subject = subject_of(event)
        chosen: dict[str, ConfiguredHook] = {}
        for hook in self.hooks:
            if hook.event != event.hook_event_name or (has_subject and not hook.test(subject)):
                continue
            if hook.condition and not self._conditions[hook.condition](event):
                continue
            prev = chosen.get(hook.command)
            if prev is None or hook.timeout > prev.timeout:
                chosen[hook.command] = hook
        return list(chosen.values())

    async def _run_handlers(self, event: HookEvent) -> list[HookOutcome]:
        """The programmatic handlers' answer: ``claw_hook_event`` is a ``firstresult`` hook, so pluggy
        stops at the first handler that returns something (an ``async def`` handler always does: its
        coroutine; awaited, ``None`` means "continue")."""
        result, answers = self.pm.call_attributed("claw_hook_event", event=event)
        if inspect.isawaitable(result):
            who = answers[-1].plugin.label if answers else "a plugin"
            result = await bounded(result, self.plugin_timeout, f"{who} {event.hook_event_name} handler")
        if result is not None and not isinstance(result, HookOutcome):
            who = answers[-1].plugin.label if answers else "a plugin"
            console.warn(
                f"{who} hook handler returned {type(result).__name__}, not a HookOutcome; ignored", once=False
            )
            result = None
        for answer in answers:
            answered = answer is answers[-1] and result is not None
            self._report(
                {
                    "hook": answer.plugin.name,
                    "kind": "plugin",
                    "event": event.hook_event_name,
                    "source": answer.plugin.label,
                    "duration_ms": round(answer.ms, 2),
                    "outcome": result.action if answered and result is not None else "continue",
                }
            )
        return [result] if result is not None else []

    async def _run_command(
        self, hook: ConfiguredHook, event: HookEvent, stdin: bytes, env: dict[str, str]
    ) -> Interpreted:
        argv: list[str] | None = None
        refused = ""
        if hook.sandboxed:
            try:
                shell = ["/bin/sh", "-c", hook.command]
                argv = confine(self.sandbox, self.settings.model.sandbox, shell, self.workspace, self.env)
            except ConfigError as exc:
                refused = f'not run: {exc} (the hook asks for "sandbox": true)'
        if refused:
            result = CommandResult(1, "", refused, 0.0)
        elif hook.callback is not None:
            result = await _call(hook, event)
        else:
            result = await run_command(
                hook.command, stdin, env=env, cwd=str(self.workspace), timeout=hook.timeout, argv=argv
            )
        interpreted = interpret(event.hook_event_name, result, hook.timeout)
        if interpreted.problem:
            console.warn(f"{event.hook_event_name} hook `{hook.command}` {interpreted.problem}", once=False)
        record: dict[str, Any] = {
            "hook": hook.command,
            "kind": "command" if hook.callback is None else "callback",
            "event": event.hook_event_name,
            "source": hook.source,
            "duration_ms": result.duration_ms,
            "outcome": "timeout"
            if result.timed_out
            else ("defer" if interpreted.deferred else interpreted.outcome.action),
            "exit_code": result.exit_code,
        }
        if interpreted.problem:
            record["error"] = interpreted.problem
        self._report(record)
        return interpreted

    def _report(self, record: dict[str, Any]) -> None:
        if self.on_run is not None:
            self.on_run(record)


async def _call(hook: ConfiguredHook, event: HookEvent) -> CommandResult:
    """Run a callback hook as if it were a command: its answer is the JSON it "printed"; a failure is
    exit code 1 (shown, not blocking) or, with ``blocks_on_failure``, 2 (blocking)."""
    assert hook.callback is not None
    started = time.perf_counter()
    failed = 2 if hook.blocks_on_failure else 1
    try:
        answer = await asyncio.wait_for(hook.callback(event.payload()), hook.timeout)
    except TimeoutError:
        if hook.blocks_on_failure:
            return CommandResult(
                2, "", f"hook {hook.command} timed out after {hook.timeout:g}s", hook.timeout * 1000
            )
        return CommandResult(None, "", "", hook.timeout * 1000, timed_out=True)
    except ClawError as exc:
        return CommandResult(failed, "", f"hook {hook.command} failed: {exc}", _ms(started))
    return CommandResult(0, dumps(answer), "", _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
