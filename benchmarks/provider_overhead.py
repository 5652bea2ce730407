"""Per-request cost of the providers that speak Anthropic Messages and OpenAI Chat Completions /
Responses (Anthropic, OpenAI, Claude on Vertex, Foundry's Claude and OpenAI-wire deployments): a
tool-using request (20 messages, 3 tools) streamed through the official SDK from an instantly answering
loopback mock, wall time minus the time the server spent producing the response.

Run: ``uv run python benchmarks/provider_overhead.py [--requests N]``. Prints the median and p90 per
request. Target on a 2-core machine: median <= 5 ms per request (the agent loop's whole per-turn budget),
so the provider is never what makes a turn slow.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from claw import Message, ModelRequest, ToolSpec
from claw.testing.script import Reply, Text, ToolCall
from claw_testkit.mock_anthropic import MockAnthropicServer
from claw_testkit.mock_openai import MockOpenAIServer

TARGET_MS = 5.0


def _request(model: str) -> ModelRequest:
    messages = []
    for i in range(10):
        messages.append(Message.user(f"question {i} " * 20))
        messages.append(
            Message.model_validate(
                {"role": "assistant", "content": [{"type": "text", "text": "answer " * 40}]}
            )
        )
    messages.append(Message.user("go"))
    tools = [ToolSpec(name=f"Tool{i}", description="does things " * 10) for i in range(3)]
    return ModelRequest(
        model=model, messages=messages, tools=tools, system=[{"type": "text", "text": "sys " * 200}]
    )


async def _measure(provider, server, request: ModelRequest, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    reply = Reply(Text("ok, reading " * 10), ToolCall("Tool1", {"path": "a/b.py", "limit": 20}))
    server.respond_with(lambda _req: reply)
    async for _ in provider.stream(request):  # warm up: SDK import, connection
        pass
    for _ in range(n):
        busy = server.busy_seconds
        start = time.perf_counter()
        async for _ in provider.stream(request):
            pass
        samples.append((time.perf_counter() - start - (server.busy_seconds - busy)) * 1000)
    await provider.aclose()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    n = parser.parse_args().requests
    from claw_provider_anthropic.provider import AnthropicProvider
    from claw_provider_foundry.provider import FoundryProvider
    from claw_provider_openai.provider import OpenAIProvider
    from claw_provider_vertex.provider import VertexProvider
    from claw_testkit.mock_foundry import MockFoundryServer
    from claw_testkit.mock_vertex import MockVertexServer

    vertex = {"access_token": "t", "project": "p", "region": "us-east5"}

    missed = False
    cases = [
        (
            "anthropic",
            MockAnthropicServer,
            lambda s: AnthropicProvider({"base_url": s.url}, {"ANTHROPIC_API_KEY": "k"}),
            "claude-sonnet-4-6",
        ),
        (
            "openai chat",
            MockOpenAIServer,
            lambda s: OpenAIProvider({"base_url": s.base_url, "api": "chat"}, {"OPENAI_API_KEY": "k"}),
            "gpt-5.4",
        ),
        (
            "openai responses",
            MockOpenAIServer,
            lambda s: OpenAIProvider({"base_url": s.base_url, "api": "responses"}, {"OPENAI_API_KEY": "k"}),
            "gpt-5.4",
        ),
        (
            "vertex claude",
            MockVertexServer,
            lambda s: VertexProvider({"base_url": s.url, **vertex}, {}),
            "claude-sonnet-4-6",
        ),
        (
            "foundry claude",
            MockFoundryServer,
            lambda s: FoundryProvider({"base_url": s.url, "api_key": "k"}, {}),
            "claude-sonnet-4-6",
        ),
        (
            "foundry chat",
            MockFoundryServer,
            lambda s: FoundryProvider({"base_url": s.url, "api_key": "k"}, {}),
            "gpt-5.4",
        ),
    ]
    for name, server_cls, make, model in cases:
        with server_cls() as server:
            samples = asyncio.run(_measure(make(server), server, _request(model), n))
        median = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        ok = median <= TARGET_MS
        missed |= not ok
        print(
            f"{name:18} median {median:6.2f} ms  p90 {p90:6.2f} ms  ({n} requests){'' if ok else '  MISSED'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
