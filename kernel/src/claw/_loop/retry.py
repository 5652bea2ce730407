"""Calling the model: the one place claw retries, watches for stalls and falls back. Providers raise
:class:`claw.ApiError` and never retry themselves; what is retried, the bounds on waiting, the overloaded
hand-off, skipped fallbacks, the knobs (settings ``retry.*``, ``streamIdleTimeout``) and the environment
variables that override them for one run are in docs/cli.md, "Retries, the idle watchdog and fallbacks".
Every retry, switch and skip is reported through callbacks (:mod:`claw._loop.reporting`)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from claw._errors import ApiError, CapabilityError, ClawError, EndpointUnreachable, MissingCredentials
from claw._providers import KeepAlive, ModelRequest, ModelResponse, ResponseComplete, StreamEvent
from claw._routing import Route
from claw._settings import env_number


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 10
    base_delay: float = 0.5
    max_delay: float = 32.0
    idle_timeout: float = 120.0
    unreachable_budget: float = 3.0
    max_elapsed: float = 90.0

    @classmethod
    def configured(cls, settings: Any, env: Mapping[str, str]) -> RetryPolicy:
        """The policy from settings (a :class:`claw._settings.Settings`), each knob overridden by its
        environment variable when that is set to a number."""
        retry = settings.retry
        return cls(
            max_retries=int(env_number(env, "CLAW_MAX_RETRIES", retry.maxRetries)),
            base_delay=env_number(env, "CLAW_RETRY_BASE_DELAY", retry.baseDelay),
            max_delay=env_number(env, "CLAW_RETRY_MAX_DELAY", retry.maxDelay),
            idle_timeout=env_number(env, "CLAW_STREAM_IDLE_TIMEOUT", settings.streamIdleTimeout),
            unreachable_budget=env_number(env, "CLAW_UNREACHABLE_BUDGET", retry.unreachableBudget),
            max_elapsed=env_number(env, "CLAW_RETRY_MAX_ELAPSED", retry.maxElapsed),
        )

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before retry number ``attempt`` (1-based): doubling with +-25 % jitter, at most
        ``max_delay`` (the cap applies after the jitter), never less than the server asked for."""
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1) * random.uniform(0.75, 1.25))
        return max(backoff, retry_after or 0.0)


def _count_silence(idle: float, timeout: asyncio.Timeout) -> Callable[[], None]:
    """Expire ``timeout`` after ``idle`` seconds of silence the loop was awake to see (returns the canceller):
    seconds it spent blocked (a provider importing its SDK on first use) or waiting for a CPU are not the
    stream's fault, so the count goes in ticks of ``idle / 8`` and a late tick adds only its own step."""
    loop = asyncio.get_running_loop()
    left = idle
    handle: asyncio.TimerHandle | None = None

    def tick(planned: float, since: float) -> None:
        nonlocal left, handle
        left -= min(loop.time() - since, planned)
        if left <= 1e-9:
            timeout.reschedule(loop.time())
            return
        step = min(idle / 8, left)
        handle = loop.call_later(step, tick, step, loop.time())

    tick(0.0, loop.time())
    return lambda: handle and handle.cancel()


async def _watched(stream: AsyncIterator[StreamEvent], idle: float) -> AsyncIterator[StreamEvent]:
    """``stream`` with an idle watchdog: ``idle`` seconds without an event (:func:`_count_silence`)
    abort it as a retryable error."""
    it = aiter(stream)
    try:
        while True:
            try:
                async with asyncio.timeout(None) as timeout:
                    stop_counting = _count_silence(idle, timeout)
                    try:
                        event = await anext(it)
                    finally:
                        stop_counting()
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise ApiError(
                    f"the response stream stalled (no data for {idle:g}s)",
                    retryable=True,
                    kind="server_error",
                ) from None
            yield event
    finally:
        aclose = getattr(it, "aclose", None)
        if aclose is not None:
            await aclose()


