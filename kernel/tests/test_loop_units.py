"""Small pure pieces of the loop: backoff, cache-break detection, imports."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from claw._builtins.prompt_cache.tracker import CacheTracker
from claw._errors import ApiError
from claw._loop.agent import session_start_timeout
from claw._loop.retry import RetryPolicy, _watched
from claw._messages import Usage
from claw._providers import StreamEvent, TextDelta
from claw._session_context import SessionContext
from claw._sessions import CacheStats
from claw._settings import Settings


def test_backoff_doubles_with_jitter_caps_and_honours_retry_after():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    for attempt, base in ((1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)):
        delays = [policy.delay(attempt, None) for _ in range(50)]
        assert all(0.75 * base <= d <= 1.25 * base for d in delays)
    assert policy.delay(1, 30.0) == 30.0


def test_the_delay_cap_holds_after_jitter():
    """The documented maximum is a maximum: jitter never pushes a wait past ``max_delay`` (a wait of
    37.7 s was seen with a 32 s cap when the jitter came after it)."""
    policy = RetryPolicy()
    assert max(policy.delay(20, None) for _ in range(500)) <= 32.0


def test_retry_policy_from_settings_with_env_overrides():
    settings = Settings.model_validate(
        {"retry": {"maxRetries": 4, "baseDelay": 0.2, "maxDelay": 5}, "streamIdleTimeout": 60}
    )
    policy = RetryPolicy.configured(settings, {})
    assert (policy.max_retries, policy.base_delay, policy.max_delay, policy.idle_timeout) == (4, 0.2, 5, 60)
    policy = RetryPolicy.configured(
        settings, {"CLAW_MAX_RETRIES": "3", "CLAW_STREAM_IDLE_TIMEOUT": "2.5", "CLAW_RETRY_BASE_DELAY": "x"}
    )
    assert (policy.max_retries, policy.idle_timeout, policy.base_delay) == (3, 2.5, 0.2)
    assert RetryPolicy.configured(Settings(), {}) == RetryPolicy()
    assert RetryPolicy.configured(Settings(), {"CLAW_RETRY_MAX_ELAPSED": "4"}).max_elapsed == 4
    assert RetryPolicy().max_elapsed == 90.0


def test_unreachable_budget_from_settings_and_env():
    settings = Settings.model_validate({"retry": {"unreachableBudget": 7}})
    assert RetryPolicy.configured(settings, {}).unreachable_budget == 7
    assert RetryPolicy.configured(settings, {"CLAW_UNREACHABLE_BUDGET": "0.5"}).unreachable_budget == 0.5
    assert RetryPolicy().unreachable_budget == 3.0


def test_session_start_timeout_is_the_users_setting_or_none():
    assert session_start_timeout(Settings(), {}) is None
    assert session_start_timeout(Settings(), {"MCP_TIMEOUT": "5000"}) is None  # claw-mcp's business
    configured = Settings.model_validate({"sessionStartTimeout": 12})
    assert session_start_timeout(configured, {}) == 12.0
    assert session_start_timeout(configured, {"CLAW_SESSION_START_TIMEOUT": "2"}) == 2.0
    assert session_start_timeout(Settings(), {"CLAW_SESSION_START_TIMEOUT": "junk"}) is None


def test_plugins_ask_for_a_start_timeout_unless_the_user_set_one(tmp_path):
    def context(start_timeout):
        return SessionContext(
            session_id="s", workspace=tmp_path, settings={}, env={}, start_timeout=start_timeout
        )

    default = context(None)
    assert default.start_timeout == 30.0
    default.request_start_timeout(1.2)  # shorter than the default: asked for, so taken
    default.request_start_timeout(0.5)
    default.request_start_timeout(6.0)
    assert default.start_timeout == 6.0  # the longest wait asked for
    chosen = context(12.0)
    chosen.request_start_timeout(60.0)
    assert chosen.start_timeout == 12.0


def test_cache_tracker_counts_and_detects_breaks():
    stats = CacheStats()
    tracker = CacheTracker(stats)
    assert tracker.observe("fp", Usage(cache_creation_input_tokens=100)) == {
        "fingerprint": "fp",
        "status": "miss",
        "write": True,
    }
    assert not tracker.observe("fp", Usage(cache_read_input_tokens=100)).get("break")
    assert not tracker.observe("fp", Usage(cache_read_input_tokens=150)).get("break")
    assert tracker.observe("fp", Usage(cache_read_input_tokens=100))["break"]  # dropped, same prefix
    assert not tracker.observe("other", Usage()).get("break")  # the prefix changed: expected
    assert stats.as_dict() == {"hits": 3, "misses": 2, "writes": 1, "unexpected_breaks": 1}


async def _drain(stream: AsyncIterator[StreamEvent], idle: float) -> list[StreamEvent]:
    return [event async for event in _watched(stream, idle)]


def test_the_idle_watchdog_does_not_take_a_blocked_loop_for_a_silent_stream():
    """A provider that imports its SDK on first use blocks the event loop before it sends anything (the
    ``anthropic`` package took 5 s under CI load, the idle timeout in the fault tests is 1 s). The loop
    could not have read the stream then, so the watchdog counts none of it: the answer that follows is
    taken, not aborted as a stall and sent again."""

    async def slow_first_use() -> AsyncIterator[StreamEvent]:
        time.sleep(0.6)  # the loop thread is busy, as in a first import
        await asyncio.sleep(0.05)  # the request's round trip
        yield TextDelta(text="answer")

    assert asyncio.run(_drain(slow_first_use(), idle=0.2)) == [TextDelta(text="answer")]


def test_the_idle_watchdog_aborts_a_silent_stream_and_restarts_on_each_event():
    async def trickle_then_stall() -> AsyncIterator[StreamEvent]:
        for n in range(4):  # 0.6 s in all, each gap under the idle timeout
            await asyncio.sleep(0.15)
            yield TextDelta(text=str(n))
        await asyncio.sleep(60)
        yield TextDelta(text="never")

    seen: list[StreamEvent] = []

    async def run() -> None:
        async for event in _watched(trickle_then_stall(), 0.3):
            seen.append(event)

    started = time.monotonic()
    with pytest.raises(ApiError, match=r"stalled \(no data for 0.3s\)"):
        asyncio.run(run())
    assert [e.text for e in seen] == ["0", "1", "2", "3"]  # type: ignore[union-attr]
    assert time.monotonic() - started < 30  # a ceiling: the stall is 60 s
