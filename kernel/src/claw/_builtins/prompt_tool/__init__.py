"""``--permission-prompt-tool NAME``: the tool answers the session's permission questions
(:mod:`.approver`, in Claude Code's JSON). Disabled, a run given the flag stops with one line saying so
(``--permission-prompt-tool stdio``, claw-sdk's, does not need it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw._session_context import SessionContext


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    from claw._loop.state import LOOP

    loop = session.stash.get(LOOP)
    if loop is not None and loop.opts.permission_prompt_tool:
        from claw._builtins.prompt_tool.approver import PromptToolApprover

        name = loop.opts.permission_prompt_tool
        loop.permissions.approver = PromptToolApprover(name, loop._find_tool, loop.tool_ctx)
