"""The Bedrock models claw knows: ids, capabilities and on-demand prices (USD per million tokens).

Data only, so ``claw models`` and capability checks never import boto3. Ids are Bedrock's base model
ids; cross-region inference profiles (``us.``, ``eu.``, ``apac.``, ``jp.``, ``au.``, ``global.`` in front
of the id) resolve to the same entry. ``thinking`` says how reasoning is requested: ``adaptive``
(Anthropic adaptive thinking plus ``output_config.effort``), ``budget`` (Anthropic
``thinking.budget_tokens`` from the effort) or absent (the model has no reasoning control).

Prices are the public us-east-1 on-demand list prices of November 2026; regional profiles and
batch or provisioned throughput differ.
"""

from __future__ import annotations

from typing import Any

#: Inference-profile prefixes Bedrock puts in front of a base model id.
PROFILE_PREFIXES = ("us", "eu", "apac", "jp", "au", "ca", "us-gov", "global")

_CLAUDE = {
    "supports_images": True,
    "supports_thinking": True,
    "supports_prompt_cache": True,
    "context_window": 200_000,
}

MODELS: list[dict[str, Any]] = [
    {
        **_CLAUDE,
        "id": "anthropic.claude-fable-5",
        "aliases": ("claude-fable-5",),
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "xhigh", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 10.0, "output": 50.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-sonnet-5-5",
        "aliases": ("claude-sonnet-5-5",),
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "xhigh", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 2.0, "output": 10.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-sonnet-5",
        "aliases": ("claude-sonnet-5",),
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "xhigh", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 2.0, "output": 10.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-opus-4-8",
        "aliases": ("claude-opus-4-8",),
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "xhigh", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-opus-4-7",
        "aliases": ("claude-opus-4-7",),
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "xhigh", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-opus-4-6-v1",
        "aliases": ("claude-opus-4-6",),
        "context_window": 1_000_000,
        "max_output_tokens": 128_000,
        "effort_levels": ("low", "medium", "high", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-sonnet-4-6",
        "aliases": ("claude-sonnet-4-6",),
        "context_window": 1_000_000,
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high", "max"),
        "thinking": "adaptive",
        "pricing": {"input": 3.0, "output": 15.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-opus-4-5-20251101-v1:0",
        "aliases": ("claude-opus-4-5", "claude-opus-4-5-20251101"),
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 5.0, "output": 25.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "aliases": ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 3.0, "output": 15.0},
    },
    {
        **_CLAUDE,
        "id": "anthropic.claude-haiku-4-5-20251001-v1:0",
        "aliases": ("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        "max_output_tokens": 64_000,
        "effort_levels": ("low", "medium", "high"),
        "thinking": "budget",
        "pricing": {"input": 1.0, "output": 5.0},
    },
    {
        "id": "amazon.nova-pro-v1:0",
        "context_window": 300_000,
        "max_output_tokens": 10_000,
        "supports_images": True,
        "supports_prompt_cache": True,
        "pricing": {"input": 0.8, "output": 3.2, "cache_read": 0.2, "cache_write_5m": 0.8},
    },
    {
        "id": "amazon.nova-lite-v1:0",
        "context_window": 300_000,
        "max_output_tokens": 10_000,
        "supports_images": True,
        "supports_prompt_cache": True,
        "pricing": {"input": 0.06, "output": 0.24, "cache_read": 0.015, "cache_write_5m": 0.06},
    },
    {
        "id": "meta.llama4-maverick-17b-instruct-v1:0",
        "context_window": 1_000_000,
        "max_output_tokens": 8_192,
        "supports_images": True,
        "pricing": {"input": 0.24, "output": 0.97},
    },
    {
        "id": "deepseek.r1-v1:0",
        "context_window": 128_000,
        "max_output_tokens": 32_768,
        "supports_tools": False,
        "supports_thinking": True,
        "pricing": {"input": 1.35, "output": 5.4},
    },
    {
        "id": "mistral.mistral-large-2407-v1:0",
        "context_window": 128_000,
        "max_output_tokens": 8_192,
        "pricing": {"input": 2.0, "output": 6.0},
    },
]


def split_profile(model_id: str) -> tuple[str | None, str]:
    """``us.anthropic.claude-...`` -> ``("us", "anthropic.claude-...")``; other ids have no prefix."""
    head, dot, rest = model_id.partition(".")
    if dot and head in PROFILE_PREFIXES and "." in rest:
        return head, rest
    return None, model_id


def entry(model_id: str) -> dict[str, Any] | None:
    """The catalogue entry for a base id, an alias or an inference profile id, if known."""
    _, base = split_profile(model_id)
    for item in MODELS:
        if base == item["id"] or base in item.get("aliases", ()):
            return item
    return None
