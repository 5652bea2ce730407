"""The Bedrock models claw knows, read from ``models.json`` (data, so ``claw models`` and capability
checks never import boto3).

Ids are Bedrock's base model ids; cross-region inference profiles (``us.``, ``eu.``, ``apac.``, ``jp.``,
``au.``, ``global.`` in front of the id) resolve to the same entry. An entry's ``thinking`` says how
reasoning is requested: ``adaptive`` (Anthropic adaptive thinking plus ``output_config.effort``),
``budget`` (Anthropic ``thinking.budget_tokens`` from the effort) or absent (the model has no reasoning
control). Prices are the public us-east-1 on-demand list prices of November 2026; regional profiles and
batch or provisioned throughput differ.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from claw_wire.catalogue import Catalogue, load_catalogue

#: Inference-profile prefixes Bedrock puts in front of a base model id.
PROFILE_PREFIXES = ("us", "eu", "apac", "jp", "au", "ca", "us-gov", "global")


@cache
def catalogue() -> Catalogue:
    return load_catalogue("claw_provider_bedrock", "bedrock", private={"thinking"})


def split_profile(model_id: str) -> tuple[str | None, str]:
    """``us.anthropic.claude-...`` -> ``("us", "anthropic.claude-...")``; other ids have no prefix."""
    head, dot, rest = model_id.partition(".")
    if dot and head in PROFILE_PREFIXES and "." in rest:
        return head, rest
    return None, model_id


def entry(model_id: str) -> dict[str, Any] | None:
    """The catalogue entry for a base id, an alias or an inference profile id, if known."""
    return catalogue().find(split_profile(model_id)[1])
