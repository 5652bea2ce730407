"""The Azure AI Foundry models claw knows, by their default deployment names.

Data only (no SDK import). A Foundry deployment has a name you choose; these entries match the
default name (the model id). ``wire`` says which API serves it: ``anthropic`` (Claude deployments,
``/anthropic/v1/messages``) or ``openai`` (everything else, ``/openai/v1/chat/completions``).
A deployment named ``<model-id>-<suffix>`` is taken for that model; other names are routed by
``providers.foundry.deployments`` or by a ``claude-`` prefix. ``thinking`` is the Claude thinking style (see :mod:`claw.wire.anthropic`);
``max_tokens_field`` is the Chat Completions field a partner model expects.

Prices: USD per million tokens, Global Standard list prices of November 2026 (Claude on Foundry is
billed at Anthropic's prices).
"""

from __future__ import annotations

from typing import Any

_CLAUDE = {
    "wire": "anthropic",
    "supports_images": True,
    "supports_thinking": True,
    "supports_prompt_cache": True,
}
_GPT = {"wire": "openai", "supports_images": True, "supports_prompt_cache": True}
_FIVE = ("low", "medium", "high", "xhigh", "max")

MODELS: list[dict[str, Any]] = [
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
        "id": "claude-opus-4-5",
        "context_window": 200_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "claude-sonnet-4-5",
        "context_window": 200_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 3.0, "output": 15.0},
    },
    {
        **_CLAUDE,
        "id": "claude-haiku-4-5",
        "context_window": 200_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 1.0, "output": 5.0},
    },
    {
        **_GPT,
        "id": "gpt-5.4",
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "supports_thinking": True,
        "effort_levels": ("low", "medium", "high", "xhigh"),
        "pricing": {"input": 2.5, "output": 15.0, "cache_write_5m": 2.5, "cache_read": 0.25},
    },
    {
        **_GPT,
        "id": "gpt-5.4-mini",
        "context_window": 400_000,
        "max_output_tokens": 128_000,
        "supports_thinking": True,
        "effort_levels": ("low", "medium", "high", "xhigh"),
        "pricing": {"input": 0.75, "output": 4.5, "cache_write_5m": 0.75, "cache_read": 0.075},
    },
    {
        **_GPT,
        "id": "gpt-5",
        "context_window": 400_000,
        "max_output_tokens": 128_000,
        "supports_thinking": True,
        "effort_levels": ("low", "medium", "high"),
        "pricing": {"input": 1.25, "output": 10.0, "cache_write_5m": 1.25, "cache_read": 0.125},
    },
    {
        **_GPT,
        "id": "gpt-5-mini",
        "context_window": 400_000,
        "max_output_tokens": 128_000,
        "supports_thinking": True,
        "effort_levels": ("low", "medium", "high"),
        "pricing": {"input": 0.25, "output": 2.0, "cache_write_5m": 0.25, "cache_read": 0.025},
    },
    {
        **_GPT,
        "id": "o4-mini",
        "context_window": 200_000,
        "max_output_tokens": 100_000,
        "supports_thinking": True,
        "effort_levels": ("low", "medium", "high"),
        "pricing": {"input": 1.1, "output": 4.4, "cache_write_5m": 1.1, "cache_read": 0.275},
    },
    {
        **_GPT,
        "id": "gpt-4.1",
        "context_window": 1_047_576,
        "max_output_tokens": 32_768,
        "pricing": {"input": 2.0, "output": 8.0, "cache_write_5m": 2.0, "cache_read": 0.5},
    },
    {
        "wire": "openai",
        "id": "DeepSeek-R1",
        "context_window": 128_000,
        "max_output_tokens": 32_768,
        "supports_tools": False,
        "supports_thinking": True,
        "max_tokens_field": "max_tokens",
        "pricing": {"input": 1.35, "output": 5.4},
    },
    {
        "wire": "openai",
        "id": "Llama-4-Maverick-17B-128E-Instruct-FP8",
        "context_window": 1_000_000,
        "max_output_tokens": 8_192,
        "supports_images": True,
        "max_tokens_field": "max_tokens",
        "pricing": {"input": 0.25, "output": 1.0},
    },
    {
        "wire": "openai",
        "id": "Mistral-Large-2411",
        "context_window": 128_000,
        "max_output_tokens": 8_192,
        "max_tokens_field": "max_tokens",
        "pricing": {"input": 2.0, "output": 6.0},
    },
]

#: Keys that are claw-private, not :class:`claw.ModelInfo` fields.
PRIVATE_KEYS = frozenset({"wire", "thinking", "max_tokens_field"})


def entry(name: str) -> dict[str, Any] | None:
    """The catalogue entry for a deployment named after its model: the model id itself, or the id
    plus a ``-suffix`` (``claude-sonnet-4-6-prod``; the longest matching id wins)."""
    matches = [item for item in MODELS if name == item["id"] or name.startswith(item["id"] + "-")]
    return max(matches, key=lambda item: len(item["id"]), default=None)
