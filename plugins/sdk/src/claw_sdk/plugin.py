"""claw-sdk's hooks: the Agent SDK's flags on ``claw`` runs, and the reader of every stream-json run's
stdin (Claude Code's user messages and the SDK's control protocol). Imports only ``claw`` and ``click``
at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

import claw
import click


@claw.hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    from claw_sdk.flags import options

    for option in options():
        register(option)


@claw.hookimpl
def claw_adjust_run(options: claw.LoopOptions) -> str | None:
    from claw_sdk.flags import adjust

    return adjust(options)


@claw.hookimpl(trylast=True)
def claw_stream_input(
    stdin: TextIO, out: TextIO, options: claw.LoopOptions, replay: bool, permission_prompt: bool
) -> claw.StreamJsonInput:
    from claw_sdk.control import ControlChannel

    channel = ControlChannel(stdin, out, replay=replay)
    if permission_prompt:
        options.approver = channel.can_use_tool
    return channel


@claw.hookimpl
def claw_tool_result(result: claw.ToolResult, ctx: claw.ToolContext, tool_use_id: str) -> None:
    """Report a background task a tool started to the session's SDK client (``task_started``); adds
    nothing to the result."""
    import sys

    control = sys.modules.get("claw_sdk.control")  # loaded once a stream-json session reads stdin
    channel = control.channel_of(ctx.session_id) if control is not None else None  # a sub-agent's too
    if channel is not None:
        channel.task_started(result.data, tool_use_id, ctx)


@claw.hookimpl
def claw_task_ended(task: claw.StoppedTask, session: claw.SessionContext) -> None:
    """Report a background task that ended (its command exited, its sub-agent finished) to the
    session's SDK client (``task_updated``, ``task_notification``)."""
    import sys

    control = sys.modules.get("claw_sdk.control")
    channel = control.reporter_of(task.task_id, session.session_id) if control is not None else None
    if channel is not None:
        channel.task_ended(task)


@claw.hookimpl
def claw_tool_call(tool_name: str, tool_input: dict[str, object], ctx: claw.ToolContext) -> None:
    """Keep the files a tool is about to change, for the SDK's ``rewind_files`` (when enabled)."""
    import sys

    control = sys.modules.get("claw_sdk.control")
    channel = control.channel_of(ctx.session_id) if control is not None else None  # a sub-agent's too
    if channel is not None:
        channel.before_tool(tool_name, tool_input, ctx)


@claw.hookimpl
def claw_session_end(session: claw.SessionContext) -> None:
    import sys

    control = sys.modules.get("claw_sdk.control")
    if control is not None:
        control.CHANNELS.pop(session.session_id, None)
