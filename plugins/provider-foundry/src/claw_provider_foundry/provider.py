"""The ``foundry`` provider: Azure AI Foundry deployments over the OpenAI v1 API or the Anthropic API.

Claude deployments go through ``anthropic.AsyncAnthropicFoundry`` (``/anthropic/v1/messages``);
every other deployment through ``openai.AsyncOpenAI`` against the resource's ``/openai/v1/``
endpoint, with Chat Completions (the API every Foundry model serves). Which wire a deployment uses:
``providers.foundry.deployments`` (``{"prod-sonnet": "claude-sonnet-4-6"}`` names the model behind a
deployment, ``{"my-llm": "openai"}`` only its wire), else the catalogue, else a ``claude-`` prefix.

Auth: an API key when one is set, else Entra ID tokens from ``DefaultAzureCredential`` for the
``cognitiveservices`` scope. Neither SDK retries (``max_retries=0``): the kernel does.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

from claw import (
    ApiError,
    CredentialStatus,
    MissingCredentials,
    ModelInfo,
    ModelRequest,
    Provider,
    StreamEvent,
    require,
)
from claw_wire import anthropic as anthropic_wire
from claw_wire.clients import Clients
from claw_wire.errors import sdk_error

from claw_provider_foundry import catalogue, credentials
from claw_provider_foundry.credentials import Wire

DIST = "claw-provider-foundry"


#: The deployment run when none is named: the latest Claude Sonnet Foundry offers, under the name
#: Foundry gives a deployment by default (the model's).
DEFAULT_MODEL = "claude-sonnet-4-6"


class FoundryProvider(Provider):
    """Claude and OpenAI-wire deployments of one Azure AI Foundry resource."""

    name = "foundry"

    def __init__(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> None:
        super().__init__(settings, env)
        self._clients = Clients()
        self._azure_credential: Any = None

    @classmethod
    def models(cls) -> list[ModelInfo]:
        return catalogue.catalogue().models()

    @classmethod
    def model_info(cls, model_id: str) -> ModelInfo:
        """By deployment name: a catalogue model's capabilities under the deployment's own name."""
        item = catalogue.entry(model_id)
        if item is None:
            return ModelInfo(id=model_id, provider=cls.name)
        return catalogue.catalogue().info(item, model_id)

    def describe(self, model_id: str) -> ModelInfo:
        """By deployment name, with ``providers.foundry.deployments``: a deployment mapped to a
        catalogue model gets that model's capabilities (images, effort levels, limits)."""
        _, item = self.deployment(model_id)
        return (
            catalogue.catalogue().info(item, model_id) if item else ModelInfo(id=model_id, provider=self.name)
        )

    def declared_models(self) -> list[str]:
        """The deployment names ``providers.foundry.deployments`` declares."""
        deployments = self.settings.get("deployments")
        return list(deployments) if isinstance(deployments, Mapping) else []

    def default_model(self) -> str:
        return DEFAULT_MODEL

    def credentials(self) -> CredentialStatus:
        return credentials.status(self.settings, self.env)

    # -- deployments -------------------------------------------------------------------------

    def deployment(self, name: str) -> tuple[Wire, dict[str, Any]]:
        """The wire and catalogue entry (possibly empty) behind deployment ``name``."""
        mapped = (self.settings.get("deployments") or {}).get(name)
        if mapped in ("openai", "anthropic"):
            return mapped, catalogue.entry(name) or {}
        item = catalogue.entry(mapped or name)
        if item is not None:
            return item["wire"], item
        return ("anthropic" if name.startswith("claude") else "openai"), {}

    # -- clients -----------------------------------------------------------------------------

    def _token_provider(self) -> Any:
        """An async callable returning Entra ID bearer tokens from ``DefaultAzureCredential``.

        The synchronous credential runs in a worker thread: azure-identity's asyncio flavour needs
        aiohttp, which neither SDK otherwise pulls in. The credential caches tokens until expiry.
        """
        identity = require("azure.identity", dist=DIST, extra="azure-identity")  # imported lazily
        if self._azure_credential is None:
            self._azure_credential = identity.DefaultAzureCredential()
        fetch = identity.get_bearer_token_provider(self._azure_credential, credentials.SCOPE)

        async def token() -> str:
            return await asyncio.to_thread(fetch)

        return token

    async def client(self, wire: Wire) -> Any:
        """The SDK client for ``wire`` (created once, off the event loop: importing ``anthropic`` or
        ``openai`` takes one to several seconds)."""
        return await self._clients.get(wire, lambda: self._build_client(wire))

    def _build_client(self, wire: Wire) -> Any:
        """Import the wire's SDK and construct its client (blocking: runs in a worker thread)."""
        base_url = credentials.base_url(self.settings, self.env, wire)
        if base_url is None:
            raise MissingCredentials(f"foundry has no endpoint: {credentials.ENDPOINT_HINT}")
        key = credentials.api_key(self.settings, self.env, wire)
        if wire == "openai":
            openai = require("openai", dist=DIST)  # imported lazily: ~1 s
            auth = key[0] if key else self._token_provider()
            client = openai.AsyncOpenAI(base_url=base_url, api_key=auth, max_retries=0)
        else:
            anthropic = require("anthropic", dist=DIST)  # imported lazily: ~1 s
            auth_args = {"api_key": key[0]} if key else {"azure_ad_token_provider": self._token_provider()}
            client = anthropic.AsyncAnthropicFoundry(base_url=base_url, max_retries=0, **auth_args)
        return client

    # -- streaming ---------------------------------------------------------------------------

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        wire, item = self.deployment(request.model)
        info = self.info_of(request)
        try:
            client = await self.client(wire)
        except Exception as exc:
            raise (_entra_error(exc) or sdk_error(exc, "foundry")) from exc
        if wire == "anthropic":
            params = anthropic_wire.request_params(
                request, model=request.model, info=info, thinking=item.get("thinking")
            )
            events = anthropic_wire.stream(
                client, params, provider="foundry", model=request.model, error=_entra_error
            )
        else:
            from claw_wire import openai_chat  # at the first request: most runs never speak this wire

            params = openai_chat.request_params(
                request,
                model=request.model,
                info=info,
                max_tokens_field=item.get("max_tokens_field", "max_completion_tokens"),
            )
            events = openai_chat.stream(
                client, params, provider="foundry", model=request.model, error=_entra_error
            )
        async for event in events:
            yield event

    async def aclose(self) -> None:
        for client in self._clients.built().values():
            await client.close()
        self._clients.clear()
        if self._azure_credential is not None:
            self._azure_credential.close()
            self._azure_credential = None


def _entra_error(exc: BaseException) -> ApiError | None:
    """An Entra ID failure (no usable identity) as an authentication error; ``None`` for the rest."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "ClientAuthenticationError" in names or "CredentialUnavailableError" in names:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ApiError(
            f"foundry: Entra ID sign-in failed ({first}); {credentials.HINT}",
            kind="authentication_failed",
            provider="foundry",
        )
    return None
