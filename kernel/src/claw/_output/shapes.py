"""Claude Code's result message (``SDKResultMessage``), built from claw's types: what a prompt's
:class:`claw._loop.Outcome` holds (a sub-agent's answer is read from it); the ``system`` messages and the
assistant and user messages, which only stream-json prints, are claw-output's. Where they differ, on
purpose: docs/cli.md, "Differences from Claude Code".
"""

from __future__ import annotations

import uuid
from typing import Any

from claw._cost import CostTracker
from claw._sessions import CacheStats


def result(
    *,
    subtype: str,
    is_error: bool,
    duration_ms: float,
    duration_api_ms: float,
    num_turns: int,
    result: str,
    session_id: str,
    stop_reason: str | None,
    costs: CostTracker,
    permission_denials: list[dict[str, Any]],
    cache_stats: dict[str, int],
    fields: dict[str, Any] | None = None,
    api_error_status: int | None = None,
    model: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """``error``: why the turn failed (Claude Code's ``errors``, on every error result; else ``result``)."""
    data: dict[str, Any] = {
        "type": "result",
        "subtype": subtype,
        "is_error": is_error,
        "duration_ms": round(duration_ms),
        "duration_api_ms": round(duration_api_ms),
        "num_turns": num_turns,
        "result": result,
        "session_id": session_id,
        "stop_reason": stop_reason,
        "total_cost_usd": costs.total_cost_usd,
        "usage": costs.usage.model_dump(),
        "modelUsage": {
            model: {
                "inputTokens": t.usage.input_tokens,
                "outputTokens": t.usage.output_tokens,
                "cacheReadInputTokens": t.usage.cache_read_input_tokens,
                "cacheCreationInputTokens": t.usage.cache_creation_input_tokens,
                "webSearchRequests": 0,
                "costUSD": t.cost_usd,
                "contextWindow": t.context_window,
                "maxOutputTokens": t.max_output_tokens,
            }
            for model, t in costs.models.items()
        },
        "permission_denials": permission_denials,
        **({"errors": [error or result]} if is_error else {}),
        "api_error_status": api_error_status,
        "cache_stats": cache_stats,
        "uuid": str(uuid.uuid4()),
    }
    data.update(fields or {})  # what plugins added to the turn's result (``structured_output``)
    if model is not None:
        data["model"] = model
    return data


def error_result(message: str, session_id: str, duration_ms: float, subtype: str = "") -> dict[str, Any]:
    """The result object of a run that failed before its turn could produce one (missing credentials,
    an unknown ``/command``, a bad stream-json line, a bug): ``is_error`` with the one-line message, so a
    script reading ``--output-format json`` always gets a result (its cost the float ``0.0``, as ever: an
    empty turn's sum is the integer ``0``). ``subtype="success"``: a built-in ``/command``'s, its report
    as ``message`` (it made no request)."""
    data = result(
        subtype=subtype or "error_during_execution",
        is_error=not subtype,
        duration_ms=duration_ms,
        duration_api_ms=0,
        num_turns=0,
        result=message,
        session_id=session_id,
        stop_reason=None,
        costs=CostTracker(),
        permission_denials=[],
        cache_stats=CacheStats().as_dict(),
    )
    return {**data, "total_cost_usd": 0.0}
