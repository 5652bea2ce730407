"""The permission engine: whether a tool call may run, and why.

The agent loop calls :meth:`PermissionEngine.check` before every tool call and
:meth:`PermissionEngine.visible` when it builds the tool list. The decision is a
:class:`claw.Verdict` whose ``source`` says which rule (and file), mode, classifier or answer decided.

Modules: :mod:`~claw.permissions.modes` (mode names and aliases), :mod:`~claw.permissions.rules`
(rule syntax), :mod:`~claw.permissions.ruleset` (rules of a session; a shell line's commands are read by
the shell tool, not here), :mod:`~claw.permissions.paths` (path patterns, the workspace),
:mod:`~claw.permissions.asking` (questions to a person or program, Claude Code's answer JSON),
:mod:`~claw.permissions.judge` (units and mode defaults), :mod:`~claw.permissions.engine`,
:mod:`~claw.permissions.classifier` (``RuleClassifier``), :mod:`~claw.permissions.store`
("always" answers), :mod:`~claw.permissions.plan_mode` (``EnterPlanMode``/``ExitPlanMode``).
See ``docs/permissions.md``.
"""

from __future__ import annotations

from claw.permissions.asking import PermissionAnswer, PermissionApprover, PermissionQuestion
from claw.permissions.classifier import RuleClassifier
from claw.permissions.engine import (
    PERMISSION_ENGINE,
    Decision,
    ModelOpener,
    PermissionAsker,
    PermissionEngine,
)
from claw.permissions.modes import ALIASES, MODES, normalize_mode

__all__ = [
    "ALIASES",
    "MODES",
    "PERMISSION_ENGINE",
    "Decision",
    "ModelOpener",
    "PermissionAnswer",
    "PermissionApprover",
    "PermissionAsker",
    "PermissionEngine",
    "PermissionQuestion",
    "RuleClassifier",
    "normalize_mode",
]
