"""claw-permissions: Claude Code's permission rules for claw, as the session's permission policy.

Modules: :mod:`~claw_permissions.rules` (rule syntax and matching), :mod:`~claw_permissions.ruleset`
(rules of a session; a shell line's commands are read by the shell tool, not here),
:mod:`~claw_permissions.paths` (path patterns, the workspace), :mod:`~claw_permissions.judge` (units and
mode defaults), :mod:`~claw_permissions.engine` (:class:`RuleEngine`, the policy),
:mod:`~claw_permissions.classifier` (``RuleClassifier``), :mod:`~claw_permissions.store` ("always"
answers), :mod:`~claw_permissions.plan_mode` (``EnterPlanMode``/``ExitPlanMode``),
:mod:`~claw_permissions.conditions` (hook ``if`` conditions), :mod:`~claw_permissions.cli`
(``claw permissions``). The kernel keeps the contract: modes, :class:`claw.PermissionGate`, asking.
See ``docs/permissions.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Imported at first use: loading the plugin at start-up must not import the engine.
_LAZY = {
    "RuleClassifier": "claw_permissions.classifier",
    "RuleDecision": "claw_permissions.engine",
    "RuleEngine": "claw_permissions.engine",
}


def PermissionEngine(**kwargs: Any) -> Any:
    """A :class:`claw.PermissionGate` whose policy is the rule engine (tests, embedding): the keyword
    arguments are the gate's."""
    from claw import PermissionGate

    from claw_permissions.engine import RuleEngine

    return PermissionGate(policy=RuleEngine, **kwargs)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'claw_permissions' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = ["PermissionEngine", "RuleClassifier", "RuleDecision", "RuleEngine"]
