"""Token counts and tool arguments, shared by the chat and responses translations."""

from __future__ import annotations

import json
from typing import Any

from claw import Usage


def usage_from(usage: Any) -> Usage:
    """claw's :class:`Usage` from a chat ``CompletionUsage`` or a responses ``ResponseUsage``.

    OpenAI counts cached and cache-written tokens inside the prompt total; claw's ``input_tokens`` is
    the uncached part only, as Anthropic's is.
    """
    if usage is None:
        return Usage()
    prompt = getattr(usage, "prompt_tokens", None)
    if prompt is None:
        prompt = getattr(usage, "input_tokens", 0) or 0
        output = getattr(usage, "output_tokens", 0) or 0
        details = getattr(usage, "input_tokens_details", None)
    else:
        output = getattr(usage, "completion_tokens", 0) or 0
        details = getattr(usage, "prompt_tokens_details", None)
    cached = (getattr(details, "cached_tokens", 0) or 0) if details is not None else 0
    written = (getattr(details, "cache_write_tokens", 0) or 0) if details is not None else 0
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
