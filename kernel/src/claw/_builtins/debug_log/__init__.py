"""``--debug[=FILTER]`` (``-d``): Claude Code's debug mode. It turns on the debug logging ``--verbose``
turns on (structlog, stderr only: :mod:`claw._log`), and ``FILTER`` chooses which categories show
(:mod:`.categories`). Disabled, ``--debug`` is an unknown option; ``--verbose`` and ``CLAW_LOG=debug``
still log everything."""

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
