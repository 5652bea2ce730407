"""A loopback AWS Bedrock Runtime speaking ConverseStream's binary event-stream framing.

boto3 points at it with ``endpoint_url=server.url`` (or ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``) and
fake credentials. moto cannot stream Converse, hence this server. It answers
``POST /model/<model-id>/converse-stream`` with ``application/vnd.amazon.eventstream`` frames and
``POST /model/<model-id>/converse`` with one JSON document::

    with MockBedrockServer() as server:
        server.script(Reply(ToolCall("Read", {"file_path": "a.txt"})), Fault(status=429), Reply(Text("ok")))

A :class:`~claw.testing.script.Fault` with ``kind="status"`` answers an HTTP error with the body and
``x-amzn-errortype`` header botocore parses (429 ``ThrottlingException``, 503
``ServiceUnavailableException``, 403 ``AccessDeniedException``, ...; ``error_code`` names another
exception). ``Fault(kind="stream_error")`` streams part of the reply, then an exception frame
(``:message-type: exception``), the way Bedrock reports ``modelStreamErrorException`` and friends:
the status picks the exception (424 ``modelStreamErrorException``, 429 ``throttlingException``, 500
``internalServerException``, 503 ``serviceUnavailableException``, 400 ``validationException``) unless
``error_code`` names one.

With ``access_key`` set, requests signed with another access key id get Bedrock's 403
``UnrecognizedClientException``, so tests can exercise the authentication path.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any
from urllib.parse import unquote

from claw.testing.script import Fault, Reply, Step, Text, Thinking, ToolCall

from claw_testkit.server import MockServer, RecordedRequest, Response

EVENTSTREAM = "application/vnd.amazon.eventstream"

#: The Bedrock exception botocore reports for each scripted HTTP status.
EXCEPTION_FOR_STATUS = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


#: The in-stream exception (event-stream member name) for a ``Fault(kind="stream_error")`` status.
STREAM_EXCEPTION_FOR_STATUS = {
    400: "validationException",
    408: "modelTimeoutException",
    424: "modelStreamErrorException",
    429: "throttlingException",
    500: "internalServerException",
    503: "serviceUnavailableException",
}


def _header(name: str, value: str) -> bytes:
    key, val = name.encode(), value.encode()
    return bytes([len(key)]) + key + b"\x07" + len(val).to_bytes(2, "big") + val


def frame(headers: dict[str, str], payload: dict[str, Any]) -> bytes:
    """One event-stream message: prelude (lengths + CRC), string headers, JSON payload, message CRC."""
    head = b"".join(_header(k, v) for k, v in headers.items())
    body = json.dumps(payload).encode()
    prelude = struct.pack(">II", 16 + len(head) + len(body), len(head))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + head + body
    return message + struct.pack(">I", zlib.crc32(message))


def event_frame(event_type: str, payload: dict[str, Any]) -> bytes:
    return frame(
        {":event-type": event_type, ":content-type": "application/json", ":message-type": "event"}, payload
    )


def exception_frame(exception: str, message: str) -> bytes:
    return frame(
        {":exception-type": exception, ":content-type": "application/json", ":message-type": "exception"},
        {"message": message},
    )


def _halves(text: str) -> list[str]:
    cut = max(1, len(text) // 2)
    return [p for p in (text[:cut], text[cut:]) if p]


def converse_events(reply: Reply) -> list[tuple[str, dict[str, Any]]]:
    """The ConverseStream events (type, payload) of one scripted reply, deltas split in two."""
    events: list[tuple[str, dict[str, Any]]] = [("messageStart", {"role": "assistant"})]
    for index, block in enumerate(reply.blocks):
        if isinstance(block, Text):
            for part in _halves(block.text):
                events.append(("contentBlockDelta", {"contentBlockIndex": index, "delta": {"text": part}}))
        elif isinstance(block, Thinking):
            for part in _halves(block.thinking):
                delta = {"reasoningContent": {"text": part}}
                events.append(("contentBlockDelta", {"contentBlockIndex": index, "delta": delta}))
            delta = {"reasoningContent": {"signature": block.signature}}
            events.append(("contentBlockDelta", {"contentBlockIndex": index, "delta": delta}))
        elif isinstance(block, ToolCall):
            start = {"toolUse": {"toolUseId": block.id, "name": block.name}}
            events.append(("contentBlockStart", {"contentBlockIndex": index, "start": start}))
            for part in _halves(json.dumps(block.input)):
                delta = {"toolUse": {"input": part}}
                events.append(("contentBlockDelta", {"contentBlockIndex": index, "delta": delta}))
        events.append(("contentBlockStop", {"contentBlockIndex": index}))
    events.append(("messageStop", {"stopReason": reply.stop_reason or "end_turn"}))
    u = reply.usage
    usage = {
        "inputTokens": u.input_tokens,
        "outputTokens": u.output_tokens,
        "totalTokens": u.input_tokens
        + u.output_tokens
        + u.cache_read_input_tokens
        + u.cache_creation_input_tokens,
        "cacheReadInputTokens": u.cache_read_input_tokens,
        "cacheWriteInputTokens": u.cache_creation_input_tokens,
    }
    events.append(("metadata", {"usage": usage, "metrics": {"latencyMs": 12}}))
    return events


def converse_document(reply: Reply) -> dict[str, Any]:
    """The non-streaming ``Converse`` response for one scripted reply."""
    content: list[dict[str, Any]] = []
    for block in reply.blocks:
        if isinstance(block, Text):
            content.append({"text": block.text})
        elif isinstance(block, Thinking):
            text = {"text": block.thinking, "signature": block.signature}
            content.append({"reasoningContent": {"reasoningText": text}})
        else:
            content.append({"toolUse": {"toolUseId": block.id, "name": block.name, "input": block.input}})
    u = reply.usage
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": reply.stop_reason or "end_turn",
        "usage": {
            "inputTokens": u.input_tokens,
            "outputTokens": u.output_tokens,
            "totalTokens": u.input_tokens + u.output_tokens,
            "cacheReadInputTokens": u.cache_read_input_tokens,
            "cacheWriteInputTokens": u.cache_creation_input_tokens,
        },
        "metrics": {"latencyMs": 12},
    }


_PATH = re.compile(r"^/model/(?P<model>[^/]+)/(?P<op>converse-stream|converse)$")
_REQUEST_ID = {"x-amzn-requestid": "00000000-0000-4000-8000-000000000000"}
_CREDENTIAL = re.compile(r"Credential=(?P<key>[^/]+)/")


class MockBedrockServer(MockServer):
    """Bedrock Runtime Converse / ConverseStream on loopback. ``model_ids`` lists the models asked for.

    :param access_key: when set, the only access key id accepted (others get a 403).
    """

    def __init__(self, access_key: str | None = None) -> None:
        super().__init__()
        self.access_key = access_key
        self.model_ids: list[str] = []

    def handle(self, request: RecordedRequest) -> Response:
        match = _PATH.match(request.path.split("?")[0])
        if request.method != "POST" or match is None:
            return self._error(404, "UnknownOperationException", f"no route for {request.path}")
        if self.access_key is not None:
            signed = _CREDENTIAL.search(request.headers.get("authorization", ""))
            if signed is None or signed["key"] != self.access_key:
                return self._error(
                    403,
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                )
        self.model_ids.append(unquote(match["model"]))
        step: Step = self.next_step(request)
        if isinstance(step, Fault) and step.kind == "status":
            name = step.error_code or EXCEPTION_FOR_STATUS.get(step.status, "InternalServerException")
            headers = {} if step.retry_after is None else {"retry-after": str(step.retry_after)}
            return self._error(step.status, name, step.message, headers)
        if match["op"] == "converse":
            return Response(
                200,
                {"content-type": "application/json"},
                json.dumps(converse_document(self.reply_of(step))).encode(),
            )
        if isinstance(step, Fault) and step.kind == "stream_error":
            name = step.error_code or STREAM_EXCEPTION_FOR_STATUS.get(step.status, "internalServerException")
            frames = [event_frame(t, p) for t, p in converse_events(self.reply_of(step))[: step.after_events]]
            frames.append(exception_frame(name, step.message))
            return Response(200, {"content-type": EVENTSTREAM, **_REQUEST_ID}, chunks=frames)
        frames = [event_frame(t, p) for t, p in converse_events(self.reply_of(step))]
        response = self.stream_response(frames, EVENTSTREAM, step)
        response.headers.update(_REQUEST_ID)
        return response

    @staticmethod
    def _error(status: int, name: str, message: str, headers: dict[str, str] | None = None) -> Response:
        """An error the way Bedrock sends it: the type in ``x-amzn-errortype``, ``message`` in the body."""
        return Response(
            status,
            {
                "content-type": "application/json",
                "x-amzn-errortype": f"{name}:http://internal.amazon.com/coral/com.amazon.bedrock/",
                **_REQUEST_ID,
                **(headers or {}),
            },
            json.dumps({"message": message}).encode(),
        )
