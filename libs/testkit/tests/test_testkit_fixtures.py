"""claw-testkit's pytest plugin: each vendor fixture serves a started mock that answers its scripted step
over loopback HTTP, and the request is recorded (plain ``urllib``: no vendor SDK, only the test kit)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from claw.testing.script import Reply, Text
from claw_testkit.server import MockServer


def post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


CHAT = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
VERTEX = "/v1/projects/p/locations/us-east5/publishers"

#: fixture name -> (path under the server's URL, request body, where the reply's text is in the answer)
CASES = {
    "anthropic_server": ("/v1/messages", {**CHAT, "max_tokens": 10}, lambda d: d["content"][0]["text"]),
    "openai_server": ("/v1/chat/completions", CHAT, lambda d: d["choices"][0]["message"]["content"]),
    "bedrock_server": (
        "/model/m/converse",
        {"messages": [{"role": "user", "content": [{"text": "hi"}]}]},
        lambda d: d["output"]["message"]["content"][0]["text"],
    ),
    "vertex_server": (
        f"{VERTEX}/google/models/gemini-3-pro:generateContent",
        {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]},
        lambda d: d["candidates"][0]["content"]["parts"][0]["text"],
    ),
    "foundry_server": (
        "/openai/v1/chat/completions",
        CHAT,
        lambda d: d["choices"][0]["message"]["content"],
    ),
}


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_each_vendor_fixture_serves_its_scripted_reply(fixture: str, request: pytest.FixtureRequest) -> None:
    server: MockServer = request.getfixturevalue(fixture)
    path, body, text_of = CASES[fixture]
    server.script(Reply(Text("scripted answer")))
    assert text_of(post(server.url + path, body)) == "scripted answer"
    assert [r.path for r in server.requests] == [path] and server.pending == 0


def test_an_unscripted_request_fails_loudly(anthropic_server: MockServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as failure:
        post(anthropic_server.url + "/v1/messages", {**CHAT, "max_tokens": 10})
    assert failure.value.code == 500
    assert "unscripted request: POST /v1/messages" in failure.value.read().decode()
