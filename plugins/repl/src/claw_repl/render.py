"""What the line REPL prints as a turn goes: the answer on stdout (:meth:`claw.CommandContext.renderer`),
and one line per tool call and per failed tool result on stderr, so the person sees what the model does."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import claw


def notice_lines(notices: list[str]) -> list[str]:
    """One line per notice saying what ended (the TUI's wording): the ``<summary>`` of each
    ``<task-notification>``, else the notice itself, on one line."""
    lines: list[str] = []
    for text in notices:
        for summary in [told.summary for told in claw.TaskNotification.find(text)] or [text]:
            line = " ".join(summary.split())
            lines.append("⚑ " + (line[:200] + "..." if len(line) > 200 else line))
    return lines


class ReplRenderer(claw.Renderer):
    """The REPL: ``text``'s output on stdout, plus one line per tool call and failed result on stderr.

    :param text: the ``text`` renderer, which receives every call.
    """

    def __init__(self, text: claw.Renderer, err: TextIO | None = None) -> None:
        self.text = text
        self.err = err or sys.stderr

    def system(self, data: dict[str, Any]) -> None:
        self.text.system(data)

    def stream_event(self, event: claw.StreamEvent) -> None:
        self.text.stream_event(event)

    def assistant(self, message: claw.Message, response: claw.ModelResponse) -> None:
        self.text.assistant(message, response)
        for use in message.tool_uses:
            args = json.dumps(use.input, ensure_ascii=False)
            self.err.write(f"  -> {use.name}({args[:120] + '...' if len(args) > 120 else args})\n")
        self.err.flush()

    def user(self, message: claw.Message) -> None:
        self.text.user(message)
        for block in message.content:
            if isinstance(block, claw.ToolResultBlock) and block.is_error:
                text = block.content if isinstance(block.content, str) else "error"
                self.err.write(f"  <- error: {' '.join(text.split())[:200]}\n")
        self.err.flush()

    def result(self, data: dict[str, Any]) -> None:
        self.text.result(data)
