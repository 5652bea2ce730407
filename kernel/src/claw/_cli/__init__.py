"""The ``claw`` command line: :func:`main` runs the root group (:mod:`claw._cli._root`, which collects
every subcommand from plugins) and ends every failure in one ``claw: error: ...`` line and its exit code
(:mod:`claw._cli._errors`; the codes are in docs/cli.md)."""

from __future__ import annotations

import gc
import sys
from typing import Any


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point. Returns (and exits with) the process exit code."""
    if (sys.argv[1:] if argv is None else argv) in (["--version"], ["-v"]):
        # Before click and the plugins load (about Python's start-up); with other arguments: click's option.
        from claw._version import version_line

        sys.stdout.write(version_line() + "\n")
        sys.exit(0)
    _pause_collection()
    from claw._cli._errors import run
    from claw._cli._root import cli

    _tolerant_stdin()
    code = run(cli, argv)
    # Nothing collected at interpreter exit matters; walking every object once more would cost
    # about a fifth of a short run's CPU. atexit handlers and the standard streams' flush still run.
    gc.freeze()
    sys.exit(code)


#: Whether :func:`main` paused the cyclic garbage collector for start-up.
_paused = False


def _pause_collection() -> None:
    """Pause the cyclic garbage collector while claw starts: imports and plugin loading build a few
    hundred thousand long-lived objects (pydantic validators, registries), and the collector would
    walk them again and again as they are made. :func:`resume_collection` ends the pause."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """End the start-up pause (once the root command line is parsed and the plugins are loaded; for
    a print run, at its first wait for I/O after its agent loop has started): the objects made so far
    are frozen out of later collections, which then run as usual. Idempotent."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def _tolerant_stdin() -> None:
    """Read stdin like argv: bytes that are not UTF-8 become surrogate escapes (what Python already does
    in the C locale) instead of a ``UnicodeDecodeError`` halfway through a run; every reader (a piped
    prompt, stream-json input, the REPL) then passes them on as U+FFFD (:mod:`claw._text`)."""
    import io

    if isinstance(sys.stdin, io.TextIOWrapper) and sys.stdin.errors == "strict":
        sys.stdin.reconfigure(errors="surrogateescape")


def __getattr__(name: str) -> Any:
    """``claw._cli.cli``, the root click group, imported on first use (it pulls in click)."""
    if name != "cli":
        raise AttributeError(f"module 'claw._cli' has no attribute {name!r}")
    from claw._cli._root import cli

    return cli


__all__ = ["cli", "main"]
