"""The rule-based classifier: the ``auto`` mode's last word.

Its default safe list: calls that only read inside the workspace (read-only tools, reads of
workspace paths, read-only commands such as ``ls``, ``cat``, ``git status`` on workspace paths)
pass; everything that writes, runs other commands or reaches the network asks.
"""

from __future__ import annotations

import os

from claw import Access, Classifier, PermissionRequest, Verdict

from claw_permissions import paths


class RuleClassifier(Classifier):
    """Allows read-only operations inside the workspace; asks for the rest (never denies)."""

    name = "rule"

    async def classify(self, request: PermissionRequest) -> Verdict:
        ws = os.path.realpath(request.workspace)
        home = paths.home_of(None)
        if not request.accesses:
            if request.read_only:
                return Verdict(decision="allow", reason="read-only tool", source="classifier rule")
            return _ask(f"{request.tool_name} may change things")
        for acc in request.accesses:
            if acc.kind == "read" and acc.path and paths.inside(paths.resolve(acc.path, ws, home), [ws]):
                continue
            if acc.kind == "execute" and _read_only_command(acc, ws, home):
                continue
            return _ask(f"{acc.kind} access needs approval")
        return Verdict(decision="allow", reason="reads inside the workspace", source="classifier rule")


def _read_only_command(acc: Access, ws: str, home: str) -> bool:
    """Whether the command only reads inside the workspace, as the shell tool that read it classified
    it (:attr:`claw.Access.command_class`); its redirections are separate write accesses."""
    if acc.error is not None or acc.command_class != "read":
        return False
    return all(paths.inside(paths.resolve(a, ws, home), [ws]) for a in acc.operands)


def _ask(reason: str) -> Verdict:
    return Verdict(decision="ask", reason=f"{reason} (rule classifier)", source="classifier rule")
