"""The hook runner: programmatic handlers (``claw_hook_event``) and command hooks from settings.

The agent loop (and the marketplace, for plugin lifecycle events) calls :meth:`HookRunner.run` at
each event and acts on the merged :class:`claw.HookOutcome`.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from claw import console
from claw.events import HookEvent, HookOutcome


class HookRunner:
    """Runs every hook for an event and merges what they decided.

    :param pm: the plugin manager (programmatic handlers).
    :param settings: the effective settings (command hooks under ``hooks``).
    :param workspace: ``CLAUDE_PROJECT_DIR`` / ``CLAW_PROJECT_DIR`` for command hooks.
    :param env: the environment command hooks inherit.
    :param on_run: called with a record of every hook run (name, event, duration, outcome) so the
        session can persist it.
    """

    def __init__(
        self,
        *,
        pm: Any,
        settings: Any,
        workspace: Path,
        env: Mapping[str, str],
        on_run: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.pm = pm
        self.settings = settings
        self.workspace = workspace
        self.env = env
        self.on_run = on_run

    async def run(self, event: HookEvent) -> HookOutcome:
        """Run the handlers for ``event``; the first non-"continue" outcome wins."""
        for record, impl in reversed(self.pm._impls("claw_hook_event")):
            start = time.perf_counter()
            try:
                result = impl.function(*[{"event": event}[a] for a in impl.argnames])
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:
                console.warn(f"{record.label} hook handler raised on {event.hook_event_name}: {exc}")
                result = None
            if self.on_run is not None:
                self.on_run(
                    {
                        "hook": record.name,
                        "event": event.hook_event_name,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                        "outcome": result.action if isinstance(result, HookOutcome) else "continue",
                    }
                )
            if isinstance(result, HookOutcome) and result.action != "continue":
                return result
        return HookOutcome()
