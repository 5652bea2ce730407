"""The plugin contract: every extension point of claw, as pluggy hook specifications.

Plugins implement these with ``@claw.hookimpl`` in the module their ``claw`` entry point names.
That module is imported on every start, ``claw --help`` included, so it must import only ``claw``
(and ``click`` for commands); vendor SDKs are imported inside the registered objects at first use
(see :func:`claw.require`).

Registration hooks (``claw_register_*``) take a ``register`` callback rather than returning values: the
kernel's callback checks the type, rejects a name another plugin already holds and records which
distribution registered what (``claw dump-manifests``). They are called once per run after plugins load,
and their registrations apply in plugin load order (the kernel's built-ins, then entry points: first-party
distributions first, the rest by distribution name), so the first plugin to register a name keeps it.

Service hooks are ``firstresult`` hooks a built-in plugin (see :data:`claw._plugins.BUILTIN_PLUGINS`, or a
default distribution's entry point) answers with ``trylast=True``: a plugin that answers replaces the
built-in (its implementation runs first); settings ``plugins.disabled`` can switch a built-in off.

Every hook is called through pluggy (``pm.hook.<name>(...)``): ``tryfirst``/``trylast``,
``wrapper=True`` and ``firstresult`` behave as pluggy documents, and ``CLAW_TRACE_PLUGINS=1`` traces
every call. Each implementation runs inside a guard set up when its plugin registers: one that raises is
reported once (naming its plugin), counts as "no result", and the other plugins' results still arrive; a
plugin that raises in a registration hook registers nothing.

The hooks live in one module per family (:data:`FAMILIES`, in the order docs/plugins.md lists them), each
module's docstring introducing its family there; this package re-exports every one, so
``pm.add_hookspecs(claw.hookspecs)`` registers them all. A new hook goes into its family's module and is
re-exported here (a kernel test checks that none is missing).
"""

from __future__ import annotations

from types import ModuleType

from claw._markers import hookspec
from claw.hookspecs import commands, events, models, sessions, tools, ui
from claw.hookspecs.commands import (
    claw_adjust_run,
    claw_adjust_session,
    claw_doctor_checks,
    claw_register_commands,
    claw_register_run_options,
    claw_register_settings,
    claw_register_slash_commands,
    claw_stream_input,
    claw_trust_items,
)
from claw.hookspecs.events import claw_hook_event, claw_runtime_event
from claw.hookspecs.models import claw_register_providers
from claw.hookspecs.sessions import (
    claw_compactor,
    claw_control_request,
    claw_register_task_backends,
    claw_session_end,
    claw_session_start,
    claw_session_store,
    claw_stop_task,
    claw_subagent_runner,
    claw_system_prompt,
    claw_task_ended,
)
from claw.hookspecs.tools import (
    claw_permission_decision,
    claw_permission_policy,
    claw_permission_rule_test,
    claw_register_classifiers,
    claw_register_sandboxes,
    claw_register_tools,
    claw_register_transports,
    claw_tool_call,
    claw_tool_result,
)
from claw.hookspecs.ui import claw_interactive, claw_output_renderer, claw_render_timeline, claw_trust_dialog

#: The hook families, in the order the generated reference in docs/plugins.md lists them.
FAMILIES: tuple[ModuleType, ...] = (commands, models, tools, sessions, events, ui)

__all__ = [
    "FAMILIES",
    "claw_adjust_run",
    "claw_adjust_session",
    "claw_compactor",
    "claw_control_request",
    "claw_doctor_checks",
    "claw_hook_event",
    "claw_interactive",
    "claw_output_renderer",
    "claw_permission_decision",
    "claw_permission_policy",
    "claw_permission_rule_test",
    "claw_register_classifiers",
    "claw_register_commands",
    "claw_register_providers",
    "claw_register_run_options",
    "claw_register_sandboxes",
    "claw_register_settings",
    "claw_register_slash_commands",
    "claw_register_task_backends",
    "claw_register_tools",
    "claw_register_transports",
    "claw_render_timeline",
    "claw_runtime_event",
    "claw_session_end",
    "claw_session_start",
    "claw_session_store",
    "claw_stop_task",
    "claw_stream_input",
    "claw_subagent_runner",
    "claw_system_prompt",
    "claw_task_ended",
    "claw_tool_call",
    "claw_tool_result",
    "claw_trust_dialog",
    "claw_trust_items",
    "hookspec",
]
