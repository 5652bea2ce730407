"""The Anthropic provider: the Messages API through the official ``anthropic`` SDK, streamed.

The SDK is imported at the first request (``claw.require``), never when this module loads, and its
own retries are off (``max_retries=0``): the kernel retries, backs off and falls back in one place,
from the :class:`claw.ApiError` this module raises for every failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any, get_args

import claw
from claw import (
    ApiError,
    CredentialStatus,
    ModelInfo,
    ModelRequest,
    ModelResponse,
    Provider,
    ResponseComplete,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseStart,
    Usage,
)

from claw_provider_anthropic import catalogue
from claw_provider_anthropic.errors import api_error
from claw_provider_anthropic.wire import build_params

DIST = "claw-provider-anthropic"
HINT = "set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, or providers.anthropic.api_key in settings)"


class AnthropicProvider(Provider):
    """Claude models on the Anthropic API (or any server speaking it: ``ANTHROPIC_BASE_URL``).

    Settings (``providers.anthropic``): ``base_url``, ``api_key``. Environment: ``ANTHROPIC_API_KEY``,
    then ``ANTHROPIC_AUTH_TOKEN`` (a gateway's bearer token), and ``ANTHROPIC_BASE_URL``. Settings win
    over the environment.
    """

    name = "anthropic"
    model_prefixes = ("claude-",)

    def __init__(self, settings: Any, env: Any) -> None:
        super().__init__(settings, env)
        self._client: Any = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def models(cls) -> list[ModelInfo]:
        return catalogue.models()

    # -- credentials ------------------------------------------------------------------------------

    def _credential(self) -> tuple[str, str, str] | None:
        """``(kind, secret, source)`` with kind ``api_key`` or ``auth_token``, or ``None``."""
        key = self.settings.get("api_key")
        if isinstance(key, str) and key:
            return "api_key", key, "settings providers.anthropic.api_key"
        for var, kind in (("ANTHROPIC_API_KEY", "api_key"), ("ANTHROPIC_AUTH_TOKEN", "auth_token")):
            if self.env.get(var):
                return kind, self.env[var], var
        return None

    @property
    def base_url(self) -> str | None:
        return self.settings.get("base_url") or self.env.get("ANTHROPIC_BASE_URL") or None

    def credentials(self) -> CredentialStatus:
        found = self._credential()
        if found is None:
            return CredentialStatus(present=False, hint=HINT)
        return CredentialStatus(present=True, source=found[2])

    # -- client -----------------------------------------------------------------------------------

    def client(self) -> Any:
        """An ``AsyncAnthropic`` for the running event loop (its connection pool is bound to one)."""
        loop = asyncio.get_running_loop()
        if self._client is not None and self._client_loop is loop:
            return self._client
        found = self._credential()
        if found is None:
            raise claw.MissingCredentials(f"no Anthropic credentials: {HINT}")
        anthropic = claw.require("anthropic", dist=DIST)  # imported lazily: it costs ~1 s at start-up
        kind, secret, _ = found
        self._client = anthropic.AsyncAnthropic(**{kind: secret}, base_url=self.base_url, max_retries=0)
        self._client_loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            with contextlib.suppress(RuntimeError):  # its event loop may be gone already
                await client.close()

    # -- streaming --------------------------------------------------------------------------------

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        info = self.model_info(request.model)
        params = build_params(request, info)
        client = self.client()
        anthropic = claw.require("anthropic", dist=DIST)
        httpx2 = claw.require("httpx2", dist=DIST)
        assembler = _Assembler(request.model)
        streaming = False
        try:
            stream = await client.messages.create(stream=True, **params)
            streaming = True
            async with stream:
                async for event in stream:
                    for out in assembler.feed(event):
                        yield out
        except (anthropic.APIError, httpx2.HTTPError) as exc:
            raise api_error(exc, anthropic, streaming=streaming) from exc
        yield ResponseComplete(response=assembler.result())


def _tool_input(raw: str) -> dict[str, Any]:
    """A tool call's input. JSON cut short (``max_tokens`` mid-call) is kept under ``_invalid_json`` so
    the tool rejects it and the model sees why; retrying would only cut it again."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"_invalid_json": raw}
    return value if isinstance(value, dict) else {"_invalid_json": raw}


class _Assembler:
    """Turns raw stream events into claw stream events and the final :class:`ModelResponse`."""

    def __init__(self, model: str) -> None:
        self.id = ""
        self.model = model
        self.blocks: dict[int, dict[str, Any]] = {}
        self.json_parts: dict[int, list[str]] = {}
        self.stop_reason: str | None = None
        self.usage: dict[str, int] = {}
        self.stopped = False

    def _usage(self, usage: Any) -> None:
        for field in Usage.model_fields:
            value = getattr(usage, field, None)
            if value is not None:
                self.usage[field] = value

    def feed(self, event: Any) -> list[StreamEvent]:
        kind = event.type
        if kind == "message_start":
            self.id = event.message.id
            self.model = event.message.model or self.model
            self._usage(event.message.usage)
        elif kind == "content_block_start":
            block = event.content_block.model_dump(exclude_none=True)
            self.blocks[event.index] = block
            if block["type"] == "tool_use":
                block["input"] = {}
                self.json_parts[event.index] = []
                return [ToolUseStart(index=event.index, id=block["id"], name=block["name"])]
        elif kind == "content_block_delta":
            return self._delta(event.index, event.delta)
        elif kind == "content_block_stop":
            parts = self.json_parts.pop(event.index, None)
            if parts is not None:
                self.blocks[event.index]["input"] = _tool_input("".join(parts))
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            self._usage(event.usage)
        elif kind == "message_stop":
            self.stopped = True
        return []

    def _delta(self, index: int, delta: Any) -> list[StreamEvent]:
        block = self.blocks[index]
        if delta.type == "text_delta":
            block["text"] = block.get("text", "") + delta.text
            return [TextDelta(index=index, text=delta.text)]
        if delta.type == "thinking_delta":
            block["thinking"] = block.get("thinking", "") + delta.thinking
            return [ThinkingDelta(index=index, thinking=delta.thinking)]
        if delta.type == "signature_delta":
            block["signature"] = block.get("signature", "") + delta.signature
        elif delta.type == "input_json_delta":
            self.json_parts[index].append(delta.partial_json)
            return [ToolInputDelta(index=index, partial_json=delta.partial_json)]
        return []

    def result(self) -> ModelResponse:
        if not self.stopped:
            raise ApiError.from_status(
                None, "Anthropic API stream ended before message_stop", provider="anthropic"
            )
        known = {"text", "thinking", "redacted_thinking", "tool_use"}
        content = [self.blocks[i] for i in sorted(self.blocks) if self.blocks[i]["type"] in known]
        for block in content:
            if block["type"] == "text":
                block.pop("citations", None)
        return ModelResponse.model_validate(
            {
                "id": self.id,
                "model": self.model,
                "content": content,
                # A stop reason newer than claw's list is kept out rather than failing the turn.
                "stop_reason": self.stop_reason if self.stop_reason in get_args(claw.StopReason) else None,
                "usage": Usage(**self.usage),
            }
        )
