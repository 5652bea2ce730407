"""The ``claw`` command line.

Built-in subcommands live one module each and are imported only when invoked or listed; plugin
subcommands come from ``claw_register_commands``. ``main`` maps every :class:`claw.errors.ClawError`
to one ``claw: error: ...`` line and its exit code (0 ok, 1 runtime failure, 2 usage error, 130
interrupted).

Plugin commands reach the run's :class:`claw.app.App` (workspace, environment, settings,
registries) with ``state_of(ctx).app``.
"""

from __future__ import annotations

import sys

from claw.cli._root import cli, state_of


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point. Returns (and exits with) the process exit code."""
    from claw.cli._errors import run

    code = run(cli, argv)
    sys.exit(code)


__all__ = ["cli", "main", "state_of"]
