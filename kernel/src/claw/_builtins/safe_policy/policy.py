"""The safe default policy: as Claude Code's default mode, a tool that only reads inside the workspace
runs; everything else is asked about (or denied in ``-p``, naming ``claw-permissions``). The bypass
modes allow everything; ``read-only`` denies the rest."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from claw._classifiers import Verdict
from claw._paths import home_of, resolved
from claw._permissions.gate import Decision, PermissionContext
from claw._permissions.modes import BYPASS_MODES
from claw._tools import Tool, ToolContext


class SafePolicy:
    """A "session" or "always" answer allows the tool for the rest of the session."""

    def __init__(self, context: PermissionContext) -> None:
        self.context = context
        self._allowed: set[str] = set()

    async def decide(
        self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext, mode: str
    ) -> Decision:
        if mode in BYPASS_MODES or tool.name in self._allowed or self._reads_inside(tool, tool_input, ctx):
            return Decision(Verdict(decision="allow", source=f"mode {mode}"), mode)
        behavior = "deny" if mode == "read-only" else "ask"
        reason = (
            f"{tool.name} does more than read inside the workspace, and without claw-permissions nothing "
            "else runs unasked (pip install claw-permissions)"
        )
        return Decision(Verdict(decision=behavior, reason=reason, source="kernel default"), mode)

    def _reads_inside(self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext) -> bool:
        try:
            accesses = tool.access(tool_input, ctx)
        except Exception:
            return False
        if not accesses:
            return tool.spec.read_only and not tool.spec.needs_approval
        roots, home = self.context.roots, home_of(self.context.env)
        return all(
            a.kind == "read" and a.path and _inside(resolved(a.path, roots[0], home), roots) for a in accesses
        )

    def visible(self, tool_name: str) -> bool:
        return True

    def add_rules(self, texts: Sequence[str], behavior: str, source: str) -> list[Any]:
        return []

    def remove_rules(self, handles: Sequence[Any]) -> None:
        return None

    def remember(self, tool: Tool, decision: Decision, *, permanent: bool, destination: str) -> None:
        self._allowed.add(tool.name)


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
