"""Scripted model replies and faults, shared by the in-process scripted provider and the vendor mock
servers of the ``claw-testkit`` distribution.

A test says what the "model" answers, turn by turn, independent of the wire format::

    server.script(
        Reply(ToolCall("Read", {"file_path": "a.txt"})),
        Fault(status=529),                       # the next request gets an overloaded error
        Reply(Text("done"), usage=Usage(input_tokens=10, output_tokens=2)),
    )

Each request the server receives consumes the next item. A callable instead of a list
(``server.respond_with(fn)``) computes the reply from the request, for long scripted sessions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

_ids = itertools.count(1)


@dataclass
class Text:
    text: str


@dataclass
class Thinking:
    thinking: str
    signature: str = "sig-test"


@dataclass
class ToolCall:
    name: str
    input: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=lambda: f"toolu_{next(_ids):06d}")


@dataclass
class Usage:
    input_tokens: int = 10
    output_tokens: int = 5
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0


Block = Text | Thinking | ToolCall


@dataclass
class Reply:
    """One complete model response."""

    blocks: list[Block]
    usage: Usage = field(default_factory=Usage)
    #: Defaults to ``tool_use`` when the reply calls a tool, else ``end_turn``.
    stop_reason: str | None = None
    model: str | None = None

    def __init__(
        self,
        *blocks: Block,
        usage: Usage | None = None,
        stop_reason: str | None = None,
        model: str | None = None,
    ) -> None:
        self.blocks = list(blocks)
        self.usage = usage or Usage()
        self.stop_reason = stop_reason or (
            "tool_use" if any(isinstance(b, ToolCall) for b in blocks) else "end_turn"
        )
        self.model = model


@dataclass
class Fault:
    """A failure instead of a reply.

    - ``kind="status"``: answer ``status`` with the provider's error body (``message``) and headers
      (``retry_after`` sets ``retry-after``; ``error_code`` sets a vendor code such as
      ``enforced_spend_limit_reached`` / ``insufficient_quota``).
    - ``kind="cut"``: start streaming ``reply`` and drop the connection after ``after_events`` events.
    - ``kind="stall"``: start streaming ``reply`` and go silent for ``seconds`` after ``after_events``.
    - ``kind="stream_error"``: start streaming ``reply`` (HTTP 200) and, after ``after_events`` events,
      send the vendor's in-stream error event for ``status`` with ``message`` and end the stream
      (Anthropic's ``event: error``, e.g. ``overloaded_error`` mid-response).
    - ``kind="garbage"``: start streaming ``reply`` and, after ``after_events`` events, send one event
      whose data is not JSON, then the rest.
    - ``kind="pings"``: start streaming ``reply`` and, after ``after_events`` events, send only SSE
      keep-alive comments (one every ``ping_every`` seconds) for ``seconds``, then the rest.
    - ``kind="html"``: answer 200 with ``content-type: text/html`` and a web page (a proxy's login
      page, say) instead of a stream.
    """

    status: int = 500
    kind: Literal["status", "cut", "stall", "stream_error", "garbage", "pings", "html"] = "status"
    message: str = "scripted failure"
    retry_after: float | None = None
    error_code: str | None = None
    after_events: int = 2
    seconds: float = 30.0
    ping_every: float = 1.0
    reply: Reply | None = None


Step = Reply | Fault
