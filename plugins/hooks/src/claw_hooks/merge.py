"""Merging what several hooks decided for one event: deny > ask/defer > allow."""

from __future__ import annotations

from collections.abc import Sequence

from claw import HookOutcome

_RANK = {"block": 4, "ask": 3, "allow": 1, "modify": 0, "continue": 0}


def merge(outcomes: Sequence[tuple[HookOutcome, bool]]) -> HookOutcome:
    """One outcome from ``(outcome, deferred)`` pairs, in the order the hooks ran.

    The strongest action wins (``block`` over ``ask``; a ``defer`` over ``allow``, leaving the
    decision to the permission engine); reasons of the winning action are joined; the first
    updated input of a non-blocking hook is kept; additional context and messages accumulate;
    any ``"continue": false`` stops the run.
    """
    if not outcomes:
        return HookOutcome()
    best = max(3 if deferred else _RANK[o.action] for o, deferred in outcomes)
    winners = [
        o for o, deferred in outcomes if not deferred and _RANK[o.action] == best and o.action != "continue"
    ]
    if best == 3 and not any(o.action == "ask" for o in winners):
        action = "continue"  # a defer outranks allows but decides nothing
    elif winners:
        action = winners[0].action
    else:
        action = "continue"
    merged = HookOutcome(action=action)  # type: ignore[arg-type]
    merged.reason = "\n".join(dict.fromkeys(o.reason for o in winners if o.reason))
    if action != "block":
        merged.updated_input = next(
            (o.updated_input for o, _ in outcomes if o.updated_input is not None), None
        )
        if merged.updated_input is not None and action == "continue":
            merged.action = "modify"
    contexts = [o.additional_context for o, _ in outcomes if o.additional_context]
    merged.additional_context = "\n".join(contexts) if contexts else None
    merged.keep_going = all(o.keep_going for o, _ in outcomes)
    merged.stop_reason = next((o.stop_reason for o, _ in outcomes if o.stop_reason), None)
    messages = [o.system_message for o, _ in outcomes if o.system_message]
    merged.system_message = "\n".join(messages) if messages else None
    return merged
