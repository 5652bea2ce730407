"""What a command hook's exit code and output mean (Claude Code's contract).

- exit 0: success. Stdout starting with ``{`` is JSON: ``continue``/``stopReason``/
  ``suppressOutput``/``systemMessage``, top-level ``decision`` (``block``, and PreToolUse's
  deprecated ``approve``) with ``reason``, and ``hookSpecificOutput`` (``permissionDecision``
  ``allow|deny|ask|defer``, ``permissionDecisionReason``, ``updatedInput``, ``additionalContext``).
  Other stdout of UserPromptSubmit and SessionStart becomes additional context.
- exit 2: blocks; stderr is the reason fed back to the model (where nothing can be blocked, a
  non-blocking error shown to the user).
- any other exit code: a non-blocking error shown to the user; the action goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claw import HookOutcome

from claw_hooks.command import CommandResult

_CONTEXT_EVENTS = frozenset({"UserPromptSubmit", "SessionStart"})
#: Events nothing can stop (Claude Code's): exit code 2 is a non-blocking error shown to the user there.
UNBLOCKABLE = frozenset(
    {"SessionStart", "SessionEnd", "SubagentStart", "PostCompact", "PostPluginInstall", "PostPluginUninstall"}
)
_PERMISSION = {"allow": "allow", "deny": "block", "ask": "ask", "defer": "continue"}


@dataclass
class Interpreted:
    outcome: HookOutcome
    #: ``permissionDecision: "defer"``: overrides another hook's allow, but decides nothing.
    deferred: bool = False
    #: A problem to show the user (non-blocking error, timeout, bad output).
    problem: str | None = None


#: Characters of a hook's text that reach the model or the user (Claude Code caps hook output given to the
#: model at 10,000): a hook that prints megabytes must not flood the context or the terminal.
MAX_TEXT = 10_000
#: Characters of the stderr line a non-blocking error shows the user.
MAX_LINE = 300


def capped(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """``text`` cut to ``limit`` characters, keeping its start and end and saying how much was left out."""
    if text is None or len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n[... {len(text) - 2 * half} characters omitted ...]\n{text[-half:]}"


def interpret(event_name: str, result: CommandResult, timeout: float) -> Interpreted:
    """What a finished hook decided, its texts capped (:data:`MAX_TEXT`)."""
    read = _interpret(event_name, result, timeout)
    o = read.outcome
    o.reason, o.additional_context = capped(o.reason) or "", capped(o.additional_context)
    o.system_message, o.stop_reason = capped(o.system_message), capped(o.stop_reason)
    return read


def _interpret(event_name: str, result: CommandResult, timeout: float) -> Interpreted:
    if result.timed_out:
        return Interpreted(HookOutcome(), problem=f"timed out after {timeout:g}s (killed; not blocking)")
    if result.exit_code == 2 and event_name not in UNBLOCKABLE:
        reason = result.stderr.strip() or "blocked by hook (exit code 2)"
        return Interpreted(HookOutcome(action="block", reason=reason))
    if result.exit_code != 0:
        first = next((line for line in result.stderr.splitlines() if line.strip()), "")
        detail = f": {capped(first.strip(), MAX_LINE)}" if first else ""
        note = f" ({event_name} hooks cannot block)" if result.exit_code == 2 else ""
        return Interpreted(HookOutcome(), problem=f"exited with code {result.exit_code}{detail}{note}")
    text = result.stdout.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return Interpreted(
                HookOutcome(), problem=f"printed invalid JSON ({exc.msg} at line {exc.lineno}); ignored"
            )
        try:
            return _from_json(data)
        except _BadOutput as exc:
            return Interpreted(HookOutcome(), problem=f"printed invalid hook output: {exc}; ignored")
    if text and event_name in _CONTEXT_EVENTS:
        return Interpreted(HookOutcome(additional_context=text))
    return Interpreted(HookOutcome())


def _permission_request(decision: dict[str, Any] | None, outcome: HookOutcome) -> None:
    """PermissionRequest's ``hookSpecificOutput.decision``: ``behavior`` ``allow`` (with an optional
    ``updatedInput``) or ``deny`` (with a ``message`` for the model)."""
    if decision is None:
        return
    where = "hookSpecificOutput.decision."
    behavior = _get(decision, "behavior", str, where)
    if behavior not in ("allow", "deny"):
        raise _BadOutput(f'{where}behavior must be "allow" or "deny", not {behavior!r}')
    if behavior == "allow":
        outcome.action = "allow"
        outcome.updated_input = _get(decision, "updatedInput", dict, where)
    else:
        outcome.action = "block"
        outcome.reason = _get(decision, "message", str, where) or "denied by a PermissionRequest hook"


class _BadOutput(ValueError):
    pass


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise _BadOutput(f"{where}{key} must be {names}, not {type(value).__name__}")
    return value


def _from_json(data: dict[str, Any]) -> Interpreted:
    outcome = HookOutcome()
    deferred = False
    if _get(data, "continue", bool) is False:
        outcome.keep_going = False
        outcome.stop_reason = _get(data, "stopReason", str)
    outcome.system_message = _get(data, "systemMessage", str)
    _get(data, "suppressOutput", bool)
    decision = _get(data, "decision", str)
    reason = _get(data, "reason", str) or ""
    if decision is not None:
        if decision == "block":
            outcome.action, outcome.reason = "block", reason or "blocked by hook"
        elif decision == "approve":
            outcome.action, outcome.reason = "allow", reason
        else:
            raise _BadOutput(f'decision must be "block" or "approve", not {decision!r}')
    specific = _get(data, "hookSpecificOutput", dict)
    if specific:
        where = "hookSpecificOutput."
        permission = _get(specific, "permissionDecision", str, where)
        if permission is not None:
            if permission not in _PERMISSION:
                raise _BadOutput(
                    f"{where}permissionDecision must be allow, deny, ask or defer, not {permission!r}"
                )
            outcome.action = _PERMISSION[permission]  # type: ignore[assignment]
            deferred = permission == "defer"
            outcome.reason = _get(specific, "permissionDecisionReason", str, where) or outcome.reason
            if outcome.action == "block" and not outcome.reason:
                outcome.reason = "denied by hook"
        updated = _get(specific, "updatedInput", dict, where)
        if updated is not None:
            outcome.updated_input = updated
            if outcome.action == "continue" and not deferred:
                outcome.action = "modify"
        outcome.additional_context = _get(specific, "additionalContext", str, where)
        _permission_request(_get(specific, "decision", dict, where), outcome)
    return Interpreted(outcome, deferred=deferred)
