"""The Vertex AI models claw knows: Claude (Anthropic publisher) and Gemini (Google publisher).

Data only, so ``claw models`` and capability checks never import an SDK.

Claude ids are the ids Vertex expects in the endpoint URL. Models up to the 4.5 family carry a
snapshot date after ``@`` (``claude-sonnet-4-5@20250929``); later ones are published without one
(``claude-opus-4-6``). The canonical Anthropic ids are aliases, so ``vertex/claude-sonnet-4-5`` and
``vertex/claude-sonnet-4-5-20250929`` both reach ``claude-sonnet-4-5@20250929``, and any other dated
id ``<name>-YYYYMMDD`` is sent as ``<name>@YYYYMMDD``.

``thinking`` says how reasoning is requested: Claude ``adaptive`` / ``budget`` (Anthropic thinking
parameters), Gemini ``level`` (``thinking_level``) / ``budget`` (``thinking_budget``, up to
``max_budget``). Prices: USD per million tokens, global endpoint list prices of November 2026
(Gemini: prompts up to 200k tokens).
"""

from __future__ import annotations

import re
from typing import Any

_CLAUDE = {
    "family": "claude",
    "supports_images": True,
    "supports_thinking": True,
    "supports_prompt_cache": True,
}
_GEMINI = {
    "family": "gemini",
    "context_window": 1_048_576,
    "max_output_tokens": 65_536,
    "supports_images": True,
    "supports_thinking": True,
    "supports_prompt_cache": True,  # implicit caching: no breakpoints, cached tokens are reported
}
_FIVE = ("low", "medium", "high", "xhigh", "max")

MODELS: list[dict[str, Any]] = [
    {
        **_CLAUDE,
        "id": "claude-fable-5",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": _FIVE,
        "thinking": "adaptive",
        "pricing": {"input": 10.0, "output": 50.0},
    },
    {
        **_CLAUDE,
        "id": "claude-sonnet-5-5",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": _FIVE,
        "thinking": "adaptive",
        "pricing": {"input": 2.0, "output": 10.0},
    },
    {
        **_CLAUDE,
        "id": "claude-sonnet-5",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": _FIVE,
        "thinking": "adaptive",
        "pricing": {"input": 2.0, "output": 10.0},
    },
    {
        **_CLAUDE,
        "id": "claude-opus-4-8",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": _FIVE,
        "thinking": "adaptive",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "claude-opus-4-7",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": _FIVE,
        "thinking": "adaptive",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "claude-opus-4-6",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "claude-sonnet-4-6",
        "context_window": 1_000_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 3.0, "output": 15.0},
    },
    {
        **_CLAUDE,
        "id": "claude-opus-4-5@20251101",
        "aliases": ("claude-opus-4-5", "claude-opus-4-5-20251101"),
        "context_window": 200_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "claude-sonnet-4-5@20250929",
        "aliases": ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        "context_window": 200_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 3.0, "output": 15.0},
    },
    {
        **_CLAUDE,
        "id": "claude-haiku-4-5@20251001",
        "aliases": ("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        "context_window": 200_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 1.0, "output": 5.0},
    },
    {
        **_GEMINI,
        "id": "gemini-3-pro-preview",
        "effort_levels": ("low", "high"),
        "thinking": "level",
        "pricing": {"input": 2.0, "output": 12.0, "cache_read": 0.2},
    },
    {
        **_GEMINI,
        "id": "gemini-3-flash-preview",
        "effort_levels": ("low", "medium", "high"),
        "thinking": "level",
        "pricing": {"input": 0.5, "output": 3.0, "cache_read": 0.05},
    },
    {
        **_GEMINI,
        "id": "gemini-2.5-pro",
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "max_budget": 32_768,
        "pricing": {"input": 1.25, "output": 10.0, "cache_read": 0.125},
    },
    {
        **_GEMINI,
        "id": "gemini-2.5-flash",
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "max_budget": 24_576,
        "pricing": {"input": 0.3, "output": 2.5, "cache_read": 0.03},
    },
    {
        **_GEMINI,
        "id": "gemini-2.5-flash-lite",
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "max_budget": 24_576,
        "pricing": {"input": 0.1, "output": 0.4, "cache_read": 0.01},
    },
]

#: Keys that are claw-private, not :class:`claw.ModelInfo` fields.
PRIVATE_KEYS = frozenset({"family", "thinking", "max_budget"})

_DATED = re.compile(r"^(claude-[a-z0-9-]+?)-(\d{8})$")


def entry(model_id: str) -> dict[str, Any] | None:
    for item in MODELS:
        if model_id == item["id"] or model_id in item.get("aliases", ()):
            return item
    return None


def vertex_id(model_id: str) -> str:
    """The id Vertex expects for ``model_id``: catalogue aliases resolve, other dated Claude ids
    become ``name@date``, anything else passes through."""
    item = entry(model_id)
    if item is not None:
        return item["id"]
    dated = _DATED.match(model_id)
    return f"{dated[1]}@{dated[2]}" if dated else model_id


def family(model_id: str) -> str | None:
    """``claude`` or ``gemini`` (the publisher that serves the model), else ``None``."""
    item = entry(model_id)
    if item is not None:
        return item["family"]
    for name in ("claude", "gemini"):
        if model_id.startswith(name):
            return name
    return None
