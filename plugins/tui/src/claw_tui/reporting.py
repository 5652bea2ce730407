"""The agent loop's reports as widgets in the conversation. Imported once the session starts, after the
first frame is drawn: it needs the loop's types (pydantic models), which cost start-up time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import claw

from claw_tui import render
from claw_tui.widgets import StreamingMarkdown, Thinking, ToolCall

if TYPE_CHECKING:
    from claw_tui.app import ClawTui


class TuiRenderer(claw.Renderer):
    """The agent loop's reports, as widgets in the conversation."""

    def __init__(self, ui: ClawTui) -> None:
        self.ui = ui
        self._text: dict[int, StreamingMarkdown] = {}
        self._thinking: dict[int, Thinking] = {}

    def stream_event(self, event: Any) -> None:
        if isinstance(event, claw.TextDelta) and event.text:
            view = self._text.get(event.index)
            if view is None:
                view = self._text[event.index] = StreamingMarkdown(self.ui.ui_theme, self.ui.follow)
                self.ui.add(view)
            view.append(event.text)
        elif isinstance(event, claw.ThinkingDelta) and event.thinking:
            thought = self._thinking.get(event.index)
            if thought is None:
                thought = self._thinking[event.index] = Thinking()
                self.ui.add(thought)
            thought.append(event.thinking)

    def assistant(self, message: Any, response: Any) -> None:
        for view in self._text.values():
            view.flush()
        self._text.clear()
        self._thinking.clear()
        for use in message.tool_uses:
            self.ui.add(ToolCall(use.id, use.name, use.input))

    def user(self, message: Any) -> None:
        for block in message.content:
            if isinstance(block, claw.ToolResultBlock):
                call = self.ui.tool_call(block.tool_use_id)
                if call is not None:
                    status = "error" if block.is_error else "ok"
                    call.finish(status, render.tool_result_text(block.content))

    def system(self, data: dict[str, Any]) -> None:
        if data.get("subtype") == "api_retry":
            self._text.clear()  # the retried answer streams again from its start
            self.ui.note(f"retrying the request (attempt {data.get('attempt')}): {data.get('error', '')}")
        elif data.get("subtype") == "compact_boundary":
            self.ui.note("compacted the conversation")
