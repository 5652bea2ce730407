"""The ``session_store`` plugin: claw's JSONL session files (:class:`claw_sessions.jsonl.JsonlSessionStore`)
as the ``claw_session_store`` service, the ``claw sessions`` and ``claw timeline`` commands, and session
names (``-n``/``--name``, ``/rename``: :mod:`claw_sessions.naming`).

Its entry point keeps the name of the kernel built-in it replaced, so settings ``plugins.disabled``
(``CLAW_DISABLE_PLUGINS=session_store``) still switches it off. Import-light: this module loads for
``claw --help`` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import claw
from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import click
    from claw import BuiltinCommand, SessionContext, SessionStore


@hookimpl(trylast=True)
def claw_session_store(directory: Path, persist: bool) -> SessionStore:
    """Answers last, so a third-party store comes first."""
    from claw_sessions.jsonl import JsonlSessionStore

    return JsonlSessionStore(directory, persist)


@hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    from claw_sessions.cleanup import CleanupPeriod

    register(
        "cleanupPeriodDays",
        CleanupPeriod,
        "Days a session may stay inactive before a session start deletes its file (default 30, at least 1).",
        requires_trust=True,  # a folder claw does not trust must not delete its user's sessions
    )


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    """Deletes the store's sessions inactive for longer than ``cleanupPeriodDays`` (none for a store that is
    not this plugin's, or with ``--no-session-persistence``)."""
    from claw_sessions import cleanup

    sweep = cleanup.PENDING.pop(session.session_id, None)
    if sweep is not None:
        sweep.run(cleanup.period(session.settings))
    from claw_sessions import naming

    opened = naming.OPEN.get(session.session_id)
    if opened is not None and session.extra.get("name") is not None:
        try:  # checked here too: the Agent SDK's ``title`` arrives after claw_adjust_run
            naming.record(opened, naming.name_of(session.extra["name"]))
        except claw.ClawError as exc:
            claw.warn(f"the session is not named: {exc}")


@hookimpl
def claw_session_end(session: SessionContext) -> None:
    from claw_sessions import naming

    naming.OPEN.pop(session.session_id, None)


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    register(
        click.Option(
            ["-n", "--name"],
            default=None,
            metavar="NAME",
            help="Set a display name for this session (claw sessions list, --resume NAME, the REPL's "
            "prompt and terminal title), as Claude Code's.",
        )
    )


@hookimpl
def claw_adjust_run(options: claw.LoopOptions) -> str | None:
    """A ``--name`` that is no name is refused before anything runs."""
    from claw import ClawError

    from claw_sessions.naming import name_of

    try:
        if options.extra.get("name") is not None:
            options.extra["name"] = name_of(options.extra["name"])
    except ClawError as exc:
        return f"--name: {exc}"
    return None


@hookimpl
def claw_register_slash_commands(register: Callable[[BuiltinCommand], None]) -> None:
    from claw import BuiltinCommand

    from claw_sessions.naming import rename

    register(BuiltinCommand("rename", "Name this session (claw --resume NAME finds it).", rename, "NAME"))


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_sessions.sessions_cmd import sessions
    from claw_sessions.timeline_cmd import timeline

    cli.add_command(sessions)
    cli.add_command(timeline)
