"""The permission engine: whether a tool call may run, and why.

The agent loop calls :meth:`PermissionEngine.check` before every tool call and
:meth:`PermissionEngine.visible` when it builds the tool list. The decision is a
:class:`claw.Verdict` whose ``source`` says which rule (and file), mode, classifier or answer decided.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from claw.classifiers import Classifier, Verdict
from claw.tools import Tool, ToolContext

#: Asks a person about a tool call: returns ``"once"``, ``"session"``, ``"always"`` or ``"deny"``.
PermissionAsker = Callable[[str, Mapping[str, Any], str], Awaitable[str]]


class PermissionEngine:
    """Decides on tool calls for one session.

    :param settings: the effective settings (``permissions`` rules with their files).
    :param workspace: the workspace root.
    :param mode: ``--permission-mode``; ``None`` means settings ``permissions.defaultMode`` or ``prompt``.
    :param allowed_tools: ``--allowed-tools`` rules.
    :param disallowed_tools: ``--disallowed-tools`` rules; a bare tool name hides the tool.
    :param classifiers: classifiers the ``auto`` mode asks, in order.
    :param asker: asks a person; ``None`` when nobody can answer (``-p``): an "ask" becomes a deny.
    """

    def __init__(
        self,
        *,
        settings: Any,
        workspace: Path,
        mode: str | None = None,
        allowed_tools: Sequence[str] = (),
        disallowed_tools: Sequence[str] = (),
        classifiers: Sequence[Classifier] = (),
        asker: PermissionAsker | None = None,
    ) -> None:
        self.settings = settings
        self.workspace = workspace
        self.mode = mode or settings.model.permissions.defaultMode or "prompt"
        self.allowed_tools = list(allowed_tools)
        self.disallowed_tools = list(disallowed_tools)
        self.classifiers = list(classifiers)
        self.asker = asker

    def visible(self, tool_name: str) -> bool:
        """False when a bare ``--disallowed-tools`` name removes the tool from the model's list."""
        return tool_name not in self.disallowed_tools

    async def check(self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext) -> Verdict:
        """The final decision for one call: ``allow`` or ``deny`` (an ``ask`` is resolved here)."""
        if tool.spec.read_only or self.mode in ("allow", "danger-full-access", "bypassPermissions"):
            return Verdict(decision="allow", source=f"mode {self.mode}")
        if self.asker is None:
            return Verdict(
                decision="deny",
                reason=f"{tool.name} needs approval and no one can approve it in a non-interactive run",
                source=f"mode {self.mode}",
            )
        answer = await self.asker(tool.name, tool_input, "")
        if answer == "deny":
            return Verdict(decision="deny", reason="denied by the user", source="user")
        return Verdict(decision="allow", source=f"user ({answer})")
