"""The path argument of the file tools (``file_path``, ``notebook_path``): what a call asks the
permission engine for, and the file it names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import claw


def path_access(
    input: Mapping[str, Any], ctx: claw.ToolContext, kind: Literal["read", "write"], key: str = "file_path"
) -> list[claw.Access]:
    """``kind`` access to the resolved path; nothing for a missing or empty one (the call fails in its
    run, with the reason)."""
    value = input.get(key)
    if not isinstance(value, str) or not value:
        return []
    return [claw.Access(kind=kind, path=str(ctx.resolve(value)))]


def named_path(input: Mapping[str, Any], ctx: claw.ToolContext, key: str = "file_path") -> Path:
    """The resolved path a call names (the kernel checked the input's shape against the schema)."""
    value = input[key]
    if not value:
        raise claw.ToolError(f"{key} must not be empty")
    return ctx.resolve(value)
