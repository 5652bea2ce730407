"""Live smoke tests against a real Azure AI Foundry resource, left out of the suite (which talks only to
loopback servers) unless asked for: ``pytest --live plugins/provider-foundry/tests``. Each needs an endpoint
and an API key in the environment (``AZURE_OPENAI_ENDPOINT`` + ``AZURE_OPENAI_API_KEY`` for the OpenAI wire,
``ANTHROPIC_FOUNDRY_RESOURCE``/``ANTHROPIC_FOUNDRY_BASE_URL`` + ``ANTHROPIC_FOUNDRY_API_KEY`` for Claude) and
fails saying which are missing without them. ``CLAW_LIVE_FOUNDRY_OPENAI`` / ``CLAW_LIVE_FOUNDRY_CLAUDE`` name
the deployments."""

from __future__ import annotations

import os

import pytest
from claw import Message, ModelRequest, ResponseComplete
from claw.testing import stream_events
from claw_provider_foundry.provider import FoundryProvider

ENV = dict(os.environ)
CASES = [
    pytest.param(
        ENV.get("CLAW_LIVE_FOUNDRY_OPENAI", "gpt-5-mini"),
        ENV.get("AZURE_OPENAI_ENDPOINT") and ENV.get("AZURE_OPENAI_API_KEY"),
        "AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY",
        id="openai",
    ),
    pytest.param(
        ENV.get("CLAW_LIVE_FOUNDRY_CLAUDE", "claude-haiku-4-5"),
        (ENV.get("ANTHROPIC_FOUNDRY_RESOURCE") or ENV.get("ANTHROPIC_FOUNDRY_BASE_URL"))
        and ENV.get("ANTHROPIC_FOUNDRY_API_KEY"),
        "ANTHROPIC_FOUNDRY_RESOURCE (or _BASE_URL) and ANTHROPIC_FOUNDRY_API_KEY",
        id="claude",
    ),
]


@pytest.mark.live
@pytest.mark.parametrize(("deployment", "configured", "needs"), CASES)
def test_live_round_trip(deployment: str, configured: object, needs: str) -> None:
    assert configured, f"no {needs} in the environment"
    request = ModelRequest(
        model=deployment, messages=[Message.user("Reply with the single word: pong")], max_tokens=400
    )
    done = stream_events(FoundryProvider({}, ENV), request)[-1]
    assert isinstance(done, ResponseComplete)
    assert "pong" in done.response.to_message().text.lower() and done.response.usage.output_tokens > 0
