"""The plugin contract: every extension point of claw, as pluggy hook specifications.

Plugins implement these with ``@claw.hookimpl`` in the module their ``claw`` entry point names, which
imports only ``claw`` (and ``click`` for commands). How hooks are registered, called, contained and
replaced is said once, in docs/plugins.md ("Rules that keep claw fast and robust", "Replacing a built-in",
"Hooks") and docs/architecture.md ("The contract", "Loading order and containment"); each hook's own
contract is its docstring.

The hooks live in one module per family (:data:`FAMILIES`, in the order docs/plugins.md lists them), each
module's docstring introducing its family there; this package re-exports every family's hooks, so
``pm.add_hookspecs(claw.hookspecs)`` registers them all and a new hook needs only its family's module.
"""

from __future__ import annotations

from types import ModuleType

from claw._markers import hookspec
from claw.hookspecs import commands, events, models, sessions, tools, ui

#: The hook families, in the order the generated reference in docs/plugins.md lists them.
FAMILIES: tuple[ModuleType, ...] = (commands, models, tools, sessions, events, ui)

_HOOKS = {
    name: spec
    for family in FAMILIES
    for name, spec in vars(family).items()
    if name.startswith("claw_") and hasattr(spec, "claw_spec")
}
globals().update(_HOOKS)

__all__ = ["FAMILIES", "hookspec", *_HOOKS]
