"""Reading a live ``ClaudeSDKClient`` in tests: the messages up to one of a kind, within a bound."""

from __future__ import annotations

import asyncio
from typing import Any

from claude_agent_sdk import ClaudeSDKClient


async def receive_until(client: ClaudeSDKClient, kind: type, seconds: float) -> list[Any]:
    """The messages up to and with the next ``kind`` (within ``seconds``), nothing sent."""
    seen: list[Any] = []
    async with asyncio.timeout(seconds):
        async for m in client.receive_messages():
            seen.append(m)
            if isinstance(m, kind):
                return seen
    raise AssertionError(f"no {kind.__name__}")
