"""The Anthropic provider: the Messages API, streamed by :mod:`claw_wire.http`.

The translation is :mod:`claw_wire.anthropic`, shared with Claude on Vertex and Foundry; the request
goes out through :class:`claw_wire.http.HttpClient`, not the ``anthropic`` SDK, whose import alone
took 1.0-1.6 s of every run's time to the first request. Nothing retries here: the kernel retries,
backs off and falls back in one place, from the :class:`claw.ApiError` every failure becomes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

import claw
from claw import CredentialStatus, ModelInfo, ModelRequest, Provider, StreamEvent
from claw_wire import anthropic as anthropic_wire
from claw_wire.http import HttpClient, LoopClient, anthropic_headers

from claw_provider_anthropic import catalogue

API_URL = "https://api.anthropic.com"
HINT = "set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, or providers.anthropic.api_key in settings)"


class AnthropicProvider(Provider):
    """Claude models on the Anthropic API (or any server speaking it: ``ANTHROPIC_BASE_URL``).

    Settings (``providers.anthropic``): ``base_url``, ``api_key``. Environment: ``ANTHROPIC_API_KEY``,
    then ``ANTHROPIC_AUTH_TOKEN`` (a gateway's bearer token), and ``ANTHROPIC_BASE_URL``. Settings win
    over the environment.
    """

    name = "anthropic"
    model_prefixes = ("claude-",)
    #: Claude Code's small fast model is Haiku.
    small_model = "claude-haiku-5-5"

    def __init__(self, settings: Any, env: Any) -> None:
        super().__init__(settings, env)
        self._clients = LoopClient(self._new_client)

    @classmethod
    def models(cls) -> list[ModelInfo]:
        return catalogue.models()

    def default_model(self) -> str:
        """Claude Code's default on the Anthropic API: the latest Sonnet (the catalogue's ``sonnet``)."""
        return self.model_info("sonnet").id

    # -- credentials ------------------------------------------------------------------------------

    def _credential(self) -> tuple[Literal["api_key", "auth_token"], str, str] | None:
        """``(kind, secret, source)`` with kind ``api_key`` or ``auth_token``, or ``None``."""
        key = self.settings.get("api_key")
        if isinstance(key, str) and key:
            return "api_key", key, "settings providers.anthropic.api_key"
        if self.env.get("ANTHROPIC_API_KEY"):
            return "api_key", self.env["ANTHROPIC_API_KEY"], "ANTHROPIC_API_KEY"
        if self.env.get("ANTHROPIC_AUTH_TOKEN"):
            return "auth_token", self.env["ANTHROPIC_AUTH_TOKEN"], "ANTHROPIC_AUTH_TOKEN"
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

    def client(self) -> HttpClient:
        """The HTTP client for the running event loop (its connection pool is bound to one)."""
        return self._clients.get()

    def _new_client(self) -> HttpClient:
        found = self._credential()
        if found is None:
            raise claw.MissingCredentials(f"no Anthropic credentials: {HINT}")
        kind, secret, _ = found
        return HttpClient(self.base_url or API_URL, anthropic_headers(kind, secret), dialect="anthropic")

    async def aclose(self) -> None:
        await self._clients.aclose()

    # -- streaming --------------------------------------------------------------------------------

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        info = self.info_of(request)
        params = anthropic_wire.request_params(
            request, model=request.model, info=info, thinking=catalogue.thinking_mode(info.id)
        )
        async for event in anthropic_wire.stream(
            self.client(), params, provider=self.name, model=request.model
        ):
            yield event
