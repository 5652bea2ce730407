"""Map the ``anthropic`` and ``openai`` SDKs' exceptions to :class:`claw.ApiError`.

Both SDKs share one generated base client, so their errors have the same shapes (and
:mod:`claw_wire.http` raises the same shapes for the requests it sends itself): ``APIStatusError``
with ``status_code``, ``body``, ``request_id`` and ``response``; ``APIConnectionError`` /
``APITimeoutError``; and a bare ``APIError`` for an error object inside an OpenAI stream. An
Anthropic ``error`` event inside a 200 stream arrives as an ``APIStatusError`` whose status is the
stream's (200). Duck-typed, so neither SDK is imported here.
"""

from __future__ import annotations

from typing import Any

from claw import ApiError, ClawError, EndpointUnreachable

from claw_wire.http import MalformedEvent, StreamErrorEvent, UnexpectedContentType

#: The HTTP status an in-stream Anthropic ``error`` event stands for, by ``error.type``.
STREAM_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

#: The HTTP status an OpenAI error object inside a 200 stream stands for, by ``code`` (or ``type``).
_OPENAI_STATUS_OF_CODE = {
    "invalid_request_error": 400,
    "invalid_prompt": 400,
    "context_length_exceeded": 400,
    "invalid_api_key": 401,
    "model_not_found": 404,
    "rate_limit_exceeded": 429,
    "insufficient_quota": 429,
    "requests": 429,
    "tokens": 429,
    "server_error": 500,
    "vector_store_timeout": 500,
}


def status_of_code(code: str | None) -> int:
    """The HTTP status an OpenAI in-stream error ``code`` stands for (500 when unknown)."""
    return _OPENAI_STATUS_OF_CODE.get(code or "", 500)


