"""A conversation as Markdown, for ``/export``: what was said and done, complete (the timeline is the
one-line-per-event view; this is the readable transcript)."""

from __future__ import annotations

import json

from claw import ImageBlock, Message, TextBlock, ToolResultBlock, ToolUseBlock


def markdown(session_id: str, messages: list[Message]) -> str:
    parts = [f"# Session {session_id}"]
    for message in messages:
        blocks = [text for block in message.content if (text := _block(block))]
        if blocks:
            parts.append(f"## {message.role.capitalize()}\n\n" + "\n\n".join(blocks))
    return "\n\n".join(parts) + "\n"


def _block(block: object) -> str:
    if isinstance(block, TextBlock):
        return block.text.strip()
    if isinstance(block, ToolUseBlock):
        return f"**{block.name}** `{json.dumps(block.input, ensure_ascii=False)}`"
    if isinstance(block, ToolResultBlock):
        content = block.content
        text = content if isinstance(content, str) else "\n".join(_block(c) for c in content)
        label = "error" if block.is_error else "result"
        return f"{label}:\n\n```\n{text.strip()}\n```"
    if isinstance(block, ImageBlock):
        return "(image)"
    return ""  # thinking is not part of the conversation a reader wants
