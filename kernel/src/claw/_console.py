"""One-line diagnostics on stderr.

User-facing problems (a plugin skipped, a settings key unknown) are printed as single lines that
start with ``claw:``, never on stdout, so ``--output-format json`` stays parseable. Debug logging is
separate: see :mod:`claw._log`."""

from __future__ import annotations

import sys

_seen: set[str] = set()


def warn(message: str, *, once: bool = True) -> None:
    """Print ``claw: warning: <message>`` to stderr (once per distinct message by default)."""
    if once:
        if message in _seen:
            return
        _seen.add(message)
    sys.stderr.write(f"claw: warning: {message}\n")
    sys.stderr.flush()


def error(message: str) -> None:
    """Print ``claw: error: <message>`` to stderr."""
    sys.stderr.write(f"claw: error: {message}\n")
    sys.stderr.flush()
