"""The ``claw`` command line.

Built-in subcommands live one module each and are imported only when invoked or listed; plugin
subcommands come from ``claw_register_commands``. ``main`` maps every :class:`claw.errors.ClawError`
to one ``claw: error: ...`` line and its exit code (0 ok, 1 runtime failure, 2 usage error, 130
interrupted).

Plugin commands reach the run's :class:`claw.app.App` (workspace, environment, settings,
registries) with ``state_of(ctx).app``, and print with ``table(rows, headers)`` / ``emit_json(data)``.
"""

from __future__ import annotations

import sys
from typing import Any


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point. Returns (and exits with) the process exit code."""
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before click and the plugins are imported, so it costs little more than
        # starting Python; ``--version`` among other arguments goes through click's option.
        from claw._version import version_line

        sys.stdout.write(version_line() + "\n")
        sys.exit(0)
    from claw.cli._errors import run
    from claw.cli._root import cli

    _tolerant_stdin()
    sys.exit(run(cli, argv))


def _tolerant_stdin() -> None:
    """Read stdin like argv: bytes that are not UTF-8 become surrogate escapes (what Python already does
    in the C locale) instead of a ``UnicodeDecodeError`` halfway through a run; every reader (a piped
    prompt, stream-json input, the REPL) then passes them on as U+FFFD (:mod:`claw.text`)."""
    import io

    if isinstance(sys.stdin, io.TextIOWrapper) and sys.stdin.errors == "strict":
        sys.stdin.reconfigure(errors="surrogateescape")


#: Public names for plugin commands -> the private module holding them (imported on first use).
_PUBLIC = {"cli": "_root", "state_of": "_root", "table": "_output", "emit_json": "_output"}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'claw.cli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"claw.cli.{module}"), name)


__all__ = ["cli", "emit_json", "main", "state_of", "table"]
