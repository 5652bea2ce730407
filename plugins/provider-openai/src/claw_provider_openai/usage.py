"""Token counts and tool arguments, shared by the chat and responses translations."""

from __future__ import annotations

import json
from typing import Any

from claw import Usage


def usage_from(usage: dict[str, Any] | None) -> Usage:
    """claw's :class:`Usage` from a chat ``usage`` or a responses ``usage`` object (decoded JSON).

    OpenAI counts cached and cache-written tokens inside the prompt total; claw's ``input_tokens`` is
    the uncached part only, as Anthropic's is.
    """
    if not usage:
        return Usage()
    if "prompt_tokens" in usage:
        prompt, output = usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0
        details = usage.get("prompt_tokens_details") or {}
    else:
        prompt, output = usage.get("input_tokens") or 0, usage.get("output_tokens") or 0
        details = usage.get("input_tokens_details") or {}
    cached = details.get("cached_tokens") or 0
    written = details.get("cache_write_tokens") or 0
    return Usage(
        input_tokens=max(0, prompt - cached - written),
        output_tokens=output,
        cache_read_input_tokens=cached,
        cache_creation_input_tokens=written,
    )


def parse_arguments(raw: str) -> dict[str, Any]:
    """A tool call's arguments. Invalid JSON (small local models produce it) is kept under
    ``_invalid_json`` so the tool rejects it and the model sees why, instead of the turn failing."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"_invalid_json": raw}
    return value if isinstance(value, dict) else {"_invalid_json": raw}
