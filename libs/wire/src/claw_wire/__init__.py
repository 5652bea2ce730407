"""Wire-format translation shared by provider plugins: one implementation per API.

Several clouds serve the same wire format (Claude speaks Anthropic Messages on Anthropic, Vertex and
Foundry; OpenAI, Foundry and many local servers speak OpenAI Chat Completions), so the translation
lives here once instead of in every plugin:

- :mod:`claw_wire.builder`: :class:`~claw_wire.builder.ResponseBuilder` turns stream events into the
  final :class:`claw.ModelResponse` (every provider).
- :mod:`claw_wire.anthropic`: Messages API request parameters (thinking/effort, prompt-cache
  breakpoints from :mod:`claw_wire.anthropic_cache`) and streaming for the ``anthropic`` SDK's
  clients (``AsyncAnthropic``, ``AsyncAnthropicVertex``, ``AsyncAnthropicFoundry``).
- :mod:`claw_wire.openai_chat`: Chat Completions request parameters and streaming for the
  ``openai`` SDK (OpenAI and any OpenAI-compatible deployment).
- :mod:`claw_wire.errors`: :func:`~claw_wire.errors.sdk_error` maps both SDKs' exceptions to
  :class:`claw.ApiError`.
- :mod:`claw_wire.clients`: :class:`~claw_wire.clients.Clients` imports an SDK and builds its client
  in a worker thread, once, so a provider's first request never blocks the event loop.
- :mod:`claw_wire.catalogue`: :func:`~claw_wire.catalogue.load_catalogue` reads a provider's models
  from its ``models.json`` package file.

None of them imports a vendor SDK at import time: they work on plain dicts, and
:func:`post_stream` sends through the client it is given: a :class:`claw_wire.http.HttpClient` (the
first-party Anthropic and OpenAI paths, over httpx) or an SDK client (Vertex, Foundry).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, get_args
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from claw import (
    Effort,
    ModelInfo,
    ModelRequest,
    StreamEvent,
    debugging,
    get_logger,
    warn,
)

from claw_wire.errors import request_url, sdk_error, unreachable_cause


def effort_of(request: ModelRequest, info: ModelInfo) -> Effort | None:
    """The reasoning effort to send for ``request`` to ``info``'s model: the one place a requested
    ``--reasoning-effort`` meets the levels a model accepts (the agent loop passes it on as asked).

    A level the model supports is sent as is. Otherwise the highest supported level below the request
    is used, else the lowest supported one, with a warning (``max`` on a model that stops at ``high``
    sends ``high`` rather than failing). A model with no effort levels gets none, with a warning. Each
    warning is printed once per run (:func:`claw.warn`), not once per request.
    """
    effort = request.reasoning_effort
    if effort is None or effort in info.effort_levels:
        return effort
    if not info.effort_levels:
        warn(f"{info.address} does not support --reasoning-effort; {effort!r} ignored")
        return None
    order: tuple[Effort, ...] = get_args(Effort)
    rank = order.index
    below: list[Effort] = [e for e in info.effort_levels if rank(e) < rank(effort)]
    chosen: Effort = max(below, key=rank) if below else min(info.effort_levels, key=rank)
    warn(f"{info.address} does not support reasoning effort {effort!r}; using {chosen!r}")
    return chosen


#: Query parameter names containing one of these are masked in logged URLs (``?key=`` is how some
#: Google APIs take an API key; presigned URLs carry signatures and tokens).
_SECRET_PARAMS = ("key", "token", "sig", "secret", "password", "credential", "auth")


def redact_url(url: str) -> str:
    """``url`` safe to log: a password in it and the values of secret-looking query parameters
    (``key``, ``*token*``, ``*sig*``, ...) become ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        masked = [(k, "***" if any(s in k.lower() for s in _SECRET_PARAMS) else v) for k, v in pairs]
        query = urlencode(masked, safe="*:/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def http_request(
    method: str, url: object, *, seconds: float, status: int | None = None, error: str | None = None
) -> None:
    """Log one model API request at DEBUG: method, URL (:func:`redact_url`), the HTTP status or the
    error that prevented one, and the milliseconds until the response headers arrived."""
    if not debugging():
        return
    fields: dict[str, Any] = {"method": method, "url": redact_url(str(url)), "ms": round(seconds * 1000)}
    if status is not None:
        fields["status"] = status
    if error:
        fields["error"] = error
    get_logger("claw.http").debug("http request", **fields)


async def post_stream(
    client: Any, path: str, body: dict[str, Any], *, headers: Mapping[str, str] | None = None
) -> Any:
    """Start a streamed request; the stream yields decoded JSON events.

    ``headers`` are added to the client's own for this request (``anthropic-beta``).

    ``client`` is a :class:`claw_wire.http.HttpClient` or an ``anthropic`` / ``openai`` SDK client, whose
    generic ``post`` gives the same request, auth, base URL rewriting (Vertex's ``:streamRawPredict``),
    retries-off, error mapping and SSE decoding as ``messages.create`` / ``chat.completions.create``,
    without building a pydantic object for every event that claw would convert straight away.

    Each request is one ``http request`` debug line (:func:`http_request`), failed or not.
    """
    from claw_wire.http import HttpClient

    started = time.perf_counter()
    try:
        if isinstance(client, HttpClient):
            stream = await client.post_stream(path, body, headers=headers)
        else:
            sdk = importlib.import_module(
                type(client).__module__.split(".")[0]
            )  # imported: the client exists
            stream = await client.post(
                path,
                body=body,
                cast_to=object,
                options={"headers": dict(headers)} if headers else {},
                stream=True,
                stream_cls=sdk.AsyncStream[object],
            )
    except Exception as exc:
        if debugging():
            status = getattr(exc, "status_code", None)
            error = None if status else unreachable_cause(exc) or str(exc).splitlines()[0]
            url = request_url(exc) or f"{client.base_url}{path.lstrip('/')}"
            http_request("POST", url, seconds=time.perf_counter() - started, status=status, error=error)
        raise
    request = stream.response.request
    http_request(
        request.method, request.url, seconds=time.perf_counter() - started, status=stream.response.status_code
    )
    return stream


async def stream_translated(
    client: Any,
    path: str,
    body: dict[str, Any],
    translate: Callable[[AsyncIterator[Any]], AsyncIterator[StreamEvent]],
    *,
    provider: str,
    error: Callable[[BaseException], Exception | None] | None = None,
    headers: Mapping[str, str] | None = None,
) -> AsyncIterator[StreamEvent]:
    """POST ``body`` to ``path`` (:func:`post_stream`) and yield the claw events ``translate`` makes of
    the raw stream; every failure is an :class:`claw.ApiError`.

    :param error: a provider's own mapping tried first (e.g. a cloud sign-in failure); ``None`` from it
        falls back to :func:`claw_wire.errors.sdk_error`, for which a failure after the response started
        is a cut stream.
    """
    streaming = False
    try:
        raw = await post_stream(client, path, body, headers=headers)
        streaming = True
        async with raw:
            async for event in translate(raw):
                yield event
    except Exception as exc:
        raise ((error(exc) if error else None) or sdk_error(exc, provider, streaming=streaming)) from exc