def _error_object(exc: Any) -> dict[str, Any]:
    body = getattr(exc, "body", None)
    if not isinstance(body, dict):
        return {}
    error = body.get("error")
    return error if isinstance(error, dict) else body


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _error_message(exc: Any) -> str:
    message = _text(_error_object(exc).get("message"))
    if message:
        return message
    text = str(getattr(exc, "message", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _error_code(exc: Any) -> str | None:
    error = _error_object(exc)
    details = error.get("details")
    if isinstance(details, dict) and _text(details.get("error_code")):
        return details["error_code"]
    return _text(error.get("code"))


def _request_id(exc: Any) -> str:
    request_id = getattr(exc, "request_id", None)
    return f" (request id {request_id})" if isinstance(request_id, str) and request_id else ""


def request_url(exc: BaseException) -> str | None:
    """The URL of the request that failed, from the first exception in ``exc``'s chain carrying an
    httpx-style ``request`` (the SDKs' ``APIConnectionError`` and the transport errors they wrap)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        try:
            url = current.request.url  # type: ignore[attr-defined]
        except Exception:  # no request, or httpx's "request not set" RuntimeError
            url = None
        if url:
            return str(url)
        current = current.__cause__ or current.__context__
    return None


def unreachable(exc: BaseException, provider: str) -> EndpointUnreachable | None:
    """An :class:`EndpointUnreachable` naming the endpoint when an httpx-based transport error is a
    refused connection or an unknown host; ``None`` for any other error."""
    return unreachable_at(exc, request_url(exc), provider)


def unreachable_at(exc: BaseException, url: object, provider: str) -> EndpointUnreachable | None:
    """The :class:`claw.EndpointUnreachable` for a transport failure ``exc`` at ``url``, or ``None`` when
    ``exc`` is some other failure (a reset, a timeout) or the URL is unknown."""
    cause = unreachable_cause(exc)
    return EndpointUnreachable(str(url), cause, provider=provider) if cause and url else None


def unreachable_cause(exc: BaseException) -> str | None:
    """``"connection refused"`` or ``"unknown host"`` when the exception chain of ``exc`` (its
    ``__cause__`` / ``__context__``, where SDKs keep the socket error they wrap) holds a refused
    connection or a failed host name lookup; ``None`` otherwise."""
    import socket  # imported when needed: a provider module imports this one on its first use

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return "connection refused"
        if isinstance(current, socket.gaierror):
            if current.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
                return "unknown host"
            return f"host name lookup failed ({current.strerror or current})"
        current = current.__cause__ or current.__context__
    return None


def parse_retry_after(headers: object) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date).

    :param headers: any mapping with case-insensitive ``get`` (httpx, httpx2, requests, botocore).
    """
    get = getattr(headers, "get", None)
    if get is None:
        return None
    ms = get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        import time
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def sdk_error(exc: BaseException, provider: str, *, streaming: bool = False) -> ClawError:
    """One :class:`ApiError` for an ``anthropic`` or ``openai`` SDK (or transport) exception.

    Status errors keep their status, ``retry-after``, vendor error code (``enforced_spend_limit_reached``
    and ``insufficient_quota`` make a 429 final) and the server's message and error type. An error
    inside a stream is classified by its type or code (``overloaded_error`` -> 529). Connection
    errors, timeouts and cut streams are retryable; a refused connection or an unknown host is an
    :class:`EndpointUnreachable` naming the URL (retried only briefly). claw errors pass through unchanged; anything else
    is a non-retryable ``unknown`` error carrying the exception's first line.

    :param streaming: the response had started, so a transport failure is a cut stream.
    """
    if isinstance(exc, ClawError):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    if isinstance(exc, UnexpectedContentType):
        return ApiError(f"{provider}: {exc}", provider=provider)
    if isinstance(exc, MalformedEvent) or (streaming and "JSONDecodeError" in names):
        # A damaged event is a damaged stream: retried like a cut one (an SDK's decoder raises
        # ``json.JSONDecodeError`` where :mod:`claw_wire.http` raises :class:`MalformedEvent`).
        return ApiError.from_status(None, f"{provider}: stream interrupted: {exc}", provider=provider)
    status = getattr(exc, "status_code", None)
    error = _error_object(exc)
    etype = _text(error.get("type"))
    if isinstance(status, int) and status < 400:
        # an Anthropic ``error`` event inside a 200 stream: the SDK raises it with the stream's status
        return ApiError.from_status(
            STREAM_ERROR_STATUS.get(etype or "", 500),
            f"{provider}: error mid-stream: {etype or 'error'}: {_error_message(exc)}{_request_id(exc)}",
            error_code=_error_code(exc),
            provider=provider,
        )
    if isinstance(status, int):
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
        body = getattr(exc, "body", None)
        # An Anthropic error body (``{"type": "error", "error": {"type": ...}}``) names its error type
        # and comes with a request id, both of which Anthropic support asks for.
        anthropic_shaped = isinstance(body, dict) and body.get("type") == "error"
        detail = f"{etype}: " if anthropic_shaped and etype else ""
        request_id = _request_id(exc) if anthropic_shaped else ""
        return ApiError.from_status(
            status,
            f"{provider}: {status} {detail}{_error_message(exc)}{request_id}",
            retry_after=parse_retry_after(headers) if headers is not None else None,
            error_code=_error_code(exc),
            provider=provider,
        )
    if "APITimeoutError" in names or "TimeoutException" in names:
        return ApiError.from_status(None, f"{provider}: request timed out", provider=provider)
    transport = {"APIConnectionError", "APIResponseValidationError", "TransportError", "HTTPError"}
    if names & transport:
        if not streaming and (down := unreachable(exc, provider)) is not None:
            return down
        cause = exc.__cause__
        reason = str(exc) or type(exc).__name__
        if cause is not None and str(cause) and str(cause) not in reason:
            reason = f"{reason} ({cause})"
        what = "stream interrupted" if streaming else "connection failed"
        return ApiError.from_status(None, f"{provider}: {what}: {reason}", provider=provider)
    if "APIError" in names or isinstance(exc, StreamErrorEvent):  # an OpenAI in-stream error: no status
        code = _error_code(exc) or etype
        return ApiError.from_status(
            status_of_code(code),
            f"{provider}: error mid-stream: {code or 'error'}: {_error_message(exc)}",
            error_code=code,
            provider=provider,
        )
    return ApiError(f"{provider}: {type(exc).__name__}: {_error_message(exc)}", provider=provider)
