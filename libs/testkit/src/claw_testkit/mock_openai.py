"""A loopback server speaking the OpenAI APIs (and so any OpenAI-compatible server's), for tests.

Two endpoints, each streamed (``"stream": true``) or not, answering every request with the next
scripted :class:`~claw.testing.script.Step`:

- ``POST /v1/chat/completions``: ``chat.completion.chunk`` lines ending with ``data: [DONE]``. Tool
  calls arrive as deltas keyed by ``index`` (the first fragment carries ``id`` and ``name``, later ones
  only ``arguments`` pieces); with ``stream_options.include_usage`` a last chunk with empty
  ``choices`` carries ``usage`` (``prompt_tokens_details.cached_tokens``). Thinking is sent as
  ``delta.reasoning_content``, the field vLLM, llama.cpp and DeepSeek use.
- ``POST /v1/responses``: typed events with ``sequence_number`` (``response.created``,
  ``response.in_progress``, ``response.output_item.added``, ``response.content_part.added``,
  ``response.output_text.delta``, ``response.function_call_arguments.delta``, reasoning summary
  events, ..., ``response.completed`` with usage). Thinking becomes a ``reasoning`` item whose summary
  is the text and whose ``encrypted_content`` is the scripted signature.

Token counts: the script's ``input_tokens`` is the uncached part (Anthropic's meaning), so the mock
reports ``prompt_tokens``/``input_tokens`` as input + cache reads + cache writes, with the reads as
``cached_tokens`` and the writes as ``cache_write_tokens``, as OpenAI does.

Faults answer OpenAI's error body ``{"error": {"message", "type", "param", "code"}}`` with
``x-request-id``, ``retry-after`` and ``retry-after-ms``; ``Fault(status=429,
error_code="insufficient_quota")`` is the fatal quota error.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from claw.testing.script import Fault, Reply, Step, Text, Thinking, ToolCall

from claw_testkit.mock_anthropic import retry_headers, split_text
from claw_testkit.server import MockServer, RecordedRequest, Response

_ids = itertools.count(1)

#: ``(type, code)`` of the error body per HTTP status.
ERRORS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", None),
}

FINISH_REASONS = {
    "end_turn": "stop",
    "tool_use": "tool_calls",
    "max_tokens": "length",
    "refusal": "content_filter",
}


def error_body(status: int, message: str, *, error_code: str | None = None) -> dict[str, Any]:
    kind, code = ERRORS.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
    if error_code:
        code = error_code
        if error_code == "insufficient_quota":
            kind = "insufficient_quota"
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _usage_numbers(reply: Reply) -> tuple[int, int, int, int]:
    u = reply.usage
    prompt = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens
    return prompt, u.cache_read_input_tokens, u.cache_creation_input_tokens, u.output_tokens


def chat_usage(reply: Reply) -> dict[str, Any]:
    prompt, cached, written, output = _usage_numbers(reply)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": output,
        "total_tokens": prompt + output,
        "prompt_tokens_details": {"cached_tokens": cached, "cache_write_tokens": written},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def responses_usage(reply: Reply) -> dict[str, Any]:
    prompt, cached, written, output = _usage_numbers(reply)
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": written},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + output,
    }


def _sse_data(obj: Any) -> bytes:
    return f"data: {json.dumps(obj)}\n\n".encode()


# --- chat completions ------------------------------------------------------------------------


def chat_completion(reply: Reply, model: str) -> dict[str, Any]:
    """The non-streamed ``chat.completion`` for ``reply``."""
    text = "".join(b.text for b in reply.blocks if isinstance(b, Text))
    thinking = "".join(b.thinking for b in reply.blocks if isinstance(b, Thinking))
    message: dict[str, Any] = {"role": "assistant", "content": text or None, "refusal": None}
    calls = [b for b in reply.blocks if isinstance(b, ToolCall)]
    if calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": json.dumps(c.input)}}
            for c in calls
        ]
    if thinking:
        message["reasoning_content"] = thinking
    return {
        "id": f"chatcmpl-mock{next(_ids):06d}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": reply.model or model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": FINISH_REASONS.get(reply.stop_reason or "", "stop"),
            }
        ],
        "usage": chat_usage(reply),
    }


def chat_chunks(reply: Reply, model: str, *, include_usage: bool) -> list[dict[str, Any]]:
    """The ``chat.completion.chunk`` objects for ``reply`` (without the ``[DONE]`` sentinel)."""
    base = {
        "id": f"chatcmpl-mock{next(_ids):06d}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": reply.model or model,
        "system_fingerprint": None,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        out = {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        if include_usage:
            out["usage"] = None
        return out

    chunks = [chunk({"role": "assistant", "content": ""})]
    tool_index = 0
    for block in reply.blocks:
        if isinstance(block, Thinking):
            chunks += [chunk({"reasoning_content": p}) for p in split_text(block.thinking)]
        elif isinstance(block, Text):
            chunks += [chunk({"content": p}) for p in split_text(block.text)]
        else:
            first = {
                "index": tool_index,
                "id": block.id,
                "type": "function",
                "function": {"name": block.name, "arguments": ""},
            }
            chunks.append(chunk({"tool_calls": [first]}))
            chunks += [
                chunk({"tool_calls": [{"index": tool_index, "function": {"arguments": p}}]})
                for p in split_text(json.dumps(block.input))
            ]
            tool_index += 1
    chunks.append(chunk({}, FINISH_REASONS.get(reply.stop_reason or "", "stop")))
    if include_usage:
        chunks.append({**base, "choices": [], "usage": chat_usage(reply)})
    return chunks


# --- responses -------------------------------------------------------------------------------


def _output_items(reply: Reply) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for block in reply.blocks:
        n = next(_ids)
        if isinstance(block, Thinking):
            items.append(
                {
                    "id": f"rs_mock{n:06d}",
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": block.thinking}],
                    "encrypted_content": block.signature,
                    "status": "completed",
                }
            )
        elif isinstance(block, Text):
            items.append(
                {
                    "id": f"msg_mock{n:06d}",
                    "type": "message",
                    "role": "assistant",
                    "status": "completed",
                    "content": [
                        {"type": "output_text", "text": block.text, "annotations": [], "logprobs": []}
                    ],
                }
            )
        else:
            items.append(
                {
                    "id": f"fc_mock{n:06d}",
                    "type": "function_call",
                    "call_id": block.id,
                    "name": block.name,
                    "arguments": json.dumps(block.input),
                    "status": "completed",
                }
            )
    return items


def response_json(
    reply: Reply, model: str, *, status: str = "completed", items: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A ``response`` object; ``status="in_progress"`` gives the one ``response.created`` carries."""
    done = status != "in_progress"
    incomplete = done and reply.stop_reason == "max_tokens"
    return {
        "id": f"resp_mock{next(_ids):06d}",
        "object": "response",
        "created_at": time.time(),
        "model": reply.model or model,
        "status": "incomplete" if incomplete else status,
        "output": (items if items is not None else _output_items(reply)) if done else [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "error": None,
        "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
        "usage": responses_usage(reply) if done else None,
    }


def response_events(reply: Reply, model: str) -> list[dict[str, Any]]:
    """The typed events for ``reply`` in the API's order, numbered by ``sequence_number``."""
    items = _output_items(reply)
    start = response_json(reply, model, status="in_progress")
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": start},
        {"type": "response.in_progress", "response": start},
    ]
    for oi, item in enumerate(items):
        ref = {"item_id": item["id"], "output_index": oi}
        if item["type"] == "reasoning":
            text = item["summary"][0]["text"]
            events.append(
                {
                    "type": "response.output_item.added",
                    "output_index": oi,
                    "item": {**item, "summary": [], "status": "in_progress"},
                }
            )
            part = {"type": "summary_text", "text": ""}
            events.append(
                {"type": "response.reasoning_summary_part.added", **ref, "summary_index": 0, "part": part}
            )
            events += [
                {"type": "response.reasoning_summary_text.delta", **ref, "summary_index": 0, "delta": p}
                for p in split_text(text)
            ]
            events.append(
                {"type": "response.reasoning_summary_text.done", **ref, "summary_index": 0, "text": text}
            )
            events.append(
                {
                    "type": "response.reasoning_summary_part.done",
                    **ref,
                    "summary_index": 0,
                    "part": {**part, "text": text},
                }
            )
        elif item["type"] == "message":
            text = item["content"][0]["text"]
            events.append(
                {
                    "type": "response.output_item.added",
                    "output_index": oi,
                    "item": {**item, "content": [], "status": "in_progress"},
                }
            )
            part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
            events.append({"type": "response.content_part.added", **ref, "content_index": 0, "part": part})
            events += [
                {"type": "response.output_text.delta", **ref, "content_index": 0, "delta": p, "logprobs": []}
                for p in split_text(text)
            ]
            events.append(
                {"type": "response.output_text.done", **ref, "content_index": 0, "text": text, "logprobs": []}
            )
            events.append(
                {
                    "type": "response.content_part.done",
                    **ref,
                    "content_index": 0,
                    "part": {**part, "text": text},
                }
            )
        else:
            events.append(
                {
                    "type": "response.output_item.added",
                    "output_index": oi,
                    "item": {**item, "arguments": "", "status": "in_progress"},
                }
            )
            events += [
                {"type": "response.function_call_arguments.delta", **ref, "delta": p}
                for p in split_text(item["arguments"])
            ]
            events.append(
                {
                    "type": "response.function_call_arguments.done",
                    **ref,
                    "name": item["name"],
                    "arguments": item["arguments"],
                }
            )
        events.append({"type": "response.output_item.done", "output_index": oi, "item": item})
    final = response_json(reply, model, items=items)
    final["id"] = start["id"]
    events.append({"type": f"response.{final['status']}", "response": final})
    return [{**e, "sequence_number": i} for i, e in enumerate(events)]


