"""The permission policy (:mod:`.policy`) when no plugin answered ``claw_permission_policy`` (claw-permissions
disabled or not installed): a wrapper, so any plugin's policy comes first."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw import PermissionContext, PermissionPolicy

Builder = Callable[["PermissionContext"], "PermissionPolicy"]


@hookimpl(wrapper=True)
def claw_permission_policy(context: PermissionContext) -> Generator[None, Builder | None, Builder | None]:
    builder = yield
    if builder is not None:
        return builder
    from claw._builtins.safe_policy.policy import SafePolicy

    return SafePolicy
