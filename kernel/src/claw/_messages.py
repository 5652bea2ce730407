"""Messages and content blocks.

The shapes are Anthropic's Messages API shapes, because they are what ``--output-format json`` and
``stream-json`` print (Claude Code compatibility) and because they carry everything the other
providers need. Providers translate to and from their wire formats at the edge.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, field_validator

from claw._model import Model
from claw._text import model_text

#: Text for the model: whatever built a block (a prompt from argv or stdin, a tool's output, a hook's
#: context), bytes that were not UTF-8 arrive as U+FFFD, never as surrogate escapes that cannot be sent
#: or saved (:mod:`claw._text`).
ModelText = Annotated[str, AfterValidator(model_text)]


class _Block(Model):
    # Assignments are validated too, so text set after construction is :data:`ModelText` as well.
    model_config = ConfigDict(extra="allow", validate_assignment=True)


class TextBlock(_Block):
    type: Literal["text"] = "text"
    text: ModelText


class ImageSource(Model):
    type: Literal["base64"] = "base64"
    media_type: str
    data: str


class ImageBlock(_Block):
    type: Literal["image"] = "image"
    source: ImageSource
    #: When set, the session file keeps this text (as a text block) instead of the image: a tool's
    #: screenshot is large and stale once the turn is over, so only a reference to it is stored (a
    #: resumed session shows the model the text). Never sent to a model or printed (``exclude``).
    session_placeholder: str | None = Field(default=None, exclude=True)


class ToolUseBlock(_Block):
    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: dict[str, Any] = Field(default_factory=dict)


class ToolResultBlock(_Block):
    type: Literal["tool_result"] = "tool_result"
    tool_use_id: str
    content: ModelText | list[TextBlock | ImageBlock] = ""
    is_error: bool = False


class ThinkingBlock(_Block):
    """Model reasoning. ``signature`` must be sent back unchanged in the next request."""

    type: Literal["thinking"] = "thinking"
    thinking: str
    signature: str = ""


class RedactedThinkingBlock(_Block):
    type: Literal["redacted_thinking"] = "redacted_thinking"
    data: str


ContentBlock = Annotated[
    TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock | RedactedThinkingBlock,
    Field(discriminator="type"),
]


class Message(Model):
    """One conversation message. A plain string ``content`` is normalised to one text block."""

    role: Literal["user", "assistant"]
    content: list[ContentBlock]

    @field_validator("content", mode="before")
    @classmethod
    def _text_content(cls, value: Any) -> Any:
        return [{"type": "text", "text": value}] if isinstance(value, str) else value

    def stored(self) -> dict[str, Any]:
        """The message as the session file keeps it: JSON, with every image that has a
        :attr:`ImageBlock.session_placeholder` (also inside tool results) replaced by that text."""
        data = self.model_dump(mode="json", exclude_none=True)
        for block, raw in zip(self.content, data["content"], strict=True):
            if isinstance(block, ToolResultBlock) and isinstance(block.content, list):
                raw["content"] = [
                    _stored_part(b, r) for b, r in zip(block.content, raw["content"], strict=True)
                ]
        data["content"] = [_stored_part(b, r) for b, r in zip(self.content, data["content"], strict=True)]
        return data

    @classmethod
    def user(cls, text: str) -> Message:
        return cls(role="user", content=[TextBlock(text=text)])

    @property
    def text(self) -> str:
        """The concatenated text blocks (what ``--output-format text`` prints)."""
        return "".join(b.text for b in self.content if isinstance(b, TextBlock))

    @property
    def tool_uses(self) -> list[ToolUseBlock]:
        return [b for b in self.content if isinstance(b, ToolUseBlock)]


class Usage(Model):
    """Token counts for one response, or summed over many.

    ``input_tokens`` is the uncached part only; total input is the sum of the three input fields.
    """

    input_tokens: int = 0  # the fields in Claude Code's order: ``model_dump()`` is its ``usage`` object
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_creation_input_tokens=self.cache_creation_input_tokens + other.cache_creation_input_tokens,
            cache_read_input_tokens=self.cache_read_input_tokens + other.cache_read_input_tokens,
        )

    @property
    def total_input_tokens(self) -> int:
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens


StopReason = Literal[
    "end_turn",
    "max_tokens",
    "stop_sequence",
    "tool_use",
    "pause_turn",
    "refusal",
    "model_context_window_exceeded",
]


def _stored_part(block: Any, raw: dict[str, Any]) -> dict[str, Any]:
    if isinstance(block, ImageBlock) and block.session_placeholder is not None:
        return {"type": "text", "text": block.session_placeholder}
    return raw
