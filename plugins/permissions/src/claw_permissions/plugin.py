"""The ``permissions`` plugin: the rule engine as the session's permission policy (deny, ask and allow
rules, the permission mode, classifiers), the ``rule`` classifier, hook ``if`` conditions and
``claw permissions``. Disable it (``plugins.disabled: ["permissions"]``) and the kernel's safe default
decides; replace it by answering ``claw_permission_policy`` first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from claw import hookimpl

if TYPE_CHECKING:
    from claw import Classifier, HookEvent, PermissionContext, PermissionPolicy


@hookimpl(trylast=True)
def claw_permission_policy(context: PermissionContext) -> Callable[[PermissionContext], PermissionPolicy]:
    from claw_permissions.engine import RuleEngine

    return RuleEngine


@hookimpl(trylast=True)
def claw_permission_rule_test(
    rule: str, workspace: Path, env: Mapping[str, str], tool_lookup: Callable[[str], Any] | None
) -> Callable[[HookEvent], bool]:
    from claw_permissions.conditions import compile_condition

    return compile_condition(rule, workspace, env, tool_lookup)


@hookimpl
def claw_register_classifiers(register: Callable[[Classifier], None]) -> None:
    from claw_permissions.classifier import RuleClassifier

    register(RuleClassifier())


@hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_permissions.cli import permissions

    cli.add_command(permissions)
