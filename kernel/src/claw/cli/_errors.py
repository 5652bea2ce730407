"""Exception-to-exit-code mapping, in one place."""

from __future__ import annotations

import sys

import click

from claw.errors import ClawError


def run(cli: click.Command, argv: list[str] | None) -> int:
    verbose = "--verbose" in (argv if argv is not None else sys.argv[1:])
    try:
        rv = cli.main(args=argv, prog_name="claw", standalone_mode=False)
    except click.exceptions.Abort:
        sys.stderr.write("claw: interrupted\n")
        return 130
    except KeyboardInterrupt:
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
        if verbose:
            import traceback

            traceback.print_exc()
        sys.stderr.write(f"claw: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 1
    return rv if isinstance(rv, int) else 0
