"""Live smoke test against real AWS Bedrock, left out of the suite (which talks only to loopback servers)
unless asked for: ``pytest --live plugins/provider-bedrock/tests``. It needs AWS credentials and a region in
the environment (``AWS_ACCESS_KEY_ID``/``AWS_PROFILE``/``AWS_BEARER_TOKEN_BEDROCK`` and ``AWS_REGION``) and
fails saying so without them. ``CLAW_LIVE_BEDROCK_MODEL`` picks the model."""

from __future__ import annotations

import os

import pytest
from claw import Message, ModelRequest, ResponseComplete, ToolSpec
from claw.testing import stream_events
from claw_provider_bedrock.provider import BedrockProvider

ENV = dict(os.environ)
HAS_CREDENTIALS = bool(
    (ENV.get("AWS_ACCESS_KEY_ID") or ENV.get("AWS_PROFILE") or ENV.get("AWS_BEARER_TOKEN_BEDROCK"))
    and (ENV.get("AWS_REGION") or ENV.get("AWS_DEFAULT_REGION"))
)
MODEL = ENV.get("CLAW_LIVE_BEDROCK_MODEL", "us.anthropic.claude-haiku-4-5-20251001-v1:0")

pytestmark = pytest.mark.live


def test_live_text_and_tool_call() -> None:
    assert HAS_CREDENTIALS, "no AWS credentials and region in the environment"
    weather = ToolSpec(
        name="get_weather",
        description="Current weather for a city.",
        input_schema={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    )
    request = ModelRequest(
        model=MODEL,
        messages=[Message.user("Use the tool to get the weather in Paris.")],
        tools=[weather],
        max_tokens=300,
    )
    done = stream_events(BedrockProvider({}, ENV), request)[-1]
    assert isinstance(done, ResponseComplete)
    assert done.response.usage.output_tokens > 0
    assert [b.name for b in done.response.to_message().tool_uses] == ["get_weather"]
