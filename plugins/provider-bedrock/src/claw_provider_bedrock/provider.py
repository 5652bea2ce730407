"""The ``bedrock`` provider: Bedrock Runtime ConverseStream through boto3.

boto3 is synchronous, so each call runs in its own daemon thread that hands events to the async
generator through the event loop; the loop never blocks on the network, and a cancelled stream
closes the HTTP response so the thread ends. botocore's retries are off: the kernel owns retries,
backoff and fallbacks, so every failure becomes one :class:`claw.ApiError` here.

Settings (``providers.bedrock``): ``region``, ``profile``, ``endpoint_url``, ``inference_profile``
(``us``/``eu``/``apac``/``global``... put in front of short model names such as ``claude-sonnet-4-6``),
``read_timeout`` (seconds, default 300).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from claw import (
    ApiError,
    ClawError,
    CredentialStatus,
    MissingCredentials,
    ModelInfo,
    ModelRequest,
    Provider,
    ResponseComplete,
    StreamEvent,
    debugging,
    get_logger,
    require,
)
from claw_wire import http_request
from claw_wire.clients import Clients
from claw_wire.errors import parse_retry_after, unreachable_at, unreachable_cause

from claw_provider_bedrock import catalogue, credentials

#: The HTTP status each Bedrock exception stands for, so classification matches other providers
#: (in-stream exceptions arrive inside a 200 response and carry no status of their own).
_STATUS_OF = {
    "throttlingexception": 429,
    "toomanyrequestsexception": 429,
    "servicequotaexceededexception": 429,
    "modelnotreadyexception": 429,
    "serviceunavailableexception": 503,
    "internalserverexception": 500,
    "modelstreamerrorexception": 500,
    "modeltimeoutexception": 408,
    "accessdeniedexception": 403,
    "unrecognizedclientexception": 401,
    "invalidsignatureexception": 401,
    "expiredtokenexception": 401,
    "validationexception": 400,
    "resourcenotfoundexception": 404,
    "modelerrorexception": 424,
}

_NO_CREDENTIALS = {
    "NoCredentialsError",
    "PartialCredentialsError",
    "SSOTokenLoadError",
    "TokenRetrievalError",
    "UnauthorizedSSOTokenError",
    "ProfileNotFound",
    "CredentialRetrievalError",
}

_CONNECTION = {
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ConnectionClosedError",
    "ResponseStreamingError",
    "HTTPClientError",
    # urllib3 errors that reach the event-stream reader unwrapped
    "ProtocolError",
    "IncompleteRead",
    "NewConnectionError",
}

#: botocore's event-stream decoder refusing a frame (``botocore.eventstream.ParserError`` and its
#: kinds): the stream is damaged, so the request is retried as a cut stream would be.
_DAMAGED_FRAME = {
    "ParserError",
    "ChecksumMismatch",
    "InvalidHeadersLength",
    "InvalidPayloadLength",
    "DuplicateHeader",
}


def _line(text: object) -> str:
    """Messages such as ``ParamValidationError``'s span lines; the user gets one."""
    line = ""
    for part in filter(None, (p.strip() for p in str(text).splitlines())):
        line += part if not line else (" " if line.endswith(":") else "; ") + part
    return line


def api_error(exc: BaseException) -> ClawError:
    """One :class:`ApiError` for any boto3/botocore failure (claw errors pass through)."""
    if isinstance(exc, ClawError):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    response = getattr(exc, "response", None)
    if "ClientError" in names and isinstance(response, dict):
        error = response.get("Error") or {}
        code = str(error.get("Code") or "UnknownError")
        code = code[:1].upper() + code[1:]
        message = _line(error.get("Message") or exc)
        meta = response.get("ResponseMetadata") or {}
        status = _STATUS_OF.get(code.lower(), meta.get("HTTPStatusCode") or 500)
        return ApiError.from_status(
            status,
            f"bedrock: {code}: {message}",
            retry_after=parse_retry_after(meta.get("HTTPHeaders") or {}),
            provider="bedrock",
        )
    if names & _NO_CREDENTIALS:
        return ApiError(
            f"bedrock: no usable AWS credentials ({_line(exc)}); {credentials.HINT}",
            kind="authentication_failed",
            provider="bedrock",
        )
    if names & _CONNECTION or isinstance(exc, ConnectionError | TimeoutError):
        # botocore's EndpointConnectionError keeps the URL it tried in ``kwargs``
        down = unreachable_at(exc, (getattr(exc, "kwargs", None) or {}).get("endpoint_url"), "bedrock")
        if down is not None:
            return down
        return ApiError(
            f"bedrock: connection failed: {_line(exc)}",
            retryable=True,
            kind="server_error",
            provider="bedrock",
        )
    if names & _DAMAGED_FRAME:
        return ApiError(
            f"bedrock: stream interrupted: a damaged event-stream frame ({_line(exc)})",
            retryable=True,
            kind="server_error",
            provider="bedrock",
        )
    if "ParamValidationError" in names:
        return ApiError(f"bedrock: invalid request: {_line(exc)}", kind="invalid_request", provider="bedrock")
    return ApiError(f"bedrock: {type(exc).__name__}: {_line(exc)}", provider="bedrock")


