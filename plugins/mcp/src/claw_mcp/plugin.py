"""Entry point of claw-mcp: hook implementations only.

Imported on every ``claw`` start, so it imports only ``claw`` and ``click``; the MCP SDK,
``websockets`` and the rest of the plugin load when a session has servers or a command runs.
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


@claw.hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    # Entries are checked one by one at session start (a bad one must not stop the others), so the
    # settings layer only checks the shape.
    register(
        "mcpServers",
        dict[str, Any],
        "MCP servers by name, in Claude Code's .mcp.json format",
        requires_trust=True,  # a project settings file's servers are commands the repository chose
    )
    register("enableAllProjectMcpServers", bool, "Start every server in .mcp.json without asking")
    register("enabledMcpjsonServers", list[str], "Servers from .mcp.json approved to start")
    register("disabledMcpjsonServers", list[str], "Servers from .mcp.json never started")


@claw.hookimpl
def claw_register_transports(register: Callable[[type[claw.Transport]], None]) -> None:
    from claw_mcp.transports import BUILTIN_TRANSPORTS

    for transport in BUILTIN_TRANSPORTS:
        register(transport)


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_mcp.cli import mcp

    cli.add_command(mcp)


@claw.hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    # Claude Code's flags; their values reach the session as extra["mcp_config"] / ["strict_mcp_config"].
    register(
        claw.VariadicOption(
            ["--mcp-config"],
            takes=_config_word,
            metavar="CONFIGS...",
            help="Extra MCP servers: JSON files or inline JSON objects.",
            callback=_check_mcp_configs,
        )
    )
    register(
        click.Option(["--strict-mcp-config"], is_flag=True, help="Use only the servers from --mcp-config.")
    )


def _config_word(word: str) -> bool:
    """A word after ``--mcp-config``'s value that is one more config (Claude Code's ``<configs...>``):
    an inline JSON object, a path, or a ``.json`` file name."""
    return word.startswith("{") or word.endswith(".json") or claw.VariadicOption.path_word(word)


def _check_mcp_configs(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    """A ``--mcp-config`` that cannot be read ends the run before it starts, as in Claude Code: the
    user named those servers, so running without them (or, with ``--strict-mcp-config``, with none)
    would be a different run than the one asked for. Entries are still checked one by one later."""
    if values:
        from claw_mcp.config import read_cli_servers

        for value in values:
            read_cli_servers(value)
    return values


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> Awaitable[None]:
    from claw_mcp.session import ask_start_timeout, start

    ask_start_timeout(session)  # before returning: the host reads the wait once every plugin answered
    return start(session)


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> Awaitable[None]:
    from claw_mcp.session import end

    return end(session)


@claw.hookimpl
def claw_control_request(
    subtype: str, request: dict[str, Any], session: claw.SessionContext
) -> str | Awaitable[Any] | None:
    if subtype not in ("mcp_reconnect", "mcp_toggle"):
        return None
    from claw_mcp.control import answer

    return answer(subtype, request, session)


@claw.hookimpl
def claw_trust_items(workspace: Path, env: dict[str, str]) -> list[str]:
    from claw_mcp.config import PROJECT_FILE, describe, folder_servers

    where = {"project": PROJECT_FILE, "local": "local settings"}
    return [
        f'MCP server "{name}": {describe(entry)} ({where[scope]})'
        for scope, servers in folder_servers(workspace, env).items()
        for name, entry in servers.items()
    ]


@claw.hookimpl
def claw_doctor_checks(
    settings: EffectiveSettings, env: dict[str, str], context: claw.CommandContext
) -> list[claw.DoctorCheck]:
    from claw_mcp.cli import doctor_checks

    return doctor_checks(settings, env, context.workspace)
