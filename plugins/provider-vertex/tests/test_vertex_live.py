"""Live smoke tests against real Vertex AI, left out of the suite (which talks only to loopback servers)
unless asked for: ``pytest --live plugins/provider-vertex/tests``. They need a project and Google credentials
in the environment (``GOOGLE_CLOUD_PROJECT`` or ``ANTHROPIC_VERTEX_PROJECT_ID``, plus
``GOOGLE_APPLICATION_CREDENTIALS`` or a gcloud ADC login) and fail saying what is missing without them.
``CLAW_LIVE_VERTEX_CLAUDE`` / ``CLAW_LIVE_VERTEX_GEMINI`` pick the models."""

from __future__ import annotations

import os

import pytest
from claw import Message, ModelRequest, ResponseComplete
from claw.testing import stream_events
from claw_provider_vertex import credentials
from claw_provider_vertex.provider import VertexProvider

ENV = dict(os.environ)
STATUS = credentials.status({}, ENV)
MODELS = [
    ENV.get("CLAW_LIVE_VERTEX_CLAUDE", "claude-haiku-4-5"),
    ENV.get("CLAW_LIVE_VERTEX_GEMINI", "gemini-2.5-flash"),
]

pytestmark = pytest.mark.live


@pytest.mark.parametrize("model", MODELS)
def test_live_round_trip(model: str) -> None:
    assert STATUS.present, f"no Vertex AI credentials in the environment: {STATUS.hint}"
    request = ModelRequest(
        model=model, messages=[Message.user("Reply with the single word: pong")], max_tokens=200
    )
    done = stream_events(VertexProvider({}, ENV), request)[-1]
    assert isinstance(done, ResponseComplete)
    assert "pong" in done.response.to_message().text.lower() and done.response.usage.output_tokens > 0
