"""``claw timeline``: a session's events as a chronological view, in three formats.

``json`` is for programs (one object per event with its summary and details), ``md`` for pasting into
an issue, ``pretty`` for a terminal (a rich table). All three show the same entries.
"""

from __future__ import annotations

import json
from typing import Any

from claw import CacheStats

_SKIP = {"messages", "message", "ts", "type"}


def _snippet(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _blocks_summary(message: dict[str, Any]) -> str:
    parts = []
    for b in message.get("content") or []:
        kind = b.get("type")
        if kind == "text":
            parts.append(_snippet(b.get("text", "")))
        elif kind == "tool_use":
            parts.append(f"-> {b.get('name')}({_snippet(json.dumps(b.get('input', {})), 60)})")
        elif kind == "tool_result":
            content = b.get("content")
            text = content if isinstance(content, str) else " ".join(c.get("text", "") for c in content or [])
            flag = "error" if b.get("is_error") else "ok"
            parts.append(f"<- {flag}: {_snippet(text, 60)}")
        elif kind == "thinking":
            parts.append("(thinking)")
        elif kind == "image":
            parts.append("(image)")
    return " | ".join(parts)


def summarise(event: dict[str, Any]) -> str:
    """One line describing an event."""
    t = event.get("type")
    if t == "session_start":
        how = event.get("source") or "new"
        parent = event.get("parent_session_id")
        child = f" (sub-agent {event.get('agent_type')} of {parent})" if parent else ""
        return f"session {how}: {event.get('model')} in {event.get('cwd')}{child}"
    if t in ("user", "assistant"):
        text = _blocks_summary(event.get("message") or {})
        if t == "assistant":
            u = event.get("usage") or {}
            cache = (event.get("cache") or {}).get("status", "")
            return (
                f"[{event.get('model')}] {text} "
                f"(in {u.get('input_tokens', 0)}, out {u.get('output_tokens', 0)}, "
                f"cache read {u.get('cache_read_input_tokens', 0)}{', ' + cache if cache else ''})"
            )
        return ("(repaired) " if event.get("repaired") else "(notice) " if event.get("notice") else "") + text
    if t == "permission":
        return f"{event.get('decision')} {event.get('tool_name')} ({event.get('source')}){': ' + event['reason'] if event.get('reason') else ''}"
    if t == "tool_result":
        return f"{event.get('tool_name')} {'failed' if event.get('is_error') else 'ok'} in {event.get('duration_ms')} ms"
    if t == "hook":
        return f"{event.get('hook')} on {event.get('event')}: {event.get('outcome')} ({event.get('duration_ms')} ms)"
    if t == "api_retry":
        return (
            f"retry {event.get('attempt')}/{event.get('max_retries')} on {event.get('model')} after "
            f"{event.get('status') or event.get('error')}: {event.get('message')} (wait {event.get('delay_ms')} ms)"
        )
    if t == "model_switch":
        return f"fallback {event.get('from')} -> {event.get('to')}: {event.get('reason')}"
    if t == "compaction":
        return (
            f"compacted ({event.get('trigger')}): {event.get('summarised_messages')} messages summarised, "
            f"{event.get('kept_messages')} kept, {event.get('pre_tokens')} tokens before"
        )
    if t == "subagent":
        what = f"sub-agent {event.get('agent_type')} {event.get('agent_id')}"
        if event.get("status") == "started":
            return f"{what} started: {_snippet(event.get('description') or '', 60)}"
        return (
            f"{what} {event.get('status')} after {event.get('num_turns')} turns, "
            f"${event.get('total_cost_usd', 0):.4f} (claw timeline --session {event.get('agent_id')})"
        )
    if t == "fork":
        return f"forked from {event.get('parent_session_id')} ({len(event.get('messages') or [])} messages)"
    if t == "cache_break":
        return (
            f"unexpected prompt-cache break (expected >= {event.get('expected_read_tokens')} cached tokens)"
        )
    if t == "result":
        return (
            f"{event.get('subtype')} after {event.get('num_turns')} turns, "
            f"${event.get('total_cost_usd', 0):.4f}, {event.get('duration_ms')} ms"
        )
    if t == "session_end":
        return f"session ended ({event.get('reason')})"
    if t == "interrupted":
        return "interrupted by the user"
    details = {k: v for k, v in event.items() if k not in _SKIP}
    return _snippet(json.dumps(details), 120)


def entries(events: list[dict[str, Any]], limit: int | None = None) -> list[dict[str, Any]]:
    rows = [
        {
            "ts": e.get("ts"),
            "type": e.get("type"),
            "summary": summarise(e),
            "details": {k: v for k, v in e.items() if k not in _SKIP},
        }
        for e in events
    ]
    return rows[-limit:] if limit else rows


def cache_totals(events: list[dict[str, Any]]) -> CacheStats:
    """The session's prompt-cache counters (a fork starts from its parent's)."""
    stats = CacheStats()
    for e in events:
        if e.get("type") == "fork" and isinstance(e.get("cache"), dict):
            stats = CacheStats(**e["cache"])
        elif e.get("type") == "assistant" and isinstance(e.get("cache"), dict):
            stats.count(e["cache"])
    return stats


def render_json(session_id: str, events: list[dict[str, Any]], limit: int | None) -> str:
    return json.dumps(
        {
            "session_id": session_id,
            "cache_stats": cache_totals(events).as_dict(),
            "events": entries(events, limit),
        },
        indent=2,
        ensure_ascii=False,
    )


def render_md(session_id: str, events: list[dict[str, Any]], limit: int | None) -> str:
    stats = cache_totals(events).as_dict()
    lines = [
        f"# Session {session_id}",
        "",
        "Prompt cache: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in stats.items()),
        "",
        "| time | event | what |",
        "|---|---|---|",
    ]
    for row in entries(events, limit):
        what = row["summary"].replace("|", "\\|")
        lines.append(f"| {row['ts']} | {row['type']} | {what} |")
    return "\n".join(lines)


def render_pretty(session_id: str, events: list[dict[str, Any]], limit: int | None) -> None:
    from rich.console import Console
    from rich.table import Table

    stats = cache_totals(events).as_dict()
    table = Table(
        title=f"session {session_id}",
        caption="prompt cache: " + ", ".join(f"{k} {v}" for k, v in stats.items()),
    )
    table.add_column("time", style="dim", no_wrap=True)
    table.add_column("event", style="bold")
    table.add_column("what")
    styles = {
        "user": "cyan",
        "assistant": "green",
        "api_retry": "yellow",
        "model_switch": "yellow",
        "cache_break": "red",
        "interrupted": "red",
        "compaction": "magenta",
    }
    for row in entries(events, limit):
        ts = (row["ts"] or "")[11:23]
        table.add_row(ts, row["type"], row["summary"], style=styles.get(row["type"] or ""))
    Console(soft_wrap=False).print(table)
