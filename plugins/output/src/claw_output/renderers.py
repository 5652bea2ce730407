"""What a run prints on stdout: ``--output-format text|json|stream-json``.

The agent loop reports to a :class:`claw.Renderer`; the three formats are three renderers. The JSON shapes
are Claude Code's (``claude -p --output-format json|stream-json``): the loop builds the ``result``,
:class:`StreamJsonRenderer` the ``system`` messages and the assistant and user messages and :func:`anthropic_events`
the ``--include-partial-messages`` events, so tools that parse Claude Code's output can parse claw's. Only the requested output goes to stdout; diagnostics go to stderr.
"""

from __future__ import annotations

import uuid
from typing import Any, TextIO

from claw import (
    VERSION,
    Message,
    ModelResponse,
    Renderer,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseStart,
    dumps,
)

#: What ``system/init`` reports as ``claude_code_version``: the Claude Code protocol level claw implements,
#: so that an Agent SDK gating features on the number enables only those claw honours (the SDK's gates, and
#: when to raise it: docs/agent-sdk.md, "What differs from Claude Code").
CLAUDE_CODE_PROTOCOL_VERSION = "2.0.0"

#: Claude Code's name of its normal output style (the ``output_style`` when no plugin reported one).
DEFAULT_STYLE = "default"


class TextRenderer(Renderer):
    """``text``: the answer's text streamed as it arrives, then a newline.

    A retried request streams its answer again from the start. Piped or redirected, the text already
    printed is not printed twice: the new attempt's text is held back while it repeats what is shown
    and only the rest is printed (if the new attempt goes differently, it starts on a fresh line).
    On a terminal, where the retry notice on stderr interrupts the line anyway, the new attempt
    starts on a fresh line.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._open = False
        #: The current attempt's text so far, and what stdout shows of the message when a retry
        #: started (``None``: nothing to hold back).
        self._attempt = ""
        self._shown: str | None = None

    def stream_event(self, event: StreamEvent) -> None:
        if not (isinstance(event, TextDelta) and event.text):
            return
        self._attempt += event.text
        shown = self._shown
        if shown is None:
            self._write(event.text)
        elif not shown.startswith(self._attempt):  # past what is shown, or different
            self._shown = None
            same = self._attempt.startswith(shown)
            self._write(self._attempt[len(shown) :] if same else "\n" + self._attempt)

    def assistant(self, message: Message, response: ModelResponse) -> None:
        self._end_line()  # separate one message's text from the next
        self._attempt, self._shown = "", None

    def system(self, data: dict[str, Any]) -> None:
        if data.get("subtype") != "api_retry":
            return
        if _isatty(self.out):
            self._end_line()
            self._attempt, self._shown = "", None
        else:
            if self._shown is None:
                self._shown = self._attempt
            self._attempt = ""

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
        self._open = True

    def _end_line(self) -> None:
        if self._open:
            self.out.write("\n")
            self.out.flush()
            self._open = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class JsonRenderer(Renderer):
    """``json``: one result object, printed at the end."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def result(self, data: dict[str, Any]) -> None:
        self.out.write(dumps(data) + "\n")
        self.out.flush()


