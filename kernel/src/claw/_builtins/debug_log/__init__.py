"""``--debug[=FILTER]`` (``-d``) and ``--debug-file PATH``: Claude Code's debug mode. It turns on the
debug logging ``--verbose`` turns on (structlog, stderr only: :mod:`claw._log`), ``FILTER`` chooses
which categories show (:mod:`.categories`), and ``--debug-file`` writes the lines to a file instead
(implying ``--debug``). Disabled, both are unknown options; ``--verbose`` and ``CLAW_LOG=debug`` still
log everything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    import click


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    from claw._builtins.debug_log.categories import enable
    from claw._builtins.debug_log.file import to_file

    register(
        click.Option(
            ["-d", "--debug"],
            is_flag=False,
            flag_value="",
            default=None,
            metavar="[FILTER]",
            expose_value=False,
            callback=enable,
            help="Debug logging on stderr, as --verbose; FILTER picks categories: "
            '"api,hooks" only those, "!mcp,!loop" all but those (as Claude Code\'s).',
        )
    )
    register(
        click.Option(
            ["--debug-file"],
            metavar="PATH",
            default=None,
            expose_value=False,
            callback=to_file,
            help="Write debug logs to this file instead of stderr (implies --debug; as Claude Code's).",
        )
    )
