"""``workspace_trust``: how a run settles its folder's trust as it starts (:mod:`.settle`, ``docs/trust.md``),
and ``--require-trust``. Disabled, every run keeps what the trust store remembers and never asks: a folder
not trusted runs without what needs trust, said in one line, and ``--require-trust`` is a usage error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

    from claw._loop.options import LoopOptions
    from claw._plugin_commands import CommandContext
    from claw._trust import WorkspaceTrust


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    register(
        click.Option(
            ["--require-trust"],
            is_flag=True,
            help="With -p: in a folder not trusted (claw trust), skip its hooks, env, MCP servers and "
            "commands' !`cmd` lines instead of trusting it (also CLAW_REQUIRE_TRUST=1).",
        )
    )


@hookimpl(trylast=True)
def claw_settle_trust(context: CommandContext, options: LoopOptions) -> WorkspaceTrust | None:
    from claw._builtins.workspace_trust.settle import settle

    return settle(context._app, options)
