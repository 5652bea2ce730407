"""Sub-agents (:meth:`claw.SessionContext.run_subagent`), run as child loops beside their parent's session
(:mod:`.child`), answering ``claw_subagent_runner`` ``trylast`` so a plugin's answer replaces it. Disabled,
with no plugin in its place, a sub-agent fails with one line saying so (the ``Agent`` tool's error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from claw._session_context import SessionContext
    from claw._subagents import SubagentResult, SubagentSpec


@hookimpl(trylast=True)
def claw_subagent_runner(
    session: SessionContext,
) -> Callable[[SubagentSpec], Awaitable[SubagentResult]] | None:
    import functools

    from claw._builtins.subagents.child import run_child
    from claw._loop.state import LOOP

    parent = session.stash.get(LOOP)
    return None if parent is None else functools.partial(run_child, parent)
