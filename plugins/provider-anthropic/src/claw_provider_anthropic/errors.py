"""Map the ``anthropic`` SDK's exceptions to :class:`claw.ApiError`, the one error type the kernel's
retry loop understands."""

from __future__ import annotations

from types import ModuleType

from claw import ApiError
from claw.errors import parse_retry_after

#: HTTP status per ``error.type``, for errors that arrive as an ``error`` event inside a 200 stream.
STATUS_OF_TYPE = {
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


def api_error(exc: BaseException, anthropic: ModuleType, *, streaming: bool = False) -> ApiError:
    """The :class:`ApiError` for an SDK or transport exception raised by a Messages request.

    :param streaming: the response had started, so a transport failure is a cut stream.
    """
    if isinstance(exc, anthropic.APIStatusError):
        error_type = exc.type or ""
        status = exc.status_code
        where = ""
        if status < 400:  # an ``error`` event in the middle of a stream
            status = STATUS_OF_TYPE.get(error_type, 500)
            where = " mid-stream"
        message = exc.api_message or str(exc)
        detail = f"{error_type}: " if error_type else ""
        request_id = f" (request id {exc.request_id})" if exc.request_id else ""
        return ApiError.from_status(
            status,
            f"Anthropic API error {status}{where}: {detail}{message}{request_id}",
            retry_after=parse_retry_after(exc.response.headers),
            error_code=exc.error_code,
            provider="anthropic",
        )
    if isinstance(exc, anthropic.APITimeoutError):
        return ApiError.from_status(None, "Anthropic API request timed out", provider="anthropic")
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, anthropic.APIConnectionError) and exc.__cause__ is not None:
        reason = f"{reason} ({exc.__cause__})"
    what = "stream interrupted" if streaming else "connection failed"
    return ApiError.from_status(None, f"Anthropic API {what}: {reason}", provider="anthropic")
