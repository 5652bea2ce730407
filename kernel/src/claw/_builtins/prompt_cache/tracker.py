"""Prompt-cache bookkeeping: did each request hit the cache, and did the cache break unexpectedly (what
the ``cache`` record of an assistant event and a break mean: docs/sessions.md, "Prompt-cache statistics")?"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from claw._loop.state import LOOP
from claw._messages import TextBlock, Usage
from claw._providers import ModelResponse
from claw._routing import Route
from claw._session_context import SessionContext
from claw._sessions import CacheStats
from claw._tools import StashKey, ToolSpec


def fingerprint(model: str, system: list[TextBlock], tools: list[ToolSpec]) -> str:
    h = hashlib.sha256(model.encode())
    for block in system:
        h.update(block.text.encode())
    h.update(json.dumps([t.model_dump(mode="json") for t in tools], sort_keys=True).encode())
    return h.hexdigest()[:16]


class CacheTracker:
    """Judges each response against the previous one with the same fingerprint.

    :param stats: the session's running totals (carried over on resume).
    """

    def __init__(self, stats: CacheStats) -> None:
        self.stats = stats
        self._last: tuple[str, int, int] | None = None
        #: (route address, the session's tools version) -> fingerprint: system and tools are fixed
        #: until a plugin adds or removes a tool.
        self.fingerprints: dict[tuple[str, int], str] = {}

    def observe(self, fp: str, usage: Usage) -> dict[str, Any]:
        """Count one response; returns the record stored with the assistant message."""
        read = usage.cache_read_input_tokens
        outcome: dict[str, Any] = {
            "fingerprint": fp,
            "status": "hit" if read > 0 else "miss",
            "write": usage.cache_creation_input_tokens > 0,
        }
        if self._last is not None and self._last[0] == fp:
            _, last_read, last_write = self._last
            # Reads never shrink while the prefix is the same, and what was just written must be read.
            if read < last_read or (last_write > 0 and read == 0):
                outcome["break"] = True
                outcome["expected_read_tokens"] = max(last_read, last_write)
        self._last = (fp, read, usage.cache_creation_input_tokens)
        self.stats.count(outcome)
        return outcome


#: The session's tracker, in its stash.
TRACKER = StashKey[CacheTracker]()


def observe(session: SessionContext, route: Route, response: ModelResponse) -> dict[str, Any]:
    """The ``cache`` record of a turn's ``response`` from ``route``; a break is also recorded on its own."""
    loop = session.stash[LOOP]
    tracker = session.stash.get(TRACKER)
    if tracker is None:
        tracker = session.stash[TRACKER] = CacheTracker(loop._session.state.cache)
    key = (route.address, session.tools_version)
    fp = tracker.fingerprints.get(key)
    if fp is None:
        fp = tracker.fingerprints[key] = fingerprint(route.info.id, loop.system, session.available_tools)
    cache = tracker.observe(fp, response.usage)
    if cache.get("break"):
        loop._session.record("cache_break", **cache, sync=False)
    return cache
