"""claw-agents' sub-agents: the ``Agent`` tool, ``--agents JSON``, ``claw agents list|show``, the
main-thread agent (``--agent NAME``, settings ``agent``: :mod:`claw_agents.subagents.main_thread`),
background sub-agents stopped with their session (see :mod:`claw_agents.subagents.background`), and
git worktrees, a sub-agent's or the session's (``-w``: :mod:`claw_agents.subagents.session_worktree`).

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
    register(
        click.Option(
            ["--agent"],
            default=None,
            metavar="NAME",
            help="Run the session as this sub-agent type (overrides the `agent` setting).",
        )
    )
    register(
        click.Option(
            ["-w", "--worktree"],
            is_flag=False,
            flag_value="",
            default=None,
            metavar="[NAME]",
            help="Work in a new git worktree, .claude/worktrees/NAME on branch worktree-NAME "
            "(a made-up NAME if none; as Claude Code's).",
        )
    )


@claw.hookimpl
def claw_adjust_run(options: claw.LoopOptions) -> str | None:
    """``-w``: the session's workspace becomes the worktree, made before anything runs. A bad name is a
    usage error (exit 2); a workspace in no git repository, or git failing, is not: it ends the run in
    :func:`claw_adjust_session` (exit 1), before the session starts."""
    name = options.extra.get("worktree")
    if name is None:
        return None
    from claw_agents.subagents import session_worktree

    name = name or session_worktree.made_up_name()
    refusal = session_worktree.bad_name(name)
    if refusal is None:
        try:
            session_worktree.enter(options, name, click.get_current_context())
        except claw.ClawError as exc:
            options.extra[session_worktree.FAILED] = str(exc)
    return refusal


@claw.hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    register("agent", str, "The sub-agent type the main session runs as (as `--agent`)")


@claw.hookimpl(trylast=True)
def claw_adjust_session(
    options: claw.LoopOptions, context: claw.CommandContext, resumed: claw.SessionState | None
) -> str | None:
    """After the Claude Code plugin folders are loaded (their agents can be chosen), when a run chose an
    agent, resumes a session that ran as one, or has folders whose ``settings.json`` may; first, why ``-w``
    made no worktree."""
    if options.extra.get("worktree") is not None:
        from claw_agents.subagents.session_worktree import FAILED

        if failed := options.extra.get(FAILED):
            return failed
    agent = options.extra.get("agent") or context.settings.data.get("agent")
    if not (agent or options.plugin_folders or (resumed is not None and resumed.meta)):
        return None
    from claw_agents.subagents import main_thread

    return main_thread.apply(options, context, resumed)


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_agents.subagents.cli import agents

    cli.add_command(agents)


@claw.hookimpl
def claw_session_start(session: claw.SessionContext) -> None:
    from claw_agents.subagents.tool import AgentTool

    AgentTool.shared().describe(session)


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> Awaitable[None] | None:
    import sys

    background = sys.modules.get("claw_agents.subagents.background")  # loaded once an agent was started
    return background.stop_all(session) if background and session.stash.get(background.AGENTS) else None


@claw.hookimpl
def claw_stop_task(task_id: str, session: claw.SessionContext) -> Awaitable[claw.StoppedTask] | None:
    from claw_agents.subagents import background

    agent = background.find(session, task_id)
    return background.stop(agent) if agent is not None else None
