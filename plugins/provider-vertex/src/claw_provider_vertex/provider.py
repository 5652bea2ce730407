"""The ``vertex`` provider: Claude through ``anthropic[vertex]`` and Gemini through ``google-genai``.

Both SDKs are imported on first use, in a worker thread (:class:`claw_wire.clients.Clients`). Neither
retries (the kernel owns retries): the Anthropic client gets ``max_retries=0``, genai
``HttpRetryOptions(attempts=1)``.

Settings (``providers.vertex``): ``project``, ``region``, ``base_url`` (the endpoint root, e.g. a
proxy: Claude requests go to ``<base_url>/v1/...``, Gemini to ``<base_url>/v1beta1/...``) and
``access_token`` (an OAuth token used as is; without it, Application Default Credentials).
Environment: ``ANTHROPIC_VERTEX_PROJECT_ID`` / ``GOOGLE_CLOUD_PROJECT``, ``GOOGLE_CLOUD_REGION`` /
``CLOUD_ML_REGION``, ``ANTHROPIC_VERTEX_BASE_URL`` (Claude, including ``/v1``, as the SDK reads
it) and ``GOOGLE_VERTEX_BASE_URL`` (Gemini).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from claw import (
    ApiError,
    CredentialStatus,
    MissingCredentials,
    ModelInfo,
    ModelRequest,
    Provider,
    StreamEvent,
    debugging,
    require,
)
from claw_wire import anthropic as anthropic_wire
from claw_wire import http_request
from claw_wire.clients import Clients
from claw_wire.errors import sdk_error

from claw_provider_vertex import catalogue, credentials

DIST = "claw-provider-vertex"


#: The model run when none is named: the latest Claude Sonnet, as Claude Code runs it on Vertex.
DEFAULT_MODEL = "claude-sonnet-5-5"


class VertexProvider(Provider):
    """Claude and Gemini models on Google Cloud Vertex AI."""

    name = "vertex"
    model_prefixes = ("gemini-",)

    def __init__(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> None:
        super().__init__(settings, env)
        self._clients = Clients()

    @classmethod
    def models(cls) -> list[ModelInfo]:
        return catalogue.catalogue().models()

    @classmethod
    def model_info(cls, model_id: str) -> ModelInfo:
        item = catalogue.entry(catalogue.vertex_id(model_id))
        return (
            catalogue.catalogue().info(item)
            if item is not None
            else ModelInfo(id=catalogue.vertex_id(model_id), provider=cls.name)
        )

    def default_model(self) -> str:
        return DEFAULT_MODEL

    def credentials(self) -> CredentialStatus:
        return credentials.status(self.settings, self.env)

    # -- clients -----------------------------------------------------------------------------

    def _project(self) -> str:
        project = credentials.project(self.settings, self.env)
        if not project:
            raise MissingCredentials(f"vertex needs a Google Cloud project: {credentials.PROJECT_HINT}")
        return project

    def _google_credentials(self) -> Any:
        """An explicit OAuth token when configured; ``None`` lets the SDK use ADC."""
        token = self.settings.get("access_token")
        if not token:
            return None
        oauth2 = require("google.oauth2.credentials", dist=DIST, extra="google-auth")
        return oauth2.Credentials(token=token)

    async def claude_client(self) -> Any:
        """The ``AsyncAnthropicVertex`` client (created once, off the event loop: importing the
        ``anthropic`` SDK takes one to several seconds)."""
        return await self._clients.get("claude", self._build_claude)

    async def gemini_client(self) -> Any:
        """The google-genai client (created once, off the event loop, like :meth:`claude_client`)."""
        return await self._clients.get("gemini", self._build_gemini)

    def _build_claude(self) -> Any:
        """Import ``anthropic`` and construct the client (blocking: runs in a worker thread)."""
        anthropic = require("anthropic", dist=DIST, extra="anthropic[vertex]")  # imported lazily: ~1 s
        base = self.settings.get("base_url")
        base_url = f"{base.rstrip('/')}/v1" if base else self.env.get("ANTHROPIC_VERTEX_BASE_URL") or None
        return anthropic.AsyncAnthropicVertex(
            region=credentials.region(self.settings, self.env),
            project_id=self._project(),
            access_token=self.settings.get("access_token") or None,
            base_url=base_url,
            max_retries=0,
        )

    def _build_gemini(self) -> Any:
        """Import google-genai and construct the client (blocking: runs in a worker thread)."""
        genai = require("google.genai", dist=DIST, extra="google-genai")  # imported lazily: ~1.3 s
        from google.genai import types

        base_url = self.settings.get("base_url") or self.env.get("GOOGLE_VERTEX_BASE_URL") or None
        return genai.Client(
            vertexai=True,
            project=self._project(),
            location=credentials.region(self.settings, self.env),
            credentials=self._google_credentials(),
            http_options=types.HttpOptions(
                base_url=base_url,
                retry_options=types.HttpRetryOptions(attempts=1),
                async_client_args={"event_hooks": _event_hooks()} if debugging() else None,
            ),
        )

    # -- streaming ---------------------------------------------------------------------------

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        model_id = catalogue.vertex_id(request.model)
        family = catalogue.family(model_id)
        if family == "claude":
            stream = self._stream_claude(request, model_id)
        elif family == "gemini":
            stream = self._stream_gemini(request, model_id)
        else:
            raise ApiError(
                f"vertex: unsupported model {request.model!r}: claw speaks to Claude (claude-*) and Gemini "
                "(gemini-*) models on Vertex AI",
                kind="model_not_found",
                provider="vertex",
            )
        async for event in stream:
            yield event

    async def _stream_claude(self, request: ModelRequest, model_id: str) -> AsyncIterator[StreamEvent]:
        # gemini (the Gemini translation and Google's auth errors) is imported by the first request:
        # every run registers the provider.
        from claw_provider_vertex import gemini

        item = catalogue.entry(model_id) or {}
        params = anthropic_wire.request_params(
            request, model=model_id, info=self.info_of(request), thinking=item.get("thinking")
        )
        try:
            client = await self.claude_client()
        except Exception as exc:
            raise (gemini.google_auth_error(exc) or sdk_error(exc, "vertex")) from exc
        async for event in anthropic_wire.stream(
            client, params, provider="vertex", model=model_id, error=gemini.google_auth_error
        ):
            yield event

    async def _stream_gemini(self, request: ModelRequest, model_id: str) -> AsyncIterator[StreamEvent]:
        from claw_provider_vertex import gemini

        item = catalogue.entry(model_id) or {}
        try:
            client = await self.gemini_client()
            from google.genai import types

            fields = gemini.config(request, self.info_of(request), item)
            if "thinking_config" in fields:
                fields["thinking_config"] = types.ThinkingConfig(**fields["thinking_config"])
            chunks = await client.aio.models.generate_content_stream(
                model=model_id,
                contents=gemini.contents(request.messages),
                config=types.GenerateContentConfig(**fields),
            )
            async for event in gemini.stream_events(chunks, model_id):
                yield event
        except Exception as exc:
            raise gemini.api_error(exc) from exc

    async def aclose(self) -> None:
        for key, client in self._clients.built().items():
            await (client.aio.aclose() if key == "gemini" else client.close())
        self._clients.clear()


def _event_hooks() -> dict[str, list[Callable[[Any], Awaitable[None]]]]:
    """``event_hooks`` for google-genai's httpx ``AsyncClient`` that log each request it sends with
    :func:`claw_wire.http_request`: the SDK sends its requests itself. Duck-typed: httpx is not imported."""

    async def on_request(request: Any) -> None:
        request.extensions["claw_started"] = time.perf_counter()

    async def on_response(response: Any) -> None:
        request = response.request
        started = request.extensions.get("claw_started", time.perf_counter())
        http_request(
            request.method, request.url, seconds=time.perf_counter() - started, status=response.status_code
        )

    return {"request": [on_request], "response": [on_response]}