def encode_typed_sse(events: list[dict[str, Any]]) -> list[bytes]:
    return [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events]


class MockOpenAIServer(MockServer):
    """OpenAI's chat completions and responses APIs on loopback. Point ``base_url`` at
    :attr:`base_url` (``<url>/v1``); any API key, or none, is accepted."""

    default_model = "gpt-5.4-mini"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def handle(self, request: RecordedRequest) -> Response:
        path = request.path.split("?")[0].rstrip("/")
        api = (
            "chat"
            if path.endswith("/chat/completions")
            else "responses"
            if path.endswith("/responses")
            else None
        )
        if request.method != "POST" or api is None:
            body = error_body(404, f"mock: no route {request.method} {request.path}")
            return Response(404, {"content-type": "application/json"}, json.dumps(body).encode())
        step = self.next_step(request)
        payload = request.json if isinstance(request.json, dict) else {}
        return self.render(api, step, payload)

    def render(self, api: str, step: Step, payload: dict[str, Any]) -> Response:
        request_id = f"req_mock{next(_ids):06d}"
        headers = {"x-request-id": request_id}
        model = payload.get("model") or self.default_model
        if isinstance(step, Fault) and step.kind == "status":
            body = error_body(step.status, step.message, error_code=step.error_code)
            return self.fault_response(step, body, {**headers, **retry_headers(step)})
        reply = self.reply_of(step)
        if not payload.get("stream"):
            obj = chat_completion(reply, model) if api == "chat" else response_json(reply, model)
            return Response(200, {**headers, "content-type": "application/json"}, json.dumps(obj).encode())
        stream_error = isinstance(step, Fault) and step.kind == "stream_error"
        if api == "chat":
            include_usage = bool((payload.get("stream_options") or {}).get("include_usage"))
            chunks = [_sse_data(c) for c in chat_chunks(reply, model, include_usage=include_usage)]
            if stream_error:
                assert isinstance(step, Fault)
                err = error_body(step.status, step.message, error_code=step.error_code)
                chunks = [*chunks[: step.after_events], _sse_data(err)]
            else:
                chunks.append(b"data: [DONE]\n\n")
        else:
            events = response_events(reply, model)
            if stream_error:
                assert isinstance(step, Fault)
                err = error_body(step.status, step.message, error_code=step.error_code)["error"]
                events = [
                    *events[: step.after_events],
                    {
                        "type": "error",
                        "code": err["code"] or err["type"],
                        "message": step.message,
                        "param": None,
                        "sequence_number": step.after_events,
                    },
                ]
            chunks = encode_typed_sse(events)
        resp = self.stream_response(chunks, "text/event-stream", step)
        resp.headers.update(headers)
        return resp
