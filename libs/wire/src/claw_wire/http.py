"""The first-party Anthropic and OpenAI requests, sent over httpx (or, with no proxy in the way, over
asyncio's own sockets: :mod:`claw_wire.transport`) instead of the vendors' SDKs.

``import anthropic`` costs 1.0-1.6 s and ``import openai`` about 0.5 s, all of it before the first model
request of a ``claw -p`` run; httpx, which the kernel already depends on, costs a tenth of that. claw only
needs what the SDKs do on the wire for one streamed POST: the auth and version headers, the base URL, the
SSE decoding and the error bodies, with retries off (the kernel retries). This module does exactly that,
so :func:`claw_wire.post_stream` can hand the stream to the same translations
(:mod:`claw_wire.anthropic`, :mod:`claw_wire.openai_chat`) whichever client sent it. Failures are raised
as exceptions with the SDKs' shapes (``status_code``, ``body``, ``response``, ``request_id``; httpx's own
transport errors), so :func:`claw_wire.errors.sdk_error` maps both paths the same way.

The SDKs stay where they add something a user needs: Vertex and Foundry credentials, Bedrock's signing.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from claw import VERSION

if TYPE_CHECKING:
    import asyncio

#: How a vendor's stream says things: ``anthropic`` (named events, ``ping``, ``error`` events) or
#: ``openai`` (``data:`` lines ending with ``[DONE]``; an ``error`` object in a chunk).
Dialect = Literal["anthropic", "openai"]

#: The Messages API version the translation in :mod:`claw_wire.anthropic` is written for (the one the
#: ``anthropic`` SDK pinned in ``uv.lock`` sends).
ANTHROPIC_VERSION = "2026-10-21"


def _import_httpx() -> Any:
    """httpx, imported at the first request (never at start-up) and without its command-line client.

    httpx's ``__init__`` imports ``httpx._main`` whenever click, rich and pygments are installed, as
    they are beside claw: about a third of httpx's import time, on the way to the first request, for
    a CLI claw never runs. A ``None`` entry in ``sys.modules`` makes that import fail, which httpx
    handles (``httpx.main`` then says its CLI is unavailable); the entry is removed again right after,
    so an explicit ``import httpx._main`` elsewhere still works.
    """
    import sys

    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        import httpx

        return httpx
    sys.modules["httpx._main"] = None  # pyright: ignore[reportArgumentType]
    try:
        import httpx
    finally:
        del sys.modules["httpx._main"]
    return httpx


def _needs_tls(base_url: str) -> bool:
    """httpx's ``verify`` for a client of ``base_url``: ``True`` (certifi's CA bundle, which httpx loads
    when the client is built, on the way to the first request) unless the endpoint is plain ``http``
    and no proxy is configured: requests then only go to relative paths of that URL, redirects are not
    followed, so the client never opens a TLS connection and needs no CA bundle (local servers such as
    vLLM, Ollama or LiteLLM, loopback mocks)."""
    from urllib.request import getproxies

    return not base_url.startswith("http://") or bool(getproxies())


class HttpStatusError(Exception):
    """A non-2xx answer, or an error event inside a 2xx stream, in the shape the SDKs raise."""

    def __init__(self, message: str, *, status_code: int, body: Any, response: Any) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.response = response
        headers = response.headers
        self.request_id = headers.get("request-id") or headers.get("x-request-id")


class MalformedEvent(Exception):
    """A server-sent event whose data is not JSON: the stream is damaged, so the request is retried as
    a cut stream would be (:func:`claw_wire.errors.sdk_error`)."""

    def __init__(self, data: str) -> None:
        shown = data if len(data) <= 80 else data[:77] + "..."
        super().__init__(f"an event that is not JSON: {shown!r}")


class UnexpectedContentType(Exception):
    """A 2xx answer that is not an event stream (a proxy's or captive portal's HTML page, say): it names
    what came instead, and retrying will not change it."""

    def __init__(self, content_type: str, url: str, sample: str) -> None:
        super().__init__(
            f"expected an event stream from {url} but got {content_type or 'no content type'}: {sample!r}"
        )


#: What :class:`SseStream` yields for a ``ping`` event or an SSE comment line (a keep-alive): the
#: translations turn it into :class:`claw.KeepAlive`, which resets the idle watchdog.
PING: dict[str, Any] = {"type": "ping"}


class StreamErrorEvent(Exception):
    """An OpenAI ``error`` object inside a 200 stream (the SDK's bare ``APIError``: no status)."""

    def __init__(self, body: dict[str, Any]) -> None:
        error = body["error"] if isinstance(body.get("error"), dict) else body
        super().__init__(str(error.get("message") or error))
        self.body = body
        self.status_code = None


class HttpClient:
    """One vendor endpoint: a base URL, its headers and a connection pool.

    :param base_url: ``https://api.anthropic.com`` (paths are appended: ``/v1/messages``) or
        ``https://api.openai.com/v1`` (``/chat/completions``).
    :param headers: auth and vendor headers (:func:`anthropic_headers`, :func:`openai_headers`).
    """

    def __init__(self, base_url: str, headers: Mapping[str, str], dialect: Dialect) -> None:
        from claw_wire.transport import Connections, direct_route

        self.base_url = base_url.rstrip("/") + "/"
        self.dialect: Dialect = dialect
        headers = {"user-agent": f"claw/{VERSION}", "accept": "application/json", **headers}
        # The SDKs' defaults: 10 minutes for a long answer, 5 s to connect; redirects are not followed.
        self._direct: Connections | None = None
        self._client: Any = None
        if direct_route(self.base_url):
            # no proxy to go through: asyncio's sockets, without importing httpx (claw_wire.transport)
            self._direct = Connections(self.base_url, headers, connect_timeout=5.0, read_timeout=600.0)
            return
        httpx = _import_httpx()
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(600.0, connect=5.0),
            verify=_needs_tls(self.base_url),
        )

    async def post_stream(
        self, path: str, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> SseStream:
        """POST ``body`` as JSON to ``path`` (with ``headers`` added for this request) and return the
        open event stream.

        :raises HttpStatusError: for a non-2xx answer (its body read and decoded).
        :raises httpx.TransportError: when the server could not be reached or broke the connection (or
            :class:`claw_wire.transport.TransportError`, its namesake, on the direct route).
        """
        from pydantic_core import to_json

        # pydantic-core's encoder (already loaded with claw's models) writes the body straight to bytes,
        # several times faster than httpx's json.dumps-then-encode: the body is the whole history, so
        # this cost grows with the session.
        content = to_json(body)
        extra = {"content-type": "application/json", **(headers or {})}
        if self._direct is not None:
            response: Any = await self._direct.post(path.lstrip("/"), content, extra)
        else:
            request = self._client.build_request("POST", path.lstrip("/"), content=content, headers=extra)
            response = await self._client.send(request, stream=True)
        if response.status_code >= 300:
            raw = await response.aread()
            await response.aclose()
            try:
                decoded: Any = json.loads(raw)
            except ValueError:
                decoded = raw.decode("utf-8", "replace")
            raise HttpStatusError(
                f"Error code: {response.status_code} - {decoded}",
                status_code=response.status_code,
                body=decoded,
                response=response,
            )
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("text/event-stream"):
            sample = (await response.aread())[:120].decode("utf-8", "replace")
            await response.aclose()
            raise UnexpectedContentType(content_type, str(response.request.url), sample)
        return SseStream(response, self.dialect)

    async def close(self) -> None:
        if self._direct is not None:
            await self._direct.close()
        else:
            await self._client.aclose()


class LoopClient:
    """One :class:`HttpClient` per running event loop (its connection pool is bound to one): ``make``
    builds it on first use in a loop (and may raise, e.g. ``claw.MissingCredentials``); :meth:`aclose`
    closes the current one. What a provider that sends over :class:`HttpClient` keeps."""

    def __init__(self, make: Callable[[], HttpClient]) -> None:
        self._make = make
        self._client: HttpClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> HttpClient:
        import asyncio  # not at import: ``claw --help`` stays without it

        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = self._make()
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            with contextlib.suppress(RuntimeError):  # its event loop may be gone already
                await client.close()


class SseStream:
    """The decoded JSON events of a streamed answer, read as they arrive (``async with`` closes it)."""

    def __init__(self, response: Any, dialect: Dialect) -> None:
        self.response = response
        self.dialect = dialect

    async def __aenter__(self) -> SseStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._events()

    async def _events(self) -> AsyncIterator[Any]:
        async for event, data in _server_sent_events(self.response.aiter_lines()):
            if event == "ping" or event == _COMMENT:
                yield PING
                continue
            if self.dialect == "openai":
                if data.startswith("[DONE]"):
                    return
                decoded = _decoded(data)
                if isinstance(decoded, dict) and decoded.get("error"):
                    raise StreamErrorEvent(decoded)
                yield decoded
                continue
            if event is None or not data:
                continue
            decoded = _decoded(data)
            if event == "error":
                raise HttpStatusError(
                    f"{decoded}", status_code=self.response.status_code, body=decoded, response=self.response
                )
            yield decoded


def _decoded(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        raise MalformedEvent(data) from None


#: The event name :func:`_server_sent_events` gives a comment line (a keep-alive some servers send).
_COMMENT = ":comment"


async def _server_sent_events(lines: AsyncIterator[str]) -> AsyncIterator[tuple[str | None, str]]:
    """``(event, data)`` per server-sent event (the WHATWG rules: ``data:`` lines joined with newlines,
    a blank line dispatches, one space after the colon is dropped), and ``(_COMMENT, "")`` for each
    ``:`` comment line, which carries nothing but says the server is alive."""
    event: str | None = None
    data: list[str] = []
    async for line in lines:
        if not line:
            if data or event is not None:
                yield event, "\n".join(data)
            event, data = None, []
            continue
        if line.startswith(":"):
            yield _COMMENT, ""
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
    if data:
        yield event, "\n".join(data)


def anthropic_headers(kind: Literal["api_key", "auth_token"], secret: str) -> dict[str, str]:
    """The Messages API's headers: ``x-api-key`` for an API key (as the API documents and Claude Code
    sends it), ``Authorization: Bearer`` for a gateway's token (``ANTHROPIC_AUTH_TOKEN``)."""
    auth = {"x-api-key": secret} if kind == "api_key" else {"authorization": f"Bearer {secret}"}
    return {"anthropic-version": ANTHROPIC_VERSION, **auth}


def openai_headers(
    api_key: str, *, organization: str | None = None, project: str | None = None
) -> dict[str, str]:
    """The OpenAI API's headers (``OpenAI-Organization`` / ``OpenAI-Project`` when set, as the SDK sends them)."""
    headers = {"authorization": f"Bearer {api_key}"}
    if organization:
        headers["openai-organization"] = organization
    if project:
        headers["openai-project"] = project
    return headers
