"""Exception-to-exit-code mapping, in one place."""

from __future__ import annotations

import os
import sys

import click

from claw._errors import ClawError, internal_error


def run(cli: click.Command, argv: list[str] | None) -> int:
    """Run the command line; every failure ends in one ``claw: error: ...`` line and an exit code. A
    bug (an exception that is not a :class:`ClawError`: exit 1, ``internal error``) also prints its
    traceback with ``--verbose``, ``--debug``, ``--debug-file`` or ``CLAW_LOG=debug``; an expected error only with ``CLAW_LOG=debug``."""
    debug = os.environ.get("CLAW_LOG", "").lower() == "debug"
    args = sys.argv[1:] if argv is None else argv
    verbose = debug or any(a in ("--verbose", "-d") or a.startswith("--debug") for a in args)
    try:
        rv = cli.main(args=argv, prog_name="claw", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        sys.stderr.write("claw: interrupted\n")
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        # click's own usage errors: one line plus the usual "try --help" hint.
        msg = exc.format_message()
        sys.stderr.write(f"claw: error: {msg}\n")
        if isinstance(exc, click.UsageError):
            sys.stderr.write("Try 'claw --help' for help.\n")
        return exc.exit_code
    except ClawError as exc:
        # An error claw expected (bad input, a server's refusal) is its one line; its traceback only
        # with CLAW_LOG=debug: ``--verbose`` is always on under stream-json, and an SDK application
        # showing a traceback for "no prompt" would read it as a crash.
        _traceback(debug)
        sys.stderr.write(f"claw: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 1
    except Exception as exc:
        _traceback(verbose)
        sys.stderr.write(f"claw: error: {internal_error(exc)}\n")
        return 1
    return rv if isinstance(rv, int) else 0


def _traceback(verbose: bool) -> None:
    if verbose:
        import traceback

        traceback.print_exc()
