"""Helpers shared by the chat-completions and responses provider tests: the same provider, request and
run shapes, differing only in the API and the default model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claw import Message, ModelRequest, ResponseComplete, ToolSpec
from claw.testing import stream_events
from claw.testing.samples import PNG_BASE64 as PNG
from claw_provider_openai.provider import OpenAIProvider

__all__ = ["PNG", "READ", "helpers"]

READ = ToolSpec(name="Read", description="Read a file", input_schema={"type": "object", "properties": {}})


def helpers(
    api: str, default_model: str
) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    """``provider(server, **settings)``, ``request(*messages, **fields)`` and ``run(server, req, **settings)``
    for one API."""

    def provider(server: Any, **settings: Any) -> OpenAIProvider:
        return OpenAIProvider(
            {"base_url": server.base_url, "api": api, **settings}, {"OPENAI_API_KEY": "sk-test"}
        )

    def request(*messages: Message, **kwargs: Any) -> ModelRequest:
        return ModelRequest(
            model=kwargs.pop("model", default_model),
            messages=list(messages) or [Message.user("hi")],
            **kwargs,
        )

    def run(server: Any, req: ModelRequest, **settings: Any) -> tuple[list[Any], Any]:
        events = stream_events(provider(server, **settings), req)
        assert isinstance(events[-1], ResponseComplete)
        return events, events[-1].response

    return provider, request, run
