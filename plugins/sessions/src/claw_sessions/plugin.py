"""The ``session_store`` plugin: claw's JSONL session files (:class:`claw_sessions.jsonl.JsonlSessionStore`)
as the ``claw_session_store`` service, and the ``claw sessions`` and ``claw timeline`` commands.

Its entry point keeps the name of the kernel built-in it replaced, so settings ``plugins.disabled``
(``CLAW_DISABLE_PLUGINS=session_store``) still switches it off. Import-light: this module loads for
``claw --help`` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import click
    from claw import SessionContext, SessionStore


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


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_sessions.sessions_cmd import sessions
    from claw_sessions.timeline_cmd import timeline

    cli.add_command(sessions)
    cli.add_command(timeline)
