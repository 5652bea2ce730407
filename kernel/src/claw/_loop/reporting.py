"""What the loop tells others as it runs: runtime events to plugins, Claude Code hook events, and
retries, model switches and skipped fallbacks to the session file, the renderer, the console and, at
DEBUG, structlog (``claw.retry``)."""

from __future__ import annotations

from typing import Any

from claw import _console as console
from claw._errors import ApiError, EndpointUnreachable
from claw._events import HookEvent, HookOutcome, RuntimeEvent
from claw._log import get_logger
from claw._loop.state import LoopState
from claw._permissions.modes import claude_code_name
from claw._routing import Route


class Reporting(LoopState):
    """Events, hooks and retry reports of one session's loop."""

    def _emit(self, type: str, **data: Any) -> None:
        if not self._runtime_impls:
            return
        event = RuntimeEvent(type=type, session_id=self.session.id if self.session else "", data=data)
        self.app.pm.hook.claw_runtime_event(event=event)

    async def _hook(self, name: str, **fields: Any) -> HookOutcome:
        base = {
            "session_id": self._session.id,
            "transcript_path": str(self._session.path or ""),
            "cwd": str(self.workspace),
            "permission_mode": claude_code_name(self.permissions.mode),  # hooks read Claude Code's names
        }
        outcome = await self.hooks.run(HookEvent(hook_event_name=name, **{**base, **fields}))  # type: ignore[arg-type]
        if outcome.system_message:  # for the user, not the model: one line on stderr
            console.warn(outcome.system_message, once=False)
        # Claude Code's stopReason is for the user, not the model (UserPromptSubmit's error says it)
        if not outcome.keep_going and outcome.stop_reason and name != "UserPromptSubmit":
            console.warn(outcome.stop_reason, once=False)
        return outcome

    def _on_hook_run(self, record: dict[str, Any]) -> None:
        if self.session is not None:
            self.session.record("hook", sync=False, **record)
        self._emit("hook_run", **record)
        if self.opts.on_hook_run is not None:
            self.opts.on_hook_run(record)

    def _on_retry(self, attempt: int, max_retries: int, delay: float, error: ApiError, route: Route) -> None:
        status = error.status_code
        get_logger("claw.retry").debug(
            "retry",
            model=route.address,
            attempt=attempt,
            max_retries=max_retries,
            wait_s=round(delay, 2),
            status=status,
            reason=str(error),
        )
        self._session.record(
            "api_retry",
            attempt=attempt,
            max_retries=max_retries,
            delay_ms=round(delay * 1000),
            status=status,
            error=error.kind,
            message=str(error),
            model=route.address,
        )
        self._emit("api_retry", attempt=attempt, status=status, error=error.kind, model=route.address)
        if not isinstance(error, EndpointUnreachable):  # retried for seconds only; the final error says it
            console.warn(
                f"retrying after {route.address}: {error} ({status or error.kind}); next attempt in "
                f"{delay:.1f}s ({attempt}/{max_retries})",
                once=False,
            )
        self.renderer.system(
            {
                "subtype": "api_retry",
                "attempt": attempt,
                "max_retries": max_retries,
                "retry_delay_ms": round(delay * 1000),
                "error_status": status,
                "error": error.kind,
                "session_id": self._session.id,
            }
        )

    def _on_switch(self, old: Route, new: Route, error: ApiError) -> None:
        get_logger("claw.retry").debug("fallback", failed=old.address, to=new.address, reason=str(error))
        switched: dict[str, Any] = {"from": old.address, "to": new.address}
        self._session.record("model_switch", **switched, reason=str(error))
        self._emit("model_switch", **switched)
        console.warn(f"{old.address} failed ({error}); falling back to {new.address}", once=False)

    def _on_skip(self, route: Route, reason: str) -> None:
        get_logger("claw.retry").debug("skip fallback", model=route.address, reason=reason)
        self._session.record("model_skip", model=route.address, reason=reason)
        console.warn(f"skipping fallback {route.address}: {reason}", once=False)
