"""Map the ``anthropic`` and ``openai`` SDKs' exceptions to :class:`claw.errors.ApiError`.

Both SDKs share one generated base client, so their errors have the same shapes: ``APIStatusError``
with ``status_code``, ``body`` and ``response``; ``APIConnectionError`` / ``APITimeoutError``; and a
bare ``APIError`` for an error event inside a stream. Duck-typed, so neither SDK is imported here.
"""

from __future__ import annotations

from typing import Any

from claw.errors import ApiError, ClawError, parse_retry_after

#: The HTTP status an in-stream Anthropic ``error`` event stands for.
STREAM_ERROR_STATUS = {
    "overloaded_error": 529,
    "rate_limit_error": 429,
    "api_error": 500,
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
}


def _error_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error") if isinstance(body.get("error"), dict) else body
        message = error.get("message")
        if isinstance(message, str) and message:
            return message
    return str(getattr(exc, "message", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__


def _error_code(exc: Any) -> str | None:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error") if isinstance(body.get("error"), dict) else body
        details = error.get("details")
        if isinstance(details, dict) and isinstance(details.get("error_code"), str):
            return details["error_code"]
        if isinstance(error.get("code"), str):
            return error["code"]
    return None


def sdk_error(exc: BaseException, provider: str) -> ClawError:
    """One :class:`ApiError` for an ``anthropic`` or ``openai`` SDK exception.

    Status errors keep their status, ``retry-after`` and vendor error code; an error event inside a
    stream is classified by its type (``overloaded_error`` -> 529); connection errors, timeouts and
    status-less stream errors are retryable. claw errors pass through unchanged; anything else is a
    non-retryable ``unknown`` error carrying the exception's first line.
    """
    if isinstance(exc, ClawError):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and status < 400:
        # an ``error`` event inside a 200 stream: the SDK raises it with the stream's status
        body = getattr(exc, "body", None)
        error = body.get("error") if isinstance(body, dict) else None
        etype = error.get("type") if isinstance(error, dict) else None
        status = STREAM_ERROR_STATUS.get(etype or "", 500)
        return ApiError.from_status(
            status, f"{provider}: {etype or 'error'}: {_error_message(exc)}", provider=provider
        )
    if isinstance(status, int):
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
        return ApiError.from_status(
            status,
            f"{provider}: {status} {_error_message(exc)}",
            retry_after=parse_retry_after(headers) if headers is not None else None,
            error_code=_error_code(exc),
            provider=provider,
        )
    if names & {"APIConnectionError", "APITimeoutError", "APIResponseValidationError"} or names & {
        "TransportError",
        "RemoteProtocolError",
        "ReadError",
    }:
        return ApiError(
            f"{provider}: connection failed: {_error_message(exc)}",
            retryable=True,
            kind="server_error",
            provider=provider,
        )
    if "APIError" in names:  # an error chunk inside an OpenAI stream carries no status
        return ApiError(
            f"{provider}: stream error: {_error_message(exc)}",
            retryable=True,
            kind="server_error",
            provider=provider,
        )
    return ApiError(f"{provider}: {type(exc).__name__}: {_error_message(exc)}", provider=provider)
