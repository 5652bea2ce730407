"""The kernel's typed errors.

Every error a user can cause ends the run with one line on stderr and a fixed exit code; the CLI maps
these classes to those codes in one place (``claw._cli._errors``). Plugins raise them too: a provider
turns its SDK's exceptions into :class:`ApiError`, so retries and fallbacks live in the kernel only.
"""

from __future__ import annotations


class ClawError(Exception):
    """Base class. ``str(error)`` is the one line shown to the user."""

    #: Process exit code when this error ends a run.
    exit_code: int = 1


class UsageError(ClawError):
    """A bad flag or argument: exit code 2, like click's own usage errors."""

    exit_code = 2


class ConfigError(ClawError):
    """A settings file that cannot be used: invalid JSON, a wrong value or an unknown hook event."""


class PluginError(ClawError):
    """A plugin that cannot be loaded or that broke its contract."""


class ProviderNotFound(ClawError):
    """A ``provider/model`` whose provider no installed plugin registers."""


class MissingCredentials(ClawError):
    """A provider has no credentials; the message names the variable or setting to set."""


class CapabilityError(ClawError):
    """A request the model cannot serve: it carries tools or images the model does not accept.

    A fallback model that raises this is skipped (see :mod:`claw._loop.retry`).

    :param reason: what the model lacks, e.g. ``does not accept images``, for the one-line skip notice.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ApiError(ClawError):
    """A model API call failed.

    Providers raise this from their SDK's errors so the kernel's single retry loop can decide what to do.

    :param status_code: the HTTP status, or ``None`` for a connection failure or a cut stream.
    :param retryable: whether trying again may succeed (408, 409, 429 except spend caps, 5xx, 529,
        resets, cut or stalled streams).
    :param retry_after: seconds the server asked us to wait, from ``retry-after-ms`` or ``retry-after``.
    :param kind: a short classification in Claude Code's ``api_retry`` vocabulary: ``rate_limit``,
        ``overloaded``, ``authentication_failed``, ``billing_error``, ``invalid_request``,
        ``model_not_found``, ``server_error``, ``max_output_tokens`` or ``unknown``.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        kind: str = "unknown",
        provider: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.retryable = retryable
        self.retry_after = retry_after
        self.kind = kind
        self.provider = provider

    @classmethod
    def from_status(
        cls,
        status_code: int | None,
        message: str,
        *,
        retry_after: float | None = None,
        error_code: str | None = None,
        provider: str | None = None,
    ) -> ApiError:
        """Classify an HTTP failure the same way for every provider.

        :param error_code: a vendor detail such as ``enforced_spend_limit_reached`` or
            ``insufficient_quota`` that turns a 429 into a fatal billing error.
        """
        kind, retryable = _classify(status_code, error_code)
        return cls(
            message,
            status_code=status_code,
            retryable=retryable,
            retry_after=retry_after,
            kind=kind,
            provider=provider,
        )


class EndpointUnreachable(ApiError):
    """The model API's endpoint could not be reached at all: the connection was refused or the host name
    did not resolve. Retried only briefly, and why, and the one line it ends with: docs/cli.md ("Retries,
    the idle watchdog and fallbacks"); the message names the endpoint as ``scheme://host:port``.
    """

    def __init__(self, url: str, cause: str, *, provider: str | None = None) -> None:
        self.endpoint = endpoint_of(url)
        self.cause = cause
        super().__init__(
            f"cannot reach {self.endpoint}: {cause}", retryable=True, kind="server_error", provider=provider
        )


def endpoint_of(url: str) -> str:
    """``scheme://host:port`` of ``url``, the port spelt out even when it is the scheme's default
    (credentials, path and query dropped)."""
    from urllib.parse import urlsplit  # imported when needed: this module loads at start-up

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port}" if port else f"{parts.scheme}://{host}"


_FATAL_QUOTA_CODES = frozenset(
    {"enforced_spend_limit_reached", "insufficient_quota", "billing_hard_limit_reached"}
)


def _classify(status: int | None, error_code: str | None) -> tuple[str, bool]:
    if status is None:
        return "server_error", True
    if status == 429:
        if error_code in _FATAL_QUOTA_CODES:
            return "billing_error", False
        return "rate_limit", True
    if status == 529:
        return "overloaded", True
    if status in (408, 409) or status >= 500:
        return "server_error", True
    return {
        400: "invalid_request",
        401: "authentication_failed",
        402: "billing_error",
        403: "authentication_failed",
        404: "model_not_found",
        413: "invalid_request",
    }.get(status, "unknown"), False


def internal_error(exc: BaseException) -> str:
    """The one line for an exception claw did not expect (a bug, claw's or a plugin's): its type and
    first line, never the traceback (``--verbose`` or ``CLAW_LOG=debug`` prints that)."""
    lines = str(exc).strip().splitlines()
    what = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return f"internal error: {what} (--verbose shows the traceback)"
