"""The OpenAI model catalogue, read from ``models.json`` (data, not code), plus the models a user
declares in settings (``providers.openai.models``) for OpenAI-compatible servers."""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from claw import ModelInfo, Pricing

Api = Literal["chat", "responses"]


@cache
def _entries() -> tuple[dict[str, Any], ...]:
    # pkgutil, not importlib.resources (tempfile, shutil: ~3 ms of every start)
    return tuple(json.loads(pkgutil.get_data(__package__, "models.json") or b"")["models"])


def _info(entry: Mapping[str, Any]) -> ModelInfo:
    pricing = entry.get("pricing")
    return ModelInfo(
        id=entry["id"],
        provider="openai",
        aliases=tuple(entry.get("aliases", ())),
        context_window=entry.get("context_window", 128_000),
        max_output_tokens=entry.get("max_output_tokens", 32_000),
        supports_tools=entry.get("supports_tools", True),
        supports_images=entry.get("supports_images", False),
        supports_thinking=bool(entry.get("effort_levels")),
        effort_levels=tuple(entry.get("effort_levels", ())),
        # OpenAI caches prefixes automatically; there is nothing to mark.
        supports_prompt_cache=False,
        pricing=Pricing(**pricing) if pricing else None,
    )


@cache
def models() -> list[ModelInfo]:
    return [_info(e) for e in _entries()]


def entry(model_id: str, declared: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The catalogue entry for ``model_id``, with what settings declare for it laid over it."""
    found: dict[str, Any] | None = None
    for e in _entries():
        if model_id == e["id"] or model_id in e.get("aliases", ()):
            found = dict(e)
    extra = (declared or {}).get(model_id)
    if isinstance(extra, Mapping):
        found = {**(found or {"id": model_id}), **extra, "id": model_id}
    return found


def model_info(model_id: str, declared: Mapping[str, Any] | None = None) -> ModelInfo:
    found = entry(model_id, declared)
    return _info(found) if found else ModelInfo(id=model_id, provider="openai")
