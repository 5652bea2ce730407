"""A loopback server speaking the Anthropic Messages API, for provider and end-to-end tests.

``POST /v1/messages`` answers each request with the next scripted step: a
:class:`~claw.testing.script.Reply` as a server-sent event stream (``"stream": true``) or as one
JSON message, a :class:`~claw.testing.script.Fault` as an error body, a cut or stalled stream, or an
in-stream ``error`` event. The event sequence is the real API's (``message_start``, a ``ping``,
``content_block_start`` / ``_delta`` / ``_stop`` per block, ``message_delta`` with cumulative usage,
``message_stop``), so the official ``anthropic`` SDK parses it; tests drive providers through it::

    with MockAnthropicServer() as server:
        server.script(Reply(Text("hi")), Fault(status=529, retry_after=1))
        client = anthropic.Anthropic(base_url=server.url, api_key="test")

The event builders (:func:`message_events`, :func:`encode_sse`, :func:`error_body`) are functions so
other mocks that carry Anthropic events (Vertex ``:streamRawPredict``) reuse them.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

from claw.testing.script import Fault, Reply, Step, Text, Thinking, ToolCall

from claw_testkit.server import MockServer, RecordedRequest, Response

_ids = itertools.count(1)

#: ``error.type`` per HTTP status (anthropic ``types/shared/error_type.py``).
ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def error_type(status: int) -> str:
    return ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")


def error_body(
    status: int, message: str, *, error_code: str | None = None, request_id: str = ""
) -> dict[str, Any]:
    """Anthropic's error body; ``error_code`` goes to ``error.details.error_code`` (spend limits)."""
    error: dict[str, Any] = {"type": error_type(status), "message": message}
    if error_code:
        error["details"] = {"error_code": error_code}
    return {"type": "error", "error": error, "request_id": request_id or None}


def usage_of(reply: Reply, *, output_tokens: int | None = None) -> dict[str, Any]:
    u = reply.usage
    return {
        "input_tokens": u.input_tokens,
        "cache_creation_input_tokens": u.cache_creation_input_tokens,
        "cache_read_input_tokens": u.cache_read_input_tokens,
        "cache_creation": {
            "ephemeral_5m_input_tokens": u.cache_creation_input_tokens,
            "ephemeral_1h_input_tokens": 0,
        },
        "output_tokens": u.output_tokens if output_tokens is None else output_tokens,
        "service_tier": "standard",
    }


def _block(block: Text | Thinking | ToolCall) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "text": block.text}
    if isinstance(block, Thinking):
        return {"type": "thinking", "thinking": block.thinking, "signature": block.signature}
    return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}


def message_json(reply: Reply, model: str, message_id: str | None = None) -> dict[str, Any]:
    """The non-streamed ``Message`` for ``reply``."""
    return {
        "id": message_id or f"msg_mock_{next(_ids):06d}",
        "type": "message",
        "role": "assistant",
        "model": reply.model or model,
        "content": [_block(b) for b in reply.blocks],
        "stop_reason": reply.stop_reason,
        "stop_sequence": None,
        "usage": usage_of(reply),
    }


def split_text(text: str, n: int = 3) -> list[str]:
    """``text`` in up to ``n`` pieces, so clients must concatenate deltas."""
    if not text:
        return []
    size = max(1, math.ceil(len(text) / n))
    return [text[i : i + size] for i in range(0, len(text), size)]


def message_events(reply: Reply, model: str, message_id: str | None = None) -> list[dict[str, Any]]:
    """The stream events for ``reply``, in the API's order, each a dict with its ``type``."""
    start = message_json(reply, model, message_id)
    start.update(content=[], stop_reason=None, usage=usage_of(reply, output_tokens=1))
    events: list[dict[str, Any]] = [{"type": "message_start", "message": start}, {"type": "ping"}]
    for index, block in enumerate(reply.blocks):
        if isinstance(block, Text):
            events.append(
                {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}
            )
            events += [
                {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": p}}
                for p in split_text(block.text)
            ]
        elif isinstance(block, Thinking):
            events.append(
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {"type": "thinking", "thinking": "", "signature": ""},
                }
            )
            events += [
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "thinking_delta", "thinking": p},
                }
                for p in split_text(block.thinking)
            ]
            events.append(
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "signature_delta", "signature": block.signature},
                }
            )
        else:
            events.append(
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {"type": "tool_use", "id": block.id, "name": block.name, "input": {}},
                }
            )
            pieces = split_text(json.dumps(block.input))
            if reply.stop_reason == "max_tokens" and index == len(reply.blocks) - 1:
                pieces = pieces[
                    :-1
                ]  # the limit struck mid-call: the input JSON just stops, as the API's does
            events += [
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": p},
                }
                for p in pieces
            ]
        events.append({"type": "content_block_stop", "index": index})
    events.append({"type": "ping"})  # the API sends them at any point; clients must skip them
    events.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
            "usage": usage_of(reply),
        }
    )
    events.append({"type": "message_stop"})
    return events


def encode_sse(events: list[dict[str, Any]]) -> list[bytes]:
    """Server-sent events, one chunk per event: ``event: <type>`` then ``data: <json>``."""
    return [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events]


def retry_headers(step: Fault) -> dict[str, str]:
    """``retry-after-ms`` besides the base class's ``retry-after``, as the API sends both."""
    if step.retry_after is None:
        return {}
    return {"retry-after-ms": str(int(step.retry_after * 1000))}


class MockAnthropicServer(MockServer):
    """The Anthropic Messages API on loopback. Point ``base_url`` (or ``ANTHROPIC_BASE_URL``) at
    :attr:`url`; any API key is accepted and recorded in :attr:`requests`."""

    default_model = "claude-sonnet-4-6"

    def handle(self, request: RecordedRequest) -> Response:
        if request.method != "POST" or not request.path.split("?")[0].endswith("/v1/messages"):
            body = error_body(404, f"mock: no route {request.method} {request.path}")
            return Response(404, {"content-type": "application/json"}, json.dumps(body).encode())
        step = self.next_step(request)
        payload = request.json if isinstance(request.json, dict) else {}
        return self.render(step, payload)

    def render(self, step: Step, payload: dict[str, Any]) -> Response:
        """The response for one scripted step to a Messages request ``payload``."""
        request_id = f"req_mock_{next(_ids):06d}"
        headers = {"request-id": request_id}
        model = payload.get("model") or self.default_model
        if isinstance(step, Fault) and step.kind == "status":
            body = error_body(step.status, step.message, error_code=step.error_code, request_id=request_id)
            return self.fault_response(step, body, {**headers, **retry_headers(step)})
        reply = self.reply_of(step)
        if not payload.get("stream"):
            resp = Response(200, {**headers, "content-type": "application/json"})
            resp.body = json.dumps(message_json(reply, model)).encode()
            return resp
        events = message_events(reply, model)
        if isinstance(step, Fault) and step.kind == "stream_error":
            events = [
                *events[: step.after_events],
                error_body(step.status, step.message, request_id=request_id),
            ]
        resp = self.stream_response(encode_sse(events), "text/event-stream", step)
        resp.headers.update(headers)
        return resp
