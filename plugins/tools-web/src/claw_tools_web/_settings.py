"""Settings keys owned by the web tools (registered through ``claw_register_settings``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

M = TypeVar("M", bound=BaseModel)

#: Request headers RemoteTrigger never sends unless an operator removes them from ``deniedHeaders``.
DEFAULT_DENIED_HEADERS = [
    "Host",
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "Upgrade",
    "TE",
    "Trailer",
    "Proxy-Authorization",
    "Proxy-Connection",
    "Cookie",
]


class WebFetchSettings(BaseModel):
    """Settings ``webFetch``."""

    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    timeoutSeconds: float = Field(default=30, gt=0, le=300)
    #: Responses larger than this are refused.
    maxBytes: int = Field(default=10 * 1024 * 1024, gt=0)
    #: Characters of converted content returned to the model.
    maxChars: int = Field(default=100_000, gt=0)


class RemoteTriggerSettings(BaseModel):
    """Settings ``remoteTrigger``: limits and which request headers the model may set."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    timeoutSeconds: float = Field(default=30, gt=0, le=300)
    maxBodyBytes: int = Field(default=1024 * 1024, ge=0)
    maxResponseBytes: int = Field(default=1024 * 1024, gt=0)
    #: When not empty, only these request headers may be sent (case-insensitive).
    allowedHeaders: list[str] = Field(default_factory=list)
    #: Request headers that may never be sent; beats ``allowedHeaders``. Also removed from responses.
    deniedHeaders: list[str] = Field(default_factory=lambda: list(DEFAULT_DENIED_HEADERS))


def section(settings: Mapping[str, Any], key: str, model: type[M]) -> M:
    """The validated settings section ``key`` (defaults when absent)."""
    value = settings.get(key) if isinstance(settings, Mapping) else None
    if isinstance(value, BaseModel):
        return model.model_validate(value.model_dump())
    return model.model_validate(value or {})
