"""Entry point of claw-lsp: hook implementations only.

Imported on every ``claw`` start, so it imports only ``claw`` and ``click``; pygls and lsprotocol
load on the first ``LSP`` call (servers start then, lazily, one per language). The tool is offered
per session, when the workspace has servers configured.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import claw
import click

if TYPE_CHECKING:
    from claw.config import EffectiveSettings

CLAW_API = ">=1.0,<2"

#: Tools whose PostToolUse gets the edited file's new errors, and the input key naming the file.
EDIT_TOOLS = {
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "NotebookEdit": "notebook_path",
}


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> None:
    """Offer the ``LSP`` tool only to sessions with language servers configured (as Claude Code
    does): a tool that can only answer "no server" would cost tokens and mislead the model. No
    server starts here; each starts on its first call."""
    from claw_lsp._config import resolve

    if resolve(session.workspace, session.settings).servers:
        from claw_lsp._tool import LspTool

        session.add_tool(LspTool())


@claw.hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    from claw_lsp._config import LspOptions

    # Entries are checked one by one when a session uses them (a bad one must not stop the others).
    register("lspServers", dict[str, Any], "Language servers by name, in Claude Code's .lsp.json format")
    register("lsp", LspOptions, "LSP tool limits: requestTimeout, diagnosticsWaitMs, diagnosticsAfterEdit")


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_lsp.cli import lsp

    cli.add_command(lsp)


@claw.hookimpl(trylast=True)
def claw_hook_event(event: claw.HookEvent) -> Awaitable[claw.HookOutcome | None] | None:
    """After an edit of a file a running server handles, add the server's new errors to the result.

    ``trylast`` and a plain ``None`` for every other event: this handler only adds context, so it
    must not take the answer from handlers that decide something (the hook is ``firstresult``)."""
    from claw_lsp._state import BY_SESSION

    key = EDIT_TOOLS.get(event.tool_name or "")
    manager = BY_SESSION.get(event.session_id)
    if event.hook_event_name != "PostToolUse" or key is None or manager is None:
        return None
    file_path = (event.tool_input or {}).get(key)
    if not isinstance(file_path, str):
        return None
    return _diagnostics_after_edit(manager, file_path)


async def _diagnostics_after_edit(manager: Any, file_path: str) -> claw.HookOutcome | None:
    from pathlib import Path

    path = Path(file_path).expanduser()
    if not path.is_absolute():
        path = manager.workspace / path
    context = await manager.after_edit(path.resolve())
    return claw.HookOutcome(additional_context=context) if context else None


@claw.hookimpl
async def claw_session_end(session: claw.SessionContext) -> None:
    from claw_lsp._state import BY_SESSION, MANAGER

    manager = session.stash.get(MANAGER)
    BY_SESSION.pop(session.session_id, None)
    if manager is not None:
        await manager.shutdown()


@claw.hookimpl
def claw_doctor_checks(settings: EffectiveSettings, env: dict[str, str]) -> list[claw.DoctorCheck]:
    from claw_lsp.cli import doctor_checks

    return doctor_checks(settings, env)
