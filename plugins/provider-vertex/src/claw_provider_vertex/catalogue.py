"""The Vertex AI models claw knows: Claude (Anthropic publisher) and Gemini (Google publisher), read
from ``models.json`` (data, so ``claw models`` and capability checks never import an SDK); an entry's
``family`` names the publisher.

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
from functools import cache
from typing import Any

from claw_wire.catalogue import Catalogue, load_catalogue


@cache
def catalogue() -> Catalogue:
    return load_catalogue("claw_provider_vertex", "vertex", private={"family", "thinking", "max_budget"})


_DATED = re.compile(r"^(claude-[a-z0-9-]+?)-(\d{8})$")


def entry(model_id: str) -> dict[str, Any] | None:
    return catalogue().find(model_id)


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
