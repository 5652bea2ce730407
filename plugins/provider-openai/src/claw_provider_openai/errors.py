"""Map the ``openai`` SDK's exceptions to :class:`claw.ApiError`, the one error type the kernel's retry
loop understands."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from claw import ApiError
from claw.errors import parse_retry_after

#: HTTP status per error ``code``/``type``, for errors that arrive inside a 200 stream.
_STATUS_OF_CODE = {
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
    return _STATUS_OF_CODE.get(code or "", 500)


def _field(body: Any, name: str) -> str | None:
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) and value else None


def api_error(exc: BaseException, openai: ModuleType, *, streaming: bool = False) -> ApiError:
    """The :class:`ApiError` for an SDK or transport exception raised by a request.

    :param streaming: the response had started, so a transport failure is a cut stream.
    """
    if isinstance(exc, openai.APIStatusError):
        body = exc.body
        message = _field(body, "message") or exc.message
        code = _field(body, "code") or _field(body, "type")
        request_id = f" (request id {exc.request_id})" if exc.request_id else ""
        return ApiError.from_status(
            exc.status_code,
            f"OpenAI API error {exc.status_code}: {message}{request_id}",
            retry_after=parse_retry_after(exc.response.headers),
            error_code=code,
            provider="openai",
        )
    if isinstance(exc, openai.APITimeoutError):
        return ApiError.from_status(None, "OpenAI API request timed out", provider="openai")
    if isinstance(exc, openai.APIConnectionError) or not isinstance(exc, openai.APIError):
        cause = exc.__cause__ or exc
        what = "stream interrupted" if streaming else "connection failed"
        return ApiError.from_status(None, f"OpenAI API {what}: {cause}", provider="openai")
    # An error object inside a 200 stream (chat completions): classify by its code or type.
    code = _field(exc.body, "code") or _field(exc.body, "type")
    message = _field(exc.body, "message") or exc.message
    status = status_of_code(code)
    return ApiError.from_status(
        status,
        f"OpenAI API error mid-stream: {code or 'error'}: {message}",
        error_code=code,
        provider="openai",
    )