#: The catalogue alias of the model run when none is named.
DEFAULT_ALIAS = "claude-sonnet-5-5"


class BedrockProvider(Provider):
    """Every Bedrock model that ConverseStream serves, by model id or inference profile."""

    name = "bedrock"
    model_prefixes = ("anthropic.", *(f"{p}.anthropic." for p in catalogue.PROFILE_PREFIXES), "amazon.nova")

    def __init__(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> None:
        super().__init__(settings, env)
        self._clients = Clients()

    # -- catalogue ---------------------------------------------------------------------------

    @classmethod
    def models(cls) -> list[ModelInfo]:
        return catalogue.catalogue().models()

    @classmethod
    def model_info(cls, model_id: str) -> ModelInfo:
        """Known models by id, short alias or inference profile. The id stays what was asked for
        (``us.anthropic...``, ``claude-sonnet-4-6``): :meth:`api_model_id` maps it when sending, so
        a short alias still gets the configured ``inference_profile``."""
        item = catalogue.entry(model_id)
        if item is None:
            return ModelInfo(id=model_id, provider=cls.name)
        return catalogue.catalogue().info(item, model_id)

    def default_model(self) -> str:
        """The latest Claude Sonnet, as Claude Code runs it on Bedrock: through an inference profile,
        ``providers.bedrock.inference_profile`` (``us``, ``eu``, ...) when set, else ``global``."""
        item = catalogue.entry(DEFAULT_ALIAS)
        assert item is not None, f"{DEFAULT_ALIAS} left the catalogue"
        return f"{self.settings.get('inference_profile') or 'global'}.{item['id']}"

    def api_model_id(self, model: str) -> str:
        """The id sent to Bedrock: short aliases become the base id, with ``inference_profile`` in front."""
        item = catalogue.entry(model)
        if item is None or model not in item.get("aliases", ()):
            return model
        prefix = self.settings.get("inference_profile")
        return f"{prefix}.{item['id']}" if prefix else item["id"]

    # -- credentials and client -------------------------------------------------------------

    def credentials(self) -> CredentialStatus:
        return credentials.status(self.settings, self.env)

    def region(self) -> str:
        region = (
            self.settings.get("region")
            or self.env.get("AWS_REGION")
            or self.env.get("AWS_DEFAULT_REGION")
            or credentials.profile_region(self.env, credentials.profile_name(self.settings, self.env))
        )
        if not region:
            raise MissingCredentials(
                "bedrock needs an AWS region: set AWS_REGION or providers.bedrock.region (e.g. us-east-1)"
            )
        return region

    def endpoint_url(self) -> str | None:
        """``providers.bedrock.endpoint_url``, else the service-specific and global AWS overrides."""
        return (
            self.settings.get("endpoint_url")
            or self.env.get("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
            or self.env.get("AWS_ENDPOINT_URL")
            or None
        )

    async def client(self) -> Any:
        """The boto3 ``bedrock-runtime`` client (created once, off the event loop: importing boto3
        takes a second or more; boto3 clients are thread-safe)."""
        return await self._clients.get("bedrock-runtime", self._build_client)

    def _build_client(self) -> Any:
        """Import boto3 and construct the client (blocking: runs in a worker thread)."""
        boto3 = require("boto3", dist="claw-provider-bedrock")  # imported lazily: ~1 s
        from botocore.config import Config

        session_args: dict[str, Any] = {"region_name": self.region()}
        profile = credentials.profile_name(self.settings, self.env)
        explicit = bool(self.settings.get("profile"))
        if not explicit and self.env.get("AWS_ACCESS_KEY_ID") and self.env.get("AWS_SECRET_ACCESS_KEY"):
            session_args.update(
                aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=self.env.get("AWS_SESSION_TOKEN") or None,
            )
        elif profile:
            session_args["profile_name"] = profile
        config = Config(
            retries={"total_max_attempts": 1, "mode": "standard"},  # the kernel retries
            connect_timeout=10,
            read_timeout=float(self.settings.get("read_timeout", 300)),
            user_agent_extra="claw",
        )
        try:
            session = boto3.session.Session(**session_args)
            client = session.client("bedrock-runtime", endpoint_url=self.endpoint_url(), config=config)
        except Exception as exc:
            raise api_error(exc) from exc
        if debugging():
            _log_requests(client)
        return client

    # -- streaming ---------------------------------------------------------------------------

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        # The Converse translation is imported by the first request: every run registers the provider.
        from claw_provider_bedrock.converse import StreamTranslator, converse_params

        model_id = self.api_model_id(request.model)
        item = catalogue.entry(model_id) or {}
        info = self.info_of(request)
        params = converse_params(request, model_id=model_id, info=info, thinking=item.get("thinking"))
        client = await self.client()
        get_logger("claw.provider.bedrock").debug(
            "converse_stream", model=model_id, endpoint=client.meta.endpoint_url
        )
        translator = StreamTranslator(request.model)
        request_id = ""
        opened: list[Any] = []
        stream = _in_thread(lambda: _converse_stream(client, params, opened), on_stop=lambda: _abort(opened))
        async for kind, payload in stream:
            if kind == "request_id":
                request_id = payload
                continue
            for event in translator.feed(payload):
                yield event
        yield ResponseComplete(response=translator.response(request_id))

    async def aclose(self) -> None:
        for client in self._clients.built().values():
            client.close()
        self._clients.clear()


def _log_requests(client: Any) -> None:
    """Log every HTTP request ``client`` sends (:func:`claw_wire.http_request`) through botocore's
    ``before-send`` / ``response-received`` events, which fire in the sending thread."""
    sent = threading.local()

    def before_send(request: Any, **_: Any) -> None:
        sent.request = (request.method, request.url, time.perf_counter())

    def received(response_dict: Any, exception: Any, **_: Any) -> None:
        method, url, started = sent.request
        status = (response_dict or {}).get("status_code")
        error = None if exception is None else unreachable_cause(exception) or _line(exception)
        http_request(method, url, seconds=time.perf_counter() - started, status=status, error=error)

    client.meta.events.register("before-send.bedrock-runtime", before_send)
    client.meta.events.register("response-received.bedrock-runtime", received)


def _abort(opened: list[Any]) -> None:
    """Unblock the worker thread's read from the loop thread without blocking it.

    Closing the stream here would wait for the lock the blocked read holds; urllib3's
    ``HTTPResponse.shutdown()`` shuts the socket's read side instead, so the read returns at once
    and the worker closes the stream itself. (botocore keeps the urllib3 response as
    ``EventStream._raw_stream``; if that changes, the read ends at ``read_timeout``.)
    """
    for stream in opened:
        raw = getattr(stream, "_raw_stream", None)
        with contextlib.suppress(Exception):  # already finished or released: nothing is blocked
            raw.shutdown()  # type: ignore[union-attr]


def _converse_stream(client: Any, params: dict[str, Any], opened: list[Any]) -> Any:
    """Generator run in the worker thread: the request id, then every stream event."""
    try:
        response = client.converse_stream(**params)
    except Exception as exc:
        raise api_error(exc) from exc
    meta = response.get("ResponseMetadata") or {}
    yield "request_id", (meta.get("HTTPHeaders") or {}).get("x-amzn-requestid", meta.get("RequestId", ""))
    stream = response["stream"]
    opened.append(stream)
    try:
        for event in stream:
            yield "event", event
    except Exception as exc:
        raise api_error(exc) from exc
    finally:
        stream.close()


async def _in_thread(make: Any, on_stop: Any) -> AsyncIterator[Any]:
    """Iterate the blocking generator ``make()`` in a daemon thread without blocking the loop.

    A daemon thread rather than the default executor: a stalled read must not hold up interpreter
    or loop shutdown. When the consumer stops early (cancelled by the kernel's idle watchdog, say),
    ``on_stop`` runs to unblock the thread and later items are dropped.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            stop.set()

    def work() -> None:
        gen = make()
        try:
            for item in gen:
                if stop.is_set():
                    break
                put(("item", item))
            put(("end", None))
        except BaseException as exc:
            put(("error", exc))
        finally:
            gen.close()

    threading.Thread(target=work, name="claw-bedrock-stream", daemon=True).start()
    try:
        while True:
            tag, value = await queue.get()
            if tag == "end":
                return
            if tag == "error":
                raise api_error(value) from value
            yield value
    finally:
        if not stop.is_set():
            stop.set()
            on_stop()
