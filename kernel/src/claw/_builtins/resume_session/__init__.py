"""``claw resume-session FILE [COMMANDS...]``: ``claw --resume FILE`` with built-in slash commands and a
prompt run in order (:mod:`.command`). A command like any plugin's (``claw_register_commands``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw._builtins.resume_session.command import resume_session

    cli.add_command(resume_session)