class ModelCaller:
    """Sends requests down a fallback chain with retries.

    :param chain: the primary model and its fallbacks.
    :param provider_for: turns a route into its (credential-checked) provider instance.
    :param on_retry: called with ``(attempt, max_retries, delay_s, error, route)`` before each wait.
    :param on_switch: called with ``(old_route, new_route, error)`` when falling back.
    :param on_skip: called with ``(route, reason)`` for a fallback that cannot serve the request.
    """

    def __init__(
        self,
        chain: list[Route],
        provider_for: Callable[[Route], Any],
        policy: RetryPolicy,
        on_retry: Callable[[int, int, float, ApiError, Route], None],
        on_switch: Callable[[Route, Route, ApiError], None],
        on_skip: Callable[[Route, str], None],
    ) -> None:
        self.chain = chain
        self.index = 0
        self.provider_for = provider_for
        self.policy = policy
        self.on_retry = on_retry
        self.on_switch = on_switch
        self.on_skip = on_skip
        #: Seconds spent waiting on the API, over the caller's life (``duration_api_ms``).
        self.api_seconds = 0.0

    @property
    def route(self) -> Route:
        return self.chain[self.index]

    async def call(
        self, build: Callable[[Route], ModelRequest], on_event: Callable[[StreamEvent], None]
    ) -> tuple[ModelResponse, Route]:
        """Stream one response, passing every event to ``on_event``.

        :param build: the request for a route (its model id, effort and capabilities differ).
        :raises ApiError: a non-retryable error, or the last error once every model is exhausted.
        :raises CapabilityError, MissingCredentials: the primary model cannot serve the request.
        """
        failed: tuple[Route, ApiError] | None = None  # the model given up on, until another takes over
        while True:
            request, provider = self._servable(build, failed)
            route = self.route
            if failed is not None:
                self.on_switch(failed[0], route, failed[1])
            outcome = await self._attempts(provider, request, on_event)
            if not isinstance(outcome, ApiError):
                return outcome, route
            failed = (route, outcome)
            if self.index + 1 >= len(self.chain):
                raise outcome
            self.index += 1

    def _servable(
        self, build: Callable[[Route], ModelRequest], failed: tuple[Route, ApiError] | None
    ) -> tuple[ModelRequest, Any]:
        """The request and provider for the current route, skipping (with :attr:`on_skip`) fallbacks
        that lack a capability the request needs or credentials.

        :raises ApiError: no fallback left can serve after a failure; it names the failure and every skip.
        :raises ClawError: no fallback left can serve a request made while on a fallback already.
        :raises CapabilityError, MissingCredentials: the primary model cannot serve.
        """
        skipped: list[str] = []
        while True:
            route = self.route
            try:
                return build(route), self.provider_for(route)
            except (CapabilityError, MissingCredentials) as exc:
                if self.index == 0:
                    raise
                reason = exc.reason if isinstance(exc, CapabilityError) else str(exc)
                self.on_skip(route, reason)
                skipped.append(f"{route.address} {reason}")
                if self.index + 1 < len(self.chain):
                    self.index += 1
                    continue
                why = "; ".join(skipped)
                if failed is None:  # still on a fallback from an earlier request
                    raise ClawError(f"no fallback model can serve this request: {why}") from exc
                error = failed[1]
                raise ApiError(
                    f"{error} (and no fallback model can serve this request: {why})",
                    status_code=error.status_code,
                    kind=error.kind,
                    provider=error.provider,
                ) from exc

    async def _attempts(
        self, provider: Any, request: ModelRequest, on_event: Callable[[StreamEvent], None]
    ) -> ModelResponse | ApiError:
        """Send ``request`` to the current route until it answers (the response) or its retries are
        spent (the last error).

        :raises ApiError: a non-retryable error.
        """
        route = self.route
        budget = _Budget(self.policy, has_fallback=self.index + 1 < len(self.chain))
        while True:
            start = time.perf_counter()
            try:
                async for event in _watched(provider.stream(request), self.policy.idle_timeout):
                    if isinstance(event, ResponseComplete):
                        self.api_seconds += time.perf_counter() - start
                        return event.response
                    if not isinstance(event, KeepAlive):
                        on_event(event)
                raise ApiError(
                    "the response stream ended without a complete response",
                    retryable=True,
                    kind="server_error",
                )
            except ApiError as exc:
                self.api_seconds += time.perf_counter() - start
                if exc.provider is None:
                    exc.provider = route.provider_cls.name
                if not exc.retryable:
                    raise
                delay = budget.next_wait(exc)
                if delay is None:
                    return exc
                self.on_retry(budget.attempt, self.policy.max_retries, delay, exc, route)
                await asyncio.sleep(delay)


#: Overloaded answers in a row after which a request moves to the fallback model (Claude Code's number).
OVERLOADED_BEFORE_FALLBACK = 3


class _Budget:
    """What is left of one request's retries on one model: attempts, the summed waits
    (``max_elapsed``), the unreachable-endpoint budget, and overloaded answers in a row."""

    def __init__(self, policy: RetryPolicy, *, has_fallback: bool) -> None:
        self.policy = policy
        self.has_fallback = has_fallback
        self.attempt = 0
        self.waited = 0.0
        self.overloaded = 0
        self.unreachable_since: float | None = None

    def next_wait(self, exc: ApiError) -> float | None:
        """Seconds to wait before retrying after ``exc``, or ``None`` to give up on this model (the
        error then says why when a budget, not the attempt count, ran out)."""
        self.attempt += 1
        self.overloaded = self.overloaded + 1 if exc.status_code == 529 else 0
        if self.attempt > self.policy.max_retries:
            return None
        if self.has_fallback and self.overloaded >= OVERLOADED_BEFORE_FALLBACK:
            return None
        delay = self.policy.delay(self.attempt, exc.retry_after)
        if isinstance(exc, EndpointUnreachable):
            if self.unreachable_since is None:  # the budget counts from the first failure
                self.unreachable_since = time.perf_counter()
            left = self.policy.unreachable_budget - (time.perf_counter() - self.unreachable_since)
            if left <= 0:
                return None
            return min(delay, left)
        self.unreachable_since = None
        if self.policy.max_elapsed and self.waited + delay > self.policy.max_elapsed:
            asked = f"; the server asked to wait {exc.retry_after:g}s" if exc.retry_after else ""
            exc.args = (
                f"{exc} (gave up after {self.attempt - 1} retries and {self.waited:.0f}s of waiting{asked})",
            )
            return None
        self.waited += delay
        return delay
