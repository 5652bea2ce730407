"""How the kernel fires Claude Code hook events: only through pluggy's ``claw_hook_event``, answered by
plugins' handlers (settings ``hooks`` run in claw-hooks' wrapper); the kernel's part is containment, a
``trylast`` wrapper in :mod:`claw._builtin_plugin` (docs/architecture.md, "claw-hooks"; docs/hooks.md).
The loop (and plugin commands, for plugin lifecycle events) calls :meth:`HookDispatch.run` at each
event and acts on the :class:`claw.HookOutcome` it returns.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import _console as console
from claw._events import HookEvent, HookOutcome
from claw._settings import env_number

if TYPE_CHECKING:
    from claw._config import EffectiveSettings
    from claw._sandboxes import Sandbox
    from claw._tools import Tool

#: An in-process hook (the Agent SDK's hook callbacks): called with the hook input JSON, it answers
#: with what a command hook would print (Claude Code's hook output JSON).
HookCallback = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class CallbackHook:
    """A hook an embedder runs in process instead of as a command: the Agent SDK's hook callbacks
    (``initialize``'s ``hooks``). Registered through :attr:`claw.LoopOptions.hooks`; handlers find it
    in :attr:`HookContext.callbacks`, and the plugin that runs settings hooks (``claw-hooks``) matches
    and merges it like a command hook from settings.

    :param event: the hook event (``PreToolUse``).
    :param matcher: Claude Code's matcher (``""`` for every subject, ``Edit|Write``, a regex).
    :param label: how records and messages name it (``sdk:<callback id>``), unique per callback.
    :param timeout: seconds the callback may take.
    :param callback: called with the hook input; answers with the hook output JSON.
    :param source: where it came from, for ``claw hooks`` and records.
    :param blocks_on_failure: a callback that raises or times out blocks like exit code 2 (the
        SDK's ``onFailure: block``) instead of being reported and ignored.
    """

    event: str
    matcher: str
    label: str
    timeout: float
    callback: HookCallback
    source: str = "Agent SDK"
    blocks_on_failure: bool = False


@dataclass(eq=False)
class HookContext:
    """What a ``claw_hook_event`` handler may need beside the event: one per session (or per plugin
    command that fires a lifecycle event). Compared by identity, so a handler can cache per-session
    work keyed by it.

    :param settings: the effective settings (settings ``hooks`` with the file each came from).
    :param workspace: the project directory (``CLAUDE_PROJECT_DIR``).
    :param env: the environment commands inherit.
    :param report: called with a record of each hook run (``hook``, ``kind``, ``event``, ``source``,
        ``duration_ms``, ``outcome``, and ``exit_code``/``error`` for commands); the session keeps
        it and ``--include-hook-events`` shows it.
    :param callbacks: the embedder's in-process hooks (:class:`CallbackHook`).
    :param tool_lookup: the session's tool by name (``None`` when it has none of that name).
    :param sandbox: the session's sandbox, once the loop made it.
    :param plugin_timeout: seconds a handler's awaitable may take: ``CLAW_PLUGIN_HOOK_TIMEOUT`` when set to
        a number, else settings ``pluginHookTimeout``. Set by :class:`HookDispatch`.
    :param rule_test: compiles a command hook's ``if`` rule (``Bash(git *)``) into a test on tool events
        through ``claw_permission_rule_test`` (the permission policy's rule semantics); ``None`` when no
        plugin reads rules. Set by :class:`HookDispatch`.
    """

    settings: EffectiveSettings
    workspace: Path
    env: Mapping[str, str]
    report: Callable[[dict[str, Any]], None] = lambda record: None
    callbacks: list[CallbackHook] = field(default_factory=list)
    tool_lookup: Callable[[str], Tool | None] = lambda name: None
    sandbox: Sandbox | None = None
    plugin_timeout: float = 60.0
    rule_test: Callable[[str], Callable[[HookEvent], bool] | None] = lambda rule: None


async def bounded(awaitable: Any, seconds: float, what: str) -> Any:
    """``awaitable``'s result, or ``None`` with one warning naming ``what`` when it takes longer than
    ``seconds``: a plugin that hangs delays the run by that much, never forever."""
    try:
        async with asyncio.timeout(seconds):
            return await awaitable
    except TimeoutError:
        console.warn(f"{what} did not answer within {seconds:g}s; going on without it", once=False)
        return None


class HookDispatch:
    """Fires hook events for one session through ``claw_hook_event``.

    :param pm: the plugin manager.
    :param context: passed to every handler with each event.
    """

    def __init__(self, pm: Any, context: HookContext) -> None:
        self.pm = pm
        self.context = context
        context.rule_test = self._rule_test
        timeout = float(context.settings.model.pluginHookTimeout)
        context.plugin_timeout = env_number(context.env, "CLAW_PLUGIN_HOOK_TIMEOUT", timeout)

    def _rule_test(self, rule: str) -> Callable[[HookEvent], bool] | None:
        context = self.context
        return self.pm.hook.claw_permission_rule_test(
            rule=rule, workspace=context.workspace, env=dict(context.env), tool_lookup=context.tool_lookup
        )

    async def run(self, event: HookEvent) -> HookOutcome:
        """What the handlers decided for ``event`` (``continue`` when none answered)."""
        result = self.pm.call_attributed("claw_hook_event", event=event, context=self.context)[0]
        if inspect.isawaitable(result):
            result = await result
        return result if isinstance(result, HookOutcome) else HookOutcome()
