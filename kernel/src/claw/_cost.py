"""Token accounting and prices over one run (``total_cost_usd``, ``usage``; ``modelUsage`` is shaped in
:mod:`claw._output.shapes`). Prices and their settings ``prices``: docs/cli.md, "Cost"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from claw import _console as console
from claw._messages import Usage
from claw._providers import ModelInfo, Pricing


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
        pricing = info.pricing  # settings ``prices`` (by address, then id) over the model's own
        key = next((k for k in (info.address, info.id) if k in self.prices), None)
        if key is not None:
            pricing = Pricing.model_validate(
                {**(pricing.model_dump() if pricing else {}), **self.prices[key]}
            )
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
        mine = self.models.setdefault(model, replace(tally, usage=Usage(), cost_usd=0.0))
        mine.usage = mine.usage + tally.usage
        mine.cost_usd += tally.cost_usd

    @property
    def total_cost_usd(self) -> float:
        return sum(t.cost_usd for t in self.models.values())

    @property
    def usage(self) -> Usage:
        return sum((t.usage for t in self.models.values()), Usage())
