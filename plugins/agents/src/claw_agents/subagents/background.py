"""Background sub-agents (``run_in_background``): their handles, and the news of their ends.

A background sub-agent runs on the kernel's ``local`` task backend (the parent's event loop), its
handle findable as ``backend.get(agent_id)`` (``TaskOutput``/``TaskStop`` reach it that way). When it
ends, a Claude Code style ``<task-notification>`` waits on its parent's :class:`Board` until the
parent's model can be told: appended to the next tool result, added to the next prompt, or, in a
non-interactive run (``claw -p``) whose model stops while sub-agents still run, sent as the reason a
``Stop`` hook handler keeps the turn going once they have all ended.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import claw


@dataclass
class Board:
    """One parent session's background sub-agents."""

    interactive: bool
    running: dict[str, claw.TaskHandle] = field(default_factory=dict)
    news: list[str] = field(default_factory=list)

    def finished(
        self, agent_id: str, description: str, result: claw.SubagentResult | None, error: str
    ) -> None:
        """Note that ``agent_id`` ended (``result``, or ``error`` when it could not run)."""
        self.running.pop(agent_id, None)
        status = "failed" if result is None or result.is_error else "completed"
        text = result.text if result is not None else error
        self.news.append(
            "<task-notification>\n"
            f"<task-id>{agent_id}</task-id>\n"
            f"<status>{status}</status>\n"
            f'<summary>Agent "{description}" {status}</summary>\n'
            f"<result>{text}</result>\n"
            "</task-notification>"
        )

    def drain(self) -> str:
        """The news not told yet, joined; empties it."""
        text, self.news = "\n\n".join(self.news), []
        return text

    async def wait(self) -> None:
        """Until every running sub-agent has ended (however it ended)."""
        while self.running:
            for agent_id, handle in list(self.running.items()):
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await handle.result()
                if handle.done():
                    self.running.pop(agent_id, None)

    async def cancel(self) -> None:
        """Stop the sub-agents still running (the parent session is ending)."""
        for handle in list(self.running.values()):
            await handle.cancel()
        self.running.clear()


#: Parent session id -> its board, from ``claw_session_start`` to ``claw_session_end``.
BOARDS: dict[str, Board] = {}
