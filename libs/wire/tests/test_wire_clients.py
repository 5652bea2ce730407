"""claw_wire.clients.Clients: SDK clients built once, in a worker thread, whoever asks first."""

from __future__ import annotations

import asyncio
import threading

import pytest
from claw_wire.clients import Clients


def test_concurrent_first_requests_share_one_build_made_off_the_loop_thread() -> None:
    builds: list[str] = []

    def build() -> object:
        builds.append(threading.current_thread().name)
        return object()

    async def main() -> list[object]:
        clients = Clients()
        got = await asyncio.gather(*(clients.get("claude", build) for _ in range(5)))
        return [*got, await clients.get("claude", build)]

    got = asyncio.run(main())
    assert len(set(map(id, got))) == 1
    assert builds == ["claw-client-claude"]


def test_a_failed_build_raises_its_own_error_and_the_next_request_tries_again() -> None:
    attempts: list[int] = []

    def build() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("no region")
        return "client"

    async def main() -> str:
        clients = Clients()
        with pytest.raises(ValueError, match="no region"):
            await clients.get("bedrock-runtime", build)
        assert clients.built() == {}
        return await clients.get("bedrock-runtime", build)

    assert asyncio.run(main()) == "client"
    assert len(attempts) == 2


def test_a_cancelled_request_leaves_the_build_to_the_next_one_and_never_blocks_shutdown() -> None:
    release = threading.Event()
    builds: list[int] = []

    def build() -> str:
        builds.append(1)
        release.wait(10)
        return "client"

    async def main() -> None:
        clients = Clients()
        first = asyncio.ensure_future(clients.get("openai", build))
        await asyncio.sleep(0.05)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        second = asyncio.ensure_future(clients.get("openai", build))
        await asyncio.sleep(0.05)
        release.set()
        assert await second == "client"
        assert clients.built() == {"openai": "client"}
        clients.clear()
        assert clients.built() == {}
        release.clear()
        # A build still running when the loop ends (Ctrl-C) is abandoned, not waited for.
        abandoned = asyncio.ensure_future(clients.get("openai", build))
        await asyncio.sleep(0.05)
        abandoned.cancel()

    asyncio.run(main())
    assert len(builds) == 2
    still_building = [t for t in threading.enumerate() if t.name == "claw-client-openai" and t.is_alive()]
    assert still_building and all(t.daemon for t in still_building)
    release.set()
