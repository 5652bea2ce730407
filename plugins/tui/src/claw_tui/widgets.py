"""The conversation's widgets: streamed answers, thinking, tool calls, notes; and the prompt.

Every widget draws with :mod:`claw_tui.render`, the renderer ``claw timeline`` uses too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Collapsible, Static, TextArea

from claw_tui import render

#: Seconds between redraws of the paragraph being streamed (finished paragraphs are drawn once).
REDRAW = 0.05

#: Lines the block being redrawn grows to before its finished part is cut off and drawn once: fewer,
#: larger blocks keep the layout cheap as an answer grows (each block is a widget).
BLOCK_LINES = 40

#: Pastes longer than this (characters or lines) show as one placeholder in the prompt.
PASTE_CHARS = 1000
PASTE_LINES = 12

_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)


class StreamingMarkdown(Vertical):
    """An answer drawn as it streams. Text is cut into finished blocks at blank lines outside code
    fences; each finished block is drawn once, and only the block still arriving is redrawn (at most
    every :data:`REDRAW` seconds), so a long answer costs the same per token at its end as at its start.
    """

    DEFAULT_CSS = "StreamingMarkdown { height: auto; } StreamingMarkdown > Static { height: auto; }"

    def __init__(self, theme: str, on_flush: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.ui_theme = theme
        #: Called after each redraw (the conversation follows the answer at that pace, not per token).
        self.on_flush = on_flush
        self.text = ""
        self._tail = ""
        self._tail_view: Static | None = None
        self._dirty = False
        self._last = 0.0

    def append(self, delta: str) -> None:
        self.text += delta
        self._tail += delta
        cut = _safe_cut(self._tail) if self._tail.count("\n") >= BLOCK_LINES else 0
        if cut:
            done, self._tail = self._tail[:cut], self._tail[cut:]
            self.mount(Static(render.markdown(done, self.ui_theme)), before=self._tail_view)
        self._schedule()

    def _schedule(self) -> None:
        if self._dirty:
            return
        self._dirty = True
        wait = max(0.001, REDRAW - (time.monotonic() - self._last))
        self.set_timer(wait, self.flush)

    def flush(self) -> None:
        """Draw the block still arriving now."""
        self._dirty = False
        self._last = time.monotonic()
        content = render.markdown(self._tail, self.ui_theme) if self._tail.strip() else Text("")
        if self._tail_view is None:
            self._tail_view = Static(content)
            self.mount(self._tail_view)
        else:
            self._tail_view.update(content)
        if self.on_flush is not None:
            self.on_flush()


def _safe_cut(text: str) -> int:
    """Where ``text`` can be cut into a finished part: after its last blank line outside a code fence."""
    cut = 0
    start = 0
    while (at := text.find("\n\n", start)) != -1:
        if len(_FENCE.findall(text, 0, at)) % 2 == 0:
            cut = at + 2
        start = at + 2
    return cut


class Thinking(Collapsible):
    """The model's thinking, dimmed and collapsed (click or Enter on the title opens it)."""

    def __init__(self) -> None:
        self.body = Static(Text(""))
        super().__init__(self.body, title="thinking", collapsed=True)
        self.text = ""

    def append(self, delta: str) -> None:
        self.text += delta
        self.body.update(render.thinking(self.text))


class ToolCall(Static, can_focus=True):
    """A tool call as one line (tool, key argument, status, duration); click or Enter shows its input
    (a diff for Edit/Write) and its output."""

    BINDINGS = [Binding("enter", "toggle", "expand", show=False)]
    DEFAULT_CSS = "ToolCall { height: auto; } ToolCall:focus { background: $boost; }"

    expanded: reactive[bool] = reactive(False)

    def __init__(self, tool_use_id: str, name: str, tool_input: Mapping[str, Any]) -> None:
        super().__init__()
        self.tool_use_id = tool_use_id
        self.tool_name = name
        self.tool_input = dict(tool_input)
        self.status = "running"
        self.output: str | None = None
        self._started = time.monotonic()
        self.seconds: float | None = None

    def finish(self, status: str, output: str | None) -> None:
        self.status, self.output = status, output
        self.seconds = time.monotonic() - self._started
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        line = render.tool_line(self.tool_name, self.tool_input, self.status, self.seconds)
        if not self.expanded:
            return line
        return Group(line, render.tool_detail(self.tool_name, self.tool_input, self.output))

    def on_click(self) -> None:
        self.action_toggle()

    def action_toggle(self) -> None:
        self.expanded = not self.expanded

    def watch_expanded(self) -> None:
        self.refresh(layout=True)


class Note(Static):
    """A line from claw itself (a command's report, an error, a shell command's output)."""

    DEFAULT_CSS = "Note { height: auto; color: $text-muted; } Note.error { color: $error; }"

    def __init__(self, text: str, *, error: bool = False) -> None:
        super().__init__(Text(render.clean(text)), classes="error" if error else "")


class Prompt(TextArea):
    """Multi-line input: Enter sends, Ctrl-J (or ``\\`` then Enter) starts a new line, Up on the first
    line and Down on the last go through earlier prompts. A large paste shows as one placeholder
    (``[pasted text #1: 2000 lines]``) and is sent in full."""

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Recall(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Complete(Message):
        """Tab: complete the ``/command`` or ``@path`` being typed."""

    def __init__(self) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, compact=True, id="prompt")
        self.pastes: dict[str, str] = {}

    async def _on_key(self, event: events.Key) -> None:
        row, _ = self.cursor_location
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            if self.text.endswith("\\") and self.cursor_location == self.document.end:
                self.replace("\n", (row, len(self.document.get_line(row)) - 1), self.document.end)
                return
            self.post_message(self.Submitted(self.expanded_text()))
        elif event.key == "ctrl+j":
            event.prevent_default()
            event.stop()
            self.insert("\n")
        elif event.key == "tab":
            event.prevent_default()
            event.stop()
            self.post_message(self.Complete())
        elif event.key == "up" and row == 0:
            event.prevent_default()
            event.stop()
            self.post_message(self.Recall(-1))
        elif event.key == "down" and row == self.document.line_count - 1:
            event.prevent_default()
            event.stop()
            self.post_message(self.Recall(1))
        else:
            await super()._on_key(event)

    async def _on_paste(self, event: events.Paste) -> None:
        text = event.text
        if len(text) <= PASTE_CHARS and text.count("\n") < PASTE_LINES:
            return await super()._on_paste(event)
        event.prevent_default()
        event.stop()
        label = f"[pasted text #{len(self.pastes) + 1}: {text.count(chr(10)) + 1} lines, {len(text)} chars]"
        self.pastes[label] = text
        self.insert(label)

    def expanded_text(self) -> str:
        """The prompt as sent: placeholders replaced by what was pasted."""
        text = self.text
        for label, pasted in self.pastes.items():
            text = text.replace(label, pasted)
        return text

    def reset(self, text: str = "") -> None:
        self.pastes.clear()
        self.load_text(text)
        self.move_cursor(self.document.end)
