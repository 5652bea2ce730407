"""Live smoke tests against real Vertex AI. Run only when a project and Google credentials are in the
environment (``GOOGLE_CLOUD_PROJECT`` or ``ANTHROPIC_VERTEX_PROJECT_ID``, plus
``GOOGLE_APPLICATION_CREDENTIALS`` or a gcloud ADC login); otherwise reported as skipped with that
reason. ``CLAW_LIVE_VERTEX_CLAUDE`` / ``CLAW_LIVE_VERTEX_GEMINI`` pick the models."""

from __future__ import annotations

import os

import pytest
from claw._messages import Message
from claw._providers import ModelRequest, ResponseComplete
from claw.testing import stream_events
from claw_provider_vertex import credentials
from claw_provider_vertex.provider import VertexProvider

ENV = dict(os.environ)
STATUS = credentials.status({}, ENV)
MODELS = [
    ENV.get("CLAW_LIVE_VERTEX_CLAUDE", "claude-haiku-4-5"),
    ENV.get("CLAW_LIVE_VERTEX_GEMINI", "gemini-2.5-flash"),
]

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not STATUS.present, reason=f"no Vertex AI credentials in the environment: {STATUS.hint}"
    ),
]


@pytest.mark.parametrize("model", MODELS)
def test_live_round_trip(model: str) -> None:
    request = ModelRequest(
        model=model, messages=[Message.user("Reply with the single word: pong")], max_tokens=200
    )
    done = stream_events(VertexProvider({}, ENV), request)[-1]
    assert isinstance(done, ResponseComplete)
    assert "pong" in done.response.to_message().text.lower() and done.response.usage.output_tokens > 0
