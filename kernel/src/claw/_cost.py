"""Token accounting and prices: ``total_cost_usd``, ``usage`` and per-model ``modelUsage``.

Prices are data: each provider's :class:`claw.ModelInfo` carries a :class:`claw.Pricing` (USD per
million tokens), and settings ``prices`` override it per model address or id::

    {"prices": {"openai/gpt-5.4-mini": {"input": 0.25, "output": 2.0, "cache_read": 0.025}}}

Cache writes and reads are priced (Anthropic's multipliers of the input price by default). A model with
no price counts as free, and the run says so once on stderr.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from claw import _console as console
from claw._messages import Usage
from claw._providers import ModelInfo, Pricing


def price_for(info: ModelInfo, overrides: Mapping[str, Mapping[str, float]]) -> Pricing | None:
    """The price of ``info``'s model: settings ``prices`` (by address, then id) over the model's own."""
    for key in (info.address, info.id):
        if key in overrides:
            base = info.pricing.model_dump() if info.pricing else {}
            return Pricing.model_validate({**base, **overrides[key]})
    return info.pricing


@dataclass
class ModelTally:
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    context_window: int = 0
    max_output_tokens: int = 0


class CostTracker:
    """Sums usage and cost per model over one run."""

    def __init__(self, prices: Mapping[str, Mapping[str, float]] | None = None) -> None:
        self.prices = dict(prices or {})
        self.models: dict[str, ModelTally] = {}

    def add(self, info: ModelInfo, usage: Usage) -> float:
        """Count one response; returns its cost in USD."""
        pricing = price_for(info, self.prices)
        if pricing is None:
            console.warn(f"no price known for {info.address}; its cost counts as 0 (set settings prices)")
        cost = pricing.cost(usage) if pricing is not None else 0.0
        self._count(info.id, ModelTally(usage, cost, info.context_window, info.max_output_tokens))
        return cost

    def merge(self, other: CostTracker) -> None:
        """Add ``other``'s usage and cost (a sub-agent's run) to this run's, per model."""
        for model, tally in other.models.items():
            self._count(model, tally)

    def _count(self, model: str, tally: ModelTally) -> None:
        mine = self.models.setdefault(
            model, ModelTally(Usage(), 0.0, tally.context_window, tally.max_output_tokens)
        )
        mine.usage = mine.usage + tally.usage
        mine.cost_usd += tally.cost_usd

    @property
    def total_cost_usd(self) -> float:
        return sum(t.cost_usd for t in self.models.values())

    @property
    def usage(self) -> Usage:
        return sum((t.usage for t in self.models.values()), Usage())

    def model_usage(self) -> dict[str, Any]:
        """Claude Code's ``modelUsage``: ``{model: {inputTokens, outputTokens, ..., costUSD}}``."""
        return {
            model: {
                "inputTokens": t.usage.input_tokens,
                "outputTokens": t.usage.output_tokens,
                "cacheReadInputTokens": t.usage.cache_read_input_tokens,
                "cacheCreationInputTokens": t.usage.cache_creation_input_tokens,
                "webSearchRequests": 0,
                "costUSD": t.cost_usd,
                "contextWindow": t.context_window,
                "maxOutputTokens": t.max_output_tokens,
            }
            for model, t in self.models.items()
        }
