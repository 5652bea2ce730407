"""Running the command hooks of settings ``hooks`` (and the embedder's callbacks) for one event, after
the programmatic ``claw_hook_event`` handlers, and merging what every hook decided.

Modules: :mod:`~claw_hooks.matchers` (which hooks an event selects), :mod:`~claw_hooks.config`
(hooks from every settings file), :mod:`~claw_hooks.command` (running one command),
:mod:`~claw_hooks.output` (exit codes and JSON output), :mod:`~claw_hooks.merge`. See
``docs/hooks.md``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from typing import Any

import claw
from claw import ClawError, ConfigError, HookContext, HookEvent, HookOutcome

from claw_hooks.command import CommandResult, run_command
from claw_hooks.config import ConfiguredHook, callback_hooks, effective_hooks
from claw_hooks.matchers import subject_of
from claw_hooks.merge import merge
from claw_hooks.output import Interpreted, interpret


class HookRunner:
    """Runs the command hooks of one session (one :class:`claw.HookContext`) and merges what they
    decided with the programmatic handlers' answer.

    The handlers' answer counts first: a ``block`` ends the event there, a ``modify`` changes the
    input the command hooks see. Then every matching command hook runs in parallel (identical
    commands once), and all outcomes are merged: deny > ask/defer > allow.
    """

    def __init__(self, context: HookContext) -> None:
        self.context = context
        self.hooks: list[ConfiguredHook] = [
            *effective_hooks(context.settings, bare=claw.bare(context.env), safe=claw.safe_mode(context.env)),
            *callback_hooks(context.callbacks),
        ]
        self._conditions = {h.condition: _condition(context, h.condition) for h in self.hooks if h.condition}

    async def run(self, handled: Any, event: HookEvent) -> HookOutcome | None:
        """The merged outcome of ``event``, given the handlers' answer (``handled``: ``None``, a
        :class:`claw.HookOutcome` or an awaitable of one, already bounded by the kernel)."""
        if inspect.isawaitable(handled):
            handled = await handled
        answers = [handled] if isinstance(handled, HookOutcome) else []
        decisive = answers[-1] if answers and answers[-1].action != "continue" else None
        if decisive is not None and decisive.action == "block":
            return merge([(o, False) for o in answers])
        if decisive is not None and decisive.updated_input is not None:
            event = event.model_copy(update={"tool_input": decisive.updated_input})
        selected = self.matching(event)
        if not selected:
            return merge([(o, False) for o in answers]) if answers else None
        stdin = _dumps(event.payload()).encode()
        workspace = str(self.context.workspace)
        env = {**self.context.env, "CLAUDE_PROJECT_DIR": workspace, "CLAW_PROJECT_DIR": workspace}
        results = list(await asyncio.gather(*(self._run_command(h, event, stdin, env) for h in selected)))
        return merge([(o, False) for o in answers] + [(r.outcome, r.deferred) for r in results])

    def matching(self, event: HookEvent) -> list[ConfiguredHook]:
        """The command hooks ``event`` selects (matcher, then ``if`` rule), identical commands (with the
        same environment) once (the longest timeout)."""
        has_subject, subject = subject_of(event)
        chosen: dict[tuple[str, str], ConfiguredHook] = {}
        for hook in self.hooks:
            if hook.event != event.hook_event_name or (has_subject and not hook.test(subject)):
                continue
            if hook.condition and not self._conditions[hook.condition](event):
                continue
            prev = chosen.get(hook.identity)
            if prev is None or hook.timeout > prev.timeout:
                chosen[hook.identity] = hook
        return list(chosen.values())

    async def _run_command(
        self, hook: ConfiguredHook, event: HookEvent, stdin: bytes, env: dict[str, str]
    ) -> Interpreted:
        argv: list[str] | None = None
        refused = ""
        context = self.context
        if hook.sandboxed:
            try:
                shell = ["/bin/sh", "-c", hook.command]
                argv = claw.confine(
                    context.sandbox, context.settings.model.sandbox, shell, context.workspace, context.env
                )
            except ConfigError as exc:
                refused = f'not run: {exc} (the hook asks for "sandbox": true)'
        if refused:
            result = CommandResult(1, "", refused, 0.0)
        elif hook.callback is not None:
            result = await _call(hook, event)
        else:
            result = await run_command(
                hook.command,
                stdin,
                env={**env, **hook.env},
                cwd=str(context.workspace),
                timeout=hook.timeout,
                argv=argv,
            )
        interpreted = interpret(event.hook_event_name, result, hook.timeout)
        if interpreted.problem:
            claw.warn(f"{event.hook_event_name} hook `{hook.command}` {interpreted.problem}", once=False)
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
        context.report(record)
        if claw.debugging():  # ``--debug hooks``: one line per hook run
            claw.get_logger("claw.hooks").debug(
                "hook ran",
                hook_event=record["event"],
                command=hook.command,
                outcome=record["outcome"],
                exit_code=result.exit_code,
                ms=result.duration_ms,
                source=hook.source,
            )
        return interpreted


def _condition(context: HookContext, rule: str) -> Callable[[HookEvent], bool]:
    """Claude Code's ``if`` filter: run the hook only when the tool call matches a permission rule. What
    a rule matches is the permission policy's business (``claw_permission_rule_test``: claw-permissions);
    without one the hook runs on every tool event its matcher selects (running a guard too often is the
    safe side), said once."""
    test = context.rule_test(rule)
    if test is not None:
        return test
    claw.warn(
        f'hook condition "if": {rule!r} runs the hook on every tool event: reading permission rules '
        "needs claw-permissions (pip install claw-permissions)"
    )
    return lambda event: bool(event.tool_name)


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
    return CommandResult(0, _dumps(answer), "", _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _dumps(data: Any) -> str:
    """JSON always encodable as UTF-8 (a lone surrogate in a tool input must not break the hook's stdin)."""
    return claw.model_text(json.dumps(data, ensure_ascii=False))
