"""A loopback Vertex AI endpoint for Claude (Anthropic publisher) and Gemini (Google publisher).

- Claude: ``POST /v1/projects/<p>/locations/<r>/publishers/anthropic/models/<model>:streamRawPredict``
  (and ``:rawPredict``) answer the Anthropic Messages wire format, built with
  :mod:`claw_testkit.mock_anthropic`'s encoders. Point ``AsyncAnthropicVertex(base_url=server.url +
  "/v1", access_token=...)`` here.
- Gemini: ``POST /<version>/projects/<p>/locations/<r>/publishers/google/models/<model>:streamGenerateContent?alt=sse``
  (and ``:generateContent``) answer ``GenerateContentResponse`` chunks as ``data:`` lines. Point
  ``genai.Client(vertexai=True, http_options=HttpOptions(base_url=server.url))`` here. Thinking
  becomes a ``thought: true`` part; the thought signature rides on the next part, as Gemini sends it.

Faults answer Google's error body ``{"error": {"code", "message", "status"}}`` (429
``RESOURCE_EXHAUSTED``, 401 ``UNAUTHENTICATED``, ...); ``Fault(kind="stream_error")`` on a Claude
path sends Anthropic's in-stream ``error`` event. With ``access_token`` set, requests whose
``Authorization`` is not ``Bearer <access_token>`` get a 401, so tests exercise the auth path.
:attr:`calls` records ``(publisher, model, method, project, location)`` per request.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from claw.testing.script import Fault, Reply, Step, Text, Thinking

from claw_testkit.mock_anthropic import encode_sse, error_body, message_events, message_json
from claw_testkit.server import MockServer, RecordedRequest, Response

#: Google RPC status per HTTP status.
GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

_FINISH = {"end_turn": "STOP", "tool_use": "STOP", "max_tokens": "MAX_TOKENS", "refusal": "SAFETY"}

_PATH = re.compile(
    r"^/(?P<version>v1[a-z0-9]*)/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/(?P<publisher>anthropic|google)/models/(?P<model>[^/:]+):(?P<method>\w+)$"
)


def google_error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": GOOGLE_STATUS.get(status, "UNKNOWN")}}


def gemini_usage(reply: Reply) -> dict[str, Any]:
    """``usageMetadata``: the prompt count includes cached tokens, as Gemini reports it."""
    u = reply.usage
    prompt = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens
    usage = {
        "promptTokenCount": prompt,
        "candidatesTokenCount": u.output_tokens,
        "totalTokenCount": prompt + u.output_tokens,
    }
    if u.cache_read_input_tokens:
        usage["cachedContentTokenCount"] = u.cache_read_input_tokens
    return usage


def gemini_chunks(reply: Reply, model: str) -> list[dict[str, Any]]:
    """The streamed ``GenerateContentResponse`` objects for ``reply``: one per part, usage and
    finish reason on the last."""
    parts: list[dict[str, Any]] = []
    signature: str | None = None
    for block in reply.blocks:
        if isinstance(block, Thinking):
            parts.append({"text": block.thinking, "thought": True})
            signature = base64.b64encode(block.signature.encode()).decode()
            continue
        part: dict[str, Any] = (
            {"text": block.text}
            if isinstance(block, Text)
            else {"functionCall": {"name": block.name, "args": block.input}}
        )
        if signature is not None:
            part["thoughtSignature"] = signature
            signature = None
        parts.append(part)
    chunks = [
        {"candidates": [{"content": {"role": "model", "parts": [p]}, "index": 0}], "modelVersion": model}
        for p in parts
    ] or [{"candidates": [{"content": {"role": "model", "parts": []}, "index": 0}], "modelVersion": model}]
    chunks[-1]["candidates"][0]["finishReason"] = _FINISH.get(reply.stop_reason or "end_turn", "STOP")
    chunks[-1]["usageMetadata"] = gemini_usage(reply)
    return chunks


def gemini_document(reply: Reply, model: str) -> dict[str, Any]:
    """The unstreamed ``generateContent`` response: all parts in one candidate."""
    chunks = gemini_chunks(reply, model)
    parts = [p for c in chunks for p in c["candidates"][0]["content"]["parts"]]
    last = chunks[-1]
    last["candidates"][0]["content"]["parts"] = parts
    return last


class MockVertexServer(MockServer):
    """Vertex AI's Claude and Gemini endpoints on loopback.

    :param access_token: when set, the only bearer token accepted.
    """

    def __init__(self, access_token: str | None = None) -> None:
        super().__init__()
        self.access_token = access_token
        self.calls: list[tuple[str, str, str, str, str]] = []

    def handle(self, request: RecordedRequest) -> Response:
        match = _PATH.match(request.path.split("?")[0])
        if request.method != "POST" or match is None:
            return self._google_fault(404, f"mock: no route {request.method} {request.path}")
        if (
            self.access_token is not None
            and request.headers.get("authorization") != f"Bearer {self.access_token}"
        ):
            return self._google_fault(
                401, "Request had invalid authentication credentials. Expected OAuth 2 access token."
            )
        publisher, model, method = match["publisher"], match["model"], match["method"]
        self.calls.append((publisher, model, method, match["project"], match["location"]))
        step = self.next_step(request)
        if isinstance(step, Fault) and step.kind == "status":
            return self._google_fault(step.status, step.message, step.retry_after)
        payload = request.json if isinstance(request.json, dict) else {}
        if publisher == "anthropic":
            return self._claude(method, step, model, payload)
        return self._gemini(method, step, model)

    def _claude(self, method: str, step: Step, model: str, payload: dict[str, Any]) -> Response:
        reply = self.reply_of(step)
        if method == "rawPredict" and not payload.get("stream"):
            return Response(
                200, {"content-type": "application/json"}, json.dumps(message_json(reply, model)).encode()
            )
        events = message_events(reply, model)
        if isinstance(step, Fault) and step.kind == "stream_error":
            events = [*events[: step.after_events], error_body(step.status, step.message)]
        return self.stream_response(encode_sse(events), "text/event-stream", step)

    def _gemini(self, method: str, step: Step, model: str) -> Response:
        reply = self.reply_of(step)
        if method == "generateContent":
            body = json.dumps(gemini_document(reply, model)).encode()
            return Response(200, {"content-type": "application/json"}, body)
        chunks = [f"data: {json.dumps(c)}\r\n\r\n".encode() for c in gemini_chunks(reply, model)]
        if isinstance(step, Fault) and step.kind == "stream_error":
            chunks = [
                *chunks[: step.after_events],
                f"data: {json.dumps(google_error(step.status, step.message))}\r\n\r\n".encode(),
            ]
        return self.stream_response(chunks, "text/event-stream", step)

    def _google_fault(self, status: int, message: str, retry_after: float | None = None) -> Response:
        headers = {"content-type": "application/json"}
        if retry_after is not None:
            headers["retry-after"] = str(retry_after)
        return Response(status, headers, json.dumps(google_error(status, message)).encode())
