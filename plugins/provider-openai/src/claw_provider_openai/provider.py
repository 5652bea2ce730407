"""The OpenAI provider: chat completions or responses, streamed by claw_wire.http, against OpenAI or any
OpenAI-compatible server (vLLM, llama.cpp, Ollama, LM Studio, ...).

Requests go out through :class:`claw_wire.http.HttpClient`, not the ``openai`` SDK (its import cost
about half a second of every run's time to the first request). Nothing retries here: the kernel
retries, backs off and falls back in one place, from the :class:`claw.ApiError` every failure becomes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import claw
from claw import CredentialStatus, ModelInfo, ModelRequest, Provider, StreamEvent
from claw_wire.http import HttpClient, LoopClient, openai_headers

from claw_provider_openai import catalogue
from claw_provider_openai.catalogue import Api

HINT = "set OPENAI_API_KEY (or providers.openai.api_key in settings)"
OPENAI_URL = "https://api.openai.com/v1"
#: ``api_key`` values meaning "this server needs no key".
NO_KEY = frozenset({"none", "-", ""})
#: The model run when none is named: OpenAI's flagship for agentic coding.
DEFAULT_MODEL = "gpt-5.5"


class OpenAIProvider(Provider):
    """GPT and o-series models on OpenAI, or any model behind an OpenAI-compatible server.

    Settings (``providers.openai``): ``base_url``, ``api_key`` (``"none"`` for a server that needs
    none), ``api`` (``"chat"`` or ``"responses"``, for every model), ``models`` (per-model entries such
    as ``{"qwen3-coder": {"api": "chat", "max_output_tokens": 8192}}``). Environment:
    ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``. Settings win over the environment.
    """

    name = "openai"
    model_prefixes = ("gpt-", "o1", "o3", "o4", "codex-")

    def __init__(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> None:
        super().__init__(settings, env)
        self._clients = LoopClient(self._new_client)

    @classmethod
    def models(cls) -> list[ModelInfo]:
        return catalogue.models()

    # -- configuration ------------------------------------------------------------------------

    @property
    def base_url(self) -> str | None:
        return self.settings.get("base_url") or self.env.get("OPENAI_BASE_URL") or None

    @property
    def compatible(self) -> bool:
        """Talking to a server other than OpenAI's own."""
        return self.base_url is not None and self.base_url.rstrip("/") != OPENAI_URL

    def _declared(self) -> Mapping[str, Any]:
        declared = self.settings.get("models")
        return declared if isinstance(declared, Mapping) else {}

    def describe(self, model_id: str) -> ModelInfo:
        """Capabilities of ``model_id``, with what ``providers.openai.models`` declares for it (so a
        vision model behind a compatible server can be sent images)."""
        return catalogue.model_info(model_id, self._declared())

    def declared_models(self) -> list[str]:
        """The ids ``providers.openai.models`` declares."""
        return list(self._declared())

    def default_model(self) -> str | None:
        """:data:`DEFAULT_MODEL` on OpenAI; on a compatible server the first model
        ``providers.openai.models`` declares, else none (what it serves cannot be guessed)."""
        if self.compatible:
            return next(iter(self._declared()), None)
        return DEFAULT_MODEL

    def api_for(self, model_id: str) -> Api:
        """Which API serves ``model_id``: the ``api`` setting, else the model's entry, else
        ``responses`` on OpenAI and ``chat`` on a compatible server (what they all speak)."""
        setting = self.settings.get("api")
        if setting in ("chat", "responses"):
            return setting
        if setting is not None:
            raise claw.ConfigError(f"providers.openai.api must be 'chat' or 'responses', not {setting!r}")
        entry = catalogue.entry(model_id, self._declared())
        if entry and entry.get("api") in ("chat", "responses"):
            return entry["api"]
        return "chat" if self.compatible else "responses"

    def _key(self) -> tuple[str | None, str]:
        key = self.settings.get("api_key")
        if isinstance(key, str):
            return key, "settings providers.openai.api_key"
        if self.env.get("OPENAI_API_KEY"):
            return self.env["OPENAI_API_KEY"], "OPENAI_API_KEY"
        return None, ""

    def credentials(self) -> CredentialStatus:
        key, source = self._key()
        if key is not None and key.strip().lower() not in NO_KEY:
            return CredentialStatus(present=True, source=source)
        if self.compatible:
            return CredentialStatus(present=True, source=f"base_url {self.base_url} (no key needed)")
        return CredentialStatus(present=False, hint=HINT)

    # -- client -------------------------------------------------------------------------------

    def client(self) -> HttpClient:
        """The HTTP client for the running event loop (its connection pool is bound to one)."""
        return self._clients.get()

    def _new_client(self) -> HttpClient:
        if not self.credentials().present:
            raise claw.MissingCredentials(f"no OpenAI credentials: {HINT}")
        key, _ = self._key()
        if key is None or key.strip().lower() in NO_KEY:
            key = "none"  # a keyless server ignores the header
        headers = openai_headers(
            key, organization=self.env.get("OPENAI_ORG_ID"), project=self.env.get("OPENAI_PROJECT_ID")
        )
        return HttpClient(self.base_url or OPENAI_URL, headers, dialect="openai")

    async def aclose(self) -> None:
        await self._clients.aclose()

    # -- streaming ----------------------------------------------------------------------------

    def chat_params(self, request: ModelRequest, info: ModelInfo) -> dict[str, Any]:
        """The ``/chat/completions`` body: a compatible server gets ``max_tokens`` (llama.cpp and
        older vLLM do not know ``max_completion_tokens``) and no ``prompt_cache_key``."""
        from claw_wire import openai_chat

        return openai_chat.request_params(
            request,
            model=request.model,
            info=info,
            max_tokens_field="max_tokens" if self.compatible else "max_completion_tokens",
            cache_key=not self.compatible,
        )

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        # The wire translations are imported by the first request: every run registers the provider.
        from claw_wire import openai_chat

        from claw_provider_openai import responses

        info = self.info_of(request)
        client = self.client()
        if self.api_for(request.model) == "chat":
            params = self.chat_params(request, info)
            events = openai_chat.stream(client, params, provider=self.name, model=request.model)
        else:
            events = responses.stream(client, request, info, compatible=self.compatible)
        async for event in events:
            yield event
