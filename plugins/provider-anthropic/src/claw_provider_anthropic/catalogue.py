"""The Claude model catalogue, read from ``models.json`` (data, so a price or a new model is a one-line
change) into :class:`claw.ModelInfo` plus the thinking mode each model needs on the wire."""

from __future__ import annotations

import json
import pkgutil
from functools import cache
from typing import Any

from claw import ModelInfo, Pricing
from claw_wire.anthropic import ThinkingStyle


@cache
def _data() -> dict[str, Any]:
    # pkgutil, not importlib.resources (tempfile, shutil: ~3 ms of every start)
    return json.loads(pkgutil.get_data(__package__, "models.json") or b"")


@cache
def models() -> list[ModelInfo]:
    return [
        ModelInfo(
            id=m["id"],
            provider="anthropic",
            aliases=tuple(m.get("aliases", ())),
            context_window=m["context_window"],
            max_output_tokens=m["max_output_tokens"],
            supports_tools=True,
            supports_images=True,
            supports_thinking=m.get("thinking") is not None,
            effort_levels=tuple(m.get("effort_levels", ())),
            supports_prompt_cache=True,
            pricing=Pricing(**m["pricing"]),
        )
        for m in _data()["models"]
    ]


def thinking_mode(model_id: str) -> ThinkingStyle:
    """The catalogue's thinking mode for ``model_id``; unknown ids get ``None`` (no thinking parameters
    are sent, so the API's default applies)."""
    for m in _data()["models"]:
        if model_id == m["id"] or model_id in m.get("aliases", ()):
            return m.get("thinking")
    return None
