"""Shared output helpers for subcommands: JSON to stdout, simple aligned tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON (what every ``--json`` listing prints); what JSON cannot hold is
    written as its ``str``."""
    click.echo(json.dumps(data, indent=2, default=str))


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> None:
    """Print a plain aligned table (no colour, so it pipes and diffs cleanly)."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    click.echo(fmt.format(*headers).rstrip())
    for row in rows:
        click.echo(fmt.format(*[str(c) for c in row]).rstrip())
