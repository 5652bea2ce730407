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
    from pathlib import Path

    from claw import EffectiveSettings

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
    server starts here; each starts on its first call. ``--bare`` skips LSP, as Claude Code's does."""
    from claw_lsp._config import resolve

    if (
        not claw.bare(session.env)
        and resolve(session.workspace, session.settings, trusted=session.trusted).servers
    ):
        from claw_lsp._tool import LspTool

        session.add_tool(LspTool())


@claw.hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    from claw_lsp._config import LspOptions

    # Entries are checked one by one when a session uses them (a bad one must not stop the others).
    register(
        "lspServers",
        dict[str, Any],
        "Language servers by name, in Claude Code's .lsp.json format",
        requires_trust=True,  # commands a folder's own settings file would choose
    )
    register("lsp", LspOptions, "LSP tool limits: requestTimeout, diagnosticsWaitMs, diagnosticsAfterEdit")


@claw.hookimpl
def claw_trust_items(workspace: Path, env: dict[str, str]) -> list[str]:
    from claw_lsp._config import LSP_JSON, resolve

    return [
        f"language server {n.name}: {' '.join([n.config.command, *n.config.args])} ({LSP_JSON})"
        for n in resolve(workspace, {}, trusted=True).servers
    ]


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_lsp.cli import lsp

    cli.add_command(lsp)


@claw.hookimpl
def claw_tool_result(
    tool_name: str, tool_input: dict[str, Any], result: claw.ToolResult, ctx: claw.ToolContext
) -> Awaitable[str | None] | None:
    """After an edit of a file a running server handles, the server's new errors for the result."""
    from claw_lsp._state import MANAGER

    key = EDIT_TOOLS.get(tool_name)
    manager = ctx.stash.get(MANAGER)
    file_path = tool_input.get(key) if key else None
    if manager is None or not isinstance(file_path, str):
        return None
    return manager.after_edit(ctx.resolve(file_path))


@claw.hookimpl
async def claw_session_end(session: claw.SessionContext) -> None:
    from claw_lsp._state import MANAGER

    manager = session.stash.get(MANAGER)
    if manager is not None:
        await manager.shutdown()


@claw.hookimpl
def claw_doctor_checks(
    settings: EffectiveSettings, env: dict[str, str], context: claw.CommandContext
) -> list[claw.DoctorCheck]:
    from claw_lsp.cli import doctor_checks

    return doctor_checks(settings, env, context.workspace)
