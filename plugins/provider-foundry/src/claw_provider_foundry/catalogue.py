"""The Azure AI Foundry models claw knows, by their default deployment names.

Read from ``models.json`` (data, no SDK import). A Foundry deployment has a name you choose; these entries match the
default name (the model id). ``wire`` says which API serves it: ``anthropic`` (Claude deployments,
``/anthropic/v1/messages``) or ``openai`` (everything else, ``/openai/v1/chat/completions``).
A deployment named ``<model-id>-<suffix>`` is taken for that model; other names are routed by
``providers.foundry.deployments`` or by a ``claude-`` prefix. ``thinking`` is the Claude thinking style (see :mod:`claw_wire.anthropic`);
``max_tokens_field`` is the Chat Completions field a partner model expects.

Prices: USD per million tokens, Global Standard list prices of November 2026 (Claude on Foundry is
billed at Anthropic's prices).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from claw_wire.catalogue import Catalogue, load_catalogue


@cache
def catalogue() -> Catalogue:
    return load_catalogue(
        "claw_provider_foundry", "foundry", private={"wire", "thinking", "max_tokens_field"}
    )


def entry(name: str) -> dict[str, Any] | None:
    """The catalogue entry for a deployment named after its model: the model id itself, or the id
    plus a ``-suffix`` (``claude-sonnet-4-6-prod``; the longest matching id wins)."""
    entries = catalogue().entries
    matches = [item for item in entries if name == item["id"] or name.startswith(item["id"] + "-")]
    return max(matches, key=lambda item: len(item["id"]), default=None)
