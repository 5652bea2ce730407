"""The ``--json-schema JSON|FILE`` option (Claude Code's flag), read into ``LoopOptions.json_schema``.
Imported for ``claw --help``, so it imports only click at the top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

OPTION = click.Option(
    ["--json-schema"],
    default=None,
    metavar="JSON|FILE",
    help="Make the final answer JSON matching this schema (result.structured_output).",
)


def adjust(options: Any) -> str | None:
    """``options.json_schema`` from the flag's value (``options.extra``): inline JSON or a file's;
    returns the usage error for a value that is neither."""
    value = options.extra.get("json_schema")
    if not value:
        return None
    import json

    text: str | bytes = value
    if not value.lstrip().startswith("{"):
        path = Path(value).expanduser()
        if not path.is_file():
            return f"--json-schema: not a JSON object nor a file: {value}"
        text = path.read_bytes()
    try:  # bytes: JSON's own UTF-8 detection; a bad byte is a ValueError too
        options.json_schema = json.loads(text)
    except ValueError as exc:
        return f"--json-schema: invalid JSON: {exc}"
    return None
