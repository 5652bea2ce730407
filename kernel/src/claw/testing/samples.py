"""Sample inputs for provider tests, so every provider's tests send the same tool, image and request
shapes (and a new provider's tests start from them):

- :data:`READ_TOOL`: a ``Read`` tool with one required ``file_path`` argument.
- :data:`PNG_BASE64`: a real 1x1 PNG, base64-encoded, for ``ImageBlock`` sources.
- :func:`request`: a :class:`claw.ModelRequest` for a model, with ``"hi"`` as the only message unless
  messages are given.
"""

from __future__ import annotations

from typing import Any

from claw._messages import Message
from claw._providers import ModelRequest
from claw._tools import ToolSpec

READ_TOOL = ToolSpec(
    name="Read",
    description="Read a file",
    input_schema={
        "type": "object",
        "properties": {"file_path": {"type": "string"}},
        "required": ["file_path"],
    },
)

PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def request(model: str, *messages: Message, **fields: Any) -> ModelRequest:
    """A request to ``model`` with ``messages`` (default: one user ``"hi"``) and any other
    :class:`claw.ModelRequest` ``fields`` (``tools``, ``reasoning_effort``, ``system``, ...)."""
    return ModelRequest(model=model, messages=list(messages) or [Message.user("hi")], **fields)
