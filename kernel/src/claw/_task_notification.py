"""Claude Code's ``<task-notification>``: how the model is told that background work ended (a ``Bash``
``run_in_background`` job, a background sub-agent), through :meth:`claw.SessionContext.notify`.

One owner for the text, because several plugins meet it: the plugin that started the work writes it,
and the front ends (claw-tui, claw-repl) read it back to show one line saying what ended instead of the
markup, which no person typed."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_BLOCK = re.compile(
    r"<task-notification>\s*<task-id>(.*?)</task-id>\s*<status>(.*?)</status>\s*<summary>(.*?)</summary>"
    r"\s*(?:<result>(.*?)</result>\s*)?</task-notification>(?:\n(?!<task-notification>)([^\n]*))?",
    re.DOTALL,
)


@dataclass(frozen=True)
class TaskNotification:
    """One ``<task-notification>``: the task's id, how it ended (``completed``, ``failed``,
    ``stopped``) and a one-line summary; a sub-agent's answer as ``result``; ``hint``, a line after
    the block saying how to read more (``Read its output with BashOutput ...``)."""

    task_id: str
    status: str
    summary: str
    result: str | None = None
    hint: str = ""

    def text(self) -> str:
        """The notice as the model reads it. The summary is escaped (a description may hold ``<``);
        the result is the sub-agent's answer as it gave it."""
        result = f"<result>{self.result}</result>\n" if self.result is not None else ""
        return (
            f"<task-notification>\n<task-id>{self.task_id}</task-id>\n<status>{self.status}</status>\n"
            f"<summary>{html.escape(self.summary, quote=False)}</summary>\n{result}</task-notification>"
            + (f"\n{self.hint}" if self.hint else "")
        )

    @classmethod
    def find(cls, text: str) -> list[TaskNotification]:
        """The notifications in ``text`` (a notice, or a user message that joined several), in order."""
        return [cls(m[1], m[2], html.unescape(m[3]), m[4], m[5] or "") for m in _BLOCK.finditer(text)]
