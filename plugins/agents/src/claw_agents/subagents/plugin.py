"""claw-agents' sub-agents: the ``Agent`` tool, ``--agents JSON``, ``claw agents list|show`` and the
news of background sub-agents (see :mod:`claw_agents.subagents.background`).

Hook implementations only; the work is imported at first use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import claw
import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    from claw_agents.subagents.tool import AgentTool

    register(AgentTool.shared())


def _agents_json(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--agents``: Claude Code's JSON object of definitions, checked at once."""
    if value is None:
        return None
    import json

    from claw_agents.subagents import definitions

    try:
        data = json.loads(value)
        definitions.from_json(data)
    except ValueError as exc:
        raise click.BadParameter(f"invalid JSON: {exc}") from None
    except claw.ConfigError as exc:
        raise click.BadParameter(str(exc)) from None
    return data


@claw.hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    register(
        click.Option(
            ["--agents"],
            default=None,
            metavar="JSON",
            callback=_agents_json,
            help='Sub-agent definitions: \'{"name": {"description": ..., "prompt": ..., "tools": [...]}}\'.',
        )
    )


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_agents.subagents.cli import agents

    cli.add_command(agents)


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> None:
    from claw_agents.subagents import background
    from claw_agents.subagents.tool import AgentTool

    background.BOARDS[session.session_id] = background.Board(interactive=session.interactive)
    AgentTool.shared().describe(session)


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> Awaitable[None] | None:
    from claw_agents.subagents import background

    board = background.BOARDS.pop(session.session_id, None)
    return board.cancel() if board is not None and board.running else None


@claw.hookimpl
def claw_tool_result(
    tool_name: str, tool_input: dict[str, Any], result: claw.ToolResult, ctx: claw.ToolContext
) -> str | None:
    from claw_agents.subagents import background

    board = background.BOARDS.get(ctx.session_id)
    return (board.drain() or None) if board is not None else None


@claw.hookimpl
def claw_hook_event(event: claw.HookEvent) -> Any:
    """Tell the model of background sub-agents that ended: with the next prompt, or, when a run
    without a person stops while some still run, once they have all ended (a ``Stop`` block)."""
    if event.hook_event_name not in ("Stop", "UserPromptSubmit"):
        return None
    from claw_agents.subagents import background

    board = background.BOARDS.get(event.session_id)
    if board is None:
        return None
    if event.hook_event_name == "UserPromptSubmit":
        news = board.drain()
        return claw.HookOutcome(additional_context=news) if news else None
    if board.running and not board.interactive:
        return _after_all(board)
    news = board.drain()
    return claw.HookOutcome(action="block", reason=news) if news else None


async def _after_all(board: Any) -> claw.HookOutcome | None:
    await board.wait()
    news = board.drain()
    return claw.HookOutcome(action="block", reason=news) if news else None
