"""Settings ``agents.celery``: where the fleet's broker and store are.

The kernel owns the ``agents`` key; this distribution validates its own sub-key. ``CLAW_CELERY_BROKER_URL``
in the environment overrides the settings (handy on worker machines that have no claw settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from claw import ConfigError
from pydantic import BaseModel, ConfigDict, ValidationError

DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"
BROKER_ENV = "CLAW_CELERY_BROKER_URL"


class CelerySettings(BaseModel):
    """``agents.celery``: ``broker_url`` (Redis, also the result store unless ``result_backend`` names
    another), ``queue`` the workers consume, ``prefix`` of claw's own Redis keys (records and output)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    broker_url: str = DEFAULT_BROKER_URL
    result_backend: str | None = None
    queue: str = "claw"
    prefix: str = "claw"

    @property
    def results_url(self) -> str:
        return self.result_backend or self.broker_url


def celery_settings(settings: Mapping[str, Any], env: Mapping[str, str]) -> CelerySettings:
    """The ``agents.celery`` part of ``settings``, with the environment's broker override applied."""
    agents = settings.get("agents")
    raw = agents.get("celery") if isinstance(agents, Mapping) else None
    try:
        parsed = CelerySettings.model_validate(raw or {})
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"settings agents.celery.{where}: {first['msg']}") from None
    if env.get(BROKER_ENV):
        parsed = parsed.model_copy(update={"broker_url": env[BROKER_ENV]})
    if not parsed.broker_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"settings agents.celery.broker_url: {parsed.broker_url!r} is not a Redis URL")
    return parsed


def redacted(url: str) -> str:
    """``url`` without its password, for messages and records."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