class StreamJsonRenderer(Renderer):
    """``stream-json``: one JSON object per line as things happen (``--verbose`` required with ``-p``).

    :param partial: also print ``stream_event`` lines for each delta (``--include-partial-messages``),
        each naming the session its ``system``/``init`` message announced.
    """

    def __init__(self, out: TextIO, partial: bool = False) -> None:
        self.out = out
        self.partial = partial
        self.session_id = ""
        self._started: set[int] = set()

    def _line(self, data: dict[str, Any]) -> None:
        self.out.write(dumps(data) + "\n")
        self.out.flush()

    def init(self, facts: dict[str, Any]) -> None:
        """Claude Code's ``system``/``init`` message, plus claw's ``sandbox`` (what confines commands).
        The output style, agents and skills are what plugins reported (:attr:`claw.SessionContext.facts`):
        Claude Code's ``default`` style and none of the others without them."""
        self.session_id = facts["session_id"]
        self._line(
            {
                "type": "system",
                "subtype": "init",
                "cwd": facts["cwd"],
                "session_id": facts["session_id"],
                "tools": facts["tools"],
                "mcp_servers": facts["mcp_servers"],
                "model": facts["model"],
                "permissionMode": facts["permissionMode"],
                "slash_commands": facts["slash_commands"],
                "apiKeySource": facts["apiKeySource"],
                "output_style": facts.get("output_style", DEFAULT_STYLE),
                "agents": [a["name"] for a in facts.get("agents", [])],
                "skills": facts.get("skills", []),
                "plugins": facts["plugins"],
                "claude_code_version": CLAUDE_CODE_PROTOCOL_VERSION,
                "claw_version": VERSION,
                "sandbox": facts["sandbox"],
                "uuid": str(uuid.uuid4()),
            }
        )

    def system(self, data: dict[str, Any]) -> None:
        """Claude Code's ``system`` message (``api_retry``, ``compact_boundary``) from the loop's fields."""
        if data.get("subtype") == "api_retry":
            self._started.clear()  # the retried stream starts its blocks again
        self._line({"type": "system", **data, "uuid": str(uuid.uuid4())})

    def stream_event(self, event: StreamEvent) -> None:
        if self.partial:
            for ev in anthropic_events(event, self._started):
                self._line(stream_event(ev, self.session_id))

    def assistant(self, message: Message, response: ModelResponse) -> None:
        """Claude Code's ``SDKAssistantMessage`` (after the partial events' block and message stops)."""
        if self.partial:
            for i in sorted(self._started):
                self._line(stream_event({"type": "content_block_stop", "index": i}, self.session_id))
            self._line(stream_event({"type": "message_stop"}, self.session_id))
            self._started.clear()
        body = {
            "id": response.id or f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": response.model,
            "content": _content(message),
            "stop_reason": response.stop_reason,
            "stop_sequence": None,
            "usage": response.usage.model_dump(),
        }
        self._line(_envelope("assistant", "message", body, self.session_id))

    def user(self, message: Message) -> None:
        """Claude Code's ``SDKUserMessage``: tool results going back to the model."""
        body = {"role": "user", "content": _content(message)}
        self._line(_envelope("user", "message", body, self.session_id))

    def result(self, data: dict[str, Any]) -> None:
        self._line(data)

    def hook_run(self, record: dict[str, Any], session_id: str) -> None:
        """``--include-hook-events``: Claude Code's ``hook_started`` and ``hook_response`` system messages
        for one hook run; claw reports a hook when it has finished, so both come together."""
        base = {
            "type": "system",
            "hook_id": str(uuid.uuid4()),
            "hook_name": f"{record['event']}:{record['hook']}",
            "hook_event": record["event"],
            "session_id": session_id,
        }
        failed = "error" in record or record.get("outcome") == "timeout"
        self._line({**base, "subtype": "hook_started", "uuid": str(uuid.uuid4())})
        self._line(
            {
                **base,
                "subtype": "hook_response",
                "output": record.get("error", ""),
                "stdout": "",
                "stderr": record.get("error", ""),
                "exit_code": record.get("exit_code"),
                "outcome": "error" if failed else "success",
                "decision": record.get("outcome"),
                "uuid": str(uuid.uuid4()),
            }
        )


def anthropic_events(event: StreamEvent, started: set[int]) -> list[dict[str, Any]]:
    """The Anthropic streaming events (``content_block_start`` / ``content_block_delta``) for one of a
    provider's deltas, whatever the provider. ``started`` holds the block indexes already opened."""
    out: list[dict[str, Any]] = []
    i = event.index  # type: ignore[union-attr]
    if isinstance(event, ToolUseStart):
        started.add(i)
        block = {"type": "tool_use", "id": event.id, "name": event.name, "input": {}}
        return [{"type": "content_block_start", "index": i, "content_block": block}]
    if isinstance(event, TextDelta):
        first, delta = {"type": "text", "text": ""}, {"type": "text_delta", "text": event.text}
    elif isinstance(event, ThinkingDelta):
        first = {"type": "thinking", "thinking": "", "signature": ""}
        delta = {"type": "thinking_delta", "thinking": event.thinking}
    elif isinstance(event, ToolInputDelta):
        first, delta = (
            {"type": "tool_use", "input": {}},
            {"type": "input_json_delta", "partial_json": event.partial_json},
        )
    else:
        return out
    if i not in started:
        started.add(i)
        out.append({"type": "content_block_start", "index": i, "content_block": first})
    out.append({"type": "content_block_delta", "index": i, "delta": delta})
    return out


def stream_event(event: dict[str, Any], session_id: str) -> dict[str, Any]:
    """A ``--include-partial-messages`` line wrapping one Anthropic streaming event."""
    return _envelope("stream_event", "event", event, session_id)


def _envelope(kind: str, key: str, body: dict[str, Any], session_id: str) -> dict[str, Any]:
    """A stream-json line of the main thread's conversation: ``body`` under ``key``."""
    return {
        "type": kind,
        key: body,
        "parent_tool_use_id": None,
        "session_id": session_id,
        "uuid": str(uuid.uuid4()),
    }


def _content(message: Message) -> list[dict[str, Any]]:
    return [b.model_dump(mode="json", exclude_none=True) for b in message.content]


def make_renderer(fmt: str, partial: bool, out: TextIO) -> Renderer | None:
    """The renderer of ``--output-format fmt`` writing to ``out``; ``None`` for another format."""
    if fmt == "json":
        return JsonRenderer(out)
    if fmt == "stream-json":
        return StreamJsonRenderer(out, partial=partial)
    return TextRenderer(out) if fmt == "text" else None
