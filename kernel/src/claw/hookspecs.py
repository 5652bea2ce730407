"""The plugin contract: every extension point of claw, as pluggy hook specifications.

Plugins implement these with ``@claw.hookimpl`` in the module their ``claw`` entry point names.
That module is imported on every start, ``claw --help`` included, so it must import only ``claw``
(and ``click`` for commands); vendor SDKs are imported inside the registered objects at first use
(see :func:`claw.lazy.require`).

Registration hooks take a ``register`` callback rather than returning values: the kernel's callback
checks the type, rejects a name another plugin already holds and records which distribution
registered what (``claw dump-manifests``), applying registrations in plugin load order so the first
plugin to register a name keeps it.

Every hook is called through pluggy (``pm.hook.<name>(...)``): ``tryfirst``/``trylast``,
``wrapper=True`` and ``firstresult`` behave as pluggy documents, and ``CLAW_TRACE_PLUGINS=1`` traces
every call. Each implementation runs inside a guard set up when its plugin registers: one that raises is
reported once (naming its plugin), counts as "no result", and the other plugins' results still arrive; a
plugin that raises in a registration hook registers nothing.

Hooks are grouped by lifecycle phase: registration (called once per run, after loading), session,
and events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import click

    from claw.classifiers import Classifier
    from claw.config import EffectiveSettings
    from claw.diagnostics import DoctorCheck
    from claw.events import HookEvent, HookOutcome, RuntimeEvent
    from claw.providers import Provider
    from claw.sandboxes import Sandbox
    from claw.session_context import SessionContext
    from claw.tasks import TaskBackend
    from claw.tools import Tool
    from claw.transports import Transport

hookspec = pluggy.HookspecMarker("claw")

# --------------------------------------------------------------------------------------------
# Registration: called once per run after plugins load, in plugin load order (kernel builtins
# first, then entry points sorted by distribution name).
# --------------------------------------------------------------------------------------------


@hookspec
def claw_register_providers(register: Callable[[type[Provider]], None]) -> None:
    """Register model providers.

    Call ``register(ProviderSubclass)`` once per provider. The class's ``name`` is the prefix users
    address models with (``anthropic/claude-sonnet-4-6``); a name already registered is rejected.
    The class is instantiated only when a run uses one of its models.

    :param register: the kernel's registration callback.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_tools(register: Callable[[Tool], None]) -> None:
    """Register tools the model can call.

    Call ``register(tool)`` with a :class:`claw.Tool` instance. Two tools with the same
    ``spec.name`` (or a name clashing with another tool's alias) are not both kept: the second is
    rejected with a message naming both distributions. Tools that depend on a live connection (MCP)
    register later, per session, through :func:`claw_session_start`.

    :param register: the kernel's registration callback.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_classifiers(register: Callable[[Classifier], None]) -> None:
    """Register permission classifiers for the ``auto`` mode.

    :param register: called with a :class:`claw.Classifier` instance; names must be unique.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_transports(register: Callable[[type[Transport]], None]) -> None:
    """Register transports for remote tool servers (``stdio``, ``sse``, ``http``, ``ws``, ...).

    :param register: called with a :class:`claw.Transport` subclass; its ``name`` and ``aliases``
        are the server ``type`` values it serves and must be unique.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_sandboxes(register: Callable[[type[Sandbox]], None]) -> None:
    """Register sandboxes that confine commands and file access.

    :param register: called with a :class:`claw.Sandbox` subclass with a unique ``name``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_task_backends(register: Callable[[TaskBackend], None]) -> None:
    """Register background task backends (where sub-agents and scheduled tasks run).

    The kernel registers ``local``. :param register: called with a :class:`claw.TaskBackend`.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``claw`` command line.

    Add them with ``cli.add_command(...)`` or ``@cli.command()``. This hook runs for ``claw --help``
    too, so the command's module must stay import-light: import heavy code inside the command's
    callback. A command name already taken is rejected.

    :param cli: the root ``claw`` click group.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    """Add options to ``claw`` runs (``claw -p`` and the REPL), such as claw-mcp's ``--mcp-config``.

    Called through pluggy while the root command's arguments are parsed, before click reads them (for
    ``claw --help`` too, which lists the options; never for ``claw --version``). The plugins are
    those the settings enable, read with the ``--work-dir``, ``--settings`` and ``--setting-sources``
    given on the same command line. Call ``register(click.Option([...], ...))`` once per option.
    An option whose parameter name or any flag is already claw's own or another plugin's is rejected
    with a message naming the plugin (``plugins.overrides`` can hand a name to a plugin, as for
    tools); a plugin that raises adds no option.

    The value (click's, after its type and callback) reaches the session as
    ``SessionContext.extra[<parameter name>]`` (``session.extra["mcp_config"]``), also when the
    option was not given (its default). As with :func:`claw_register_commands`, keep the hook
    import-light.

    :param register: the kernel's registration callback; it takes a :class:`click.Option`.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_settings(register: Callable[..., None]) -> None:
    """Declare the settings keys a plugin owns, so they are validated and not reported as unknown.

    Call ``register(key, model, description)`` where ``key`` is a top-level settings key
    (``mcpServers``) and ``model`` a pydantic model or type its value must match.

    .. versionadded:: 1.0
    """


@hookspec
def claw_doctor_checks(settings: EffectiveSettings, env: dict[str, str]) -> list[DoctorCheck] | None:
    """Contribute lines to ``claw doctor`` (server reachability, missing binaries, token state).

    Must be quick and must not print secrets. A plugin that raises shows as a failed check.

    :param settings: the effective settings.
    :param env: the process environment.

    .. versionadded:: 1.0
    """


# --------------------------------------------------------------------------------------------
# Session: called by the agent loop. Implementations may return an awaitable; the kernel awaits it.
# --------------------------------------------------------------------------------------------


@hookspec
def claw_session_start(session: SessionContext) -> Awaitable[None] | None:
    """A session is starting, after settings are loaded and before the first model request.

    Plugins start connections here (MCP servers) and may add session-scoped tools with
    ``session.add_tool(tool)`` and report state with ``session.set_status(name, status)``. All
    implementations run concurrently; one that raises is reported and the session goes on.

    :param session: the session being started.

    .. versionadded:: 1.0
    """


@hookspec
def claw_session_end(session: SessionContext) -> Awaitable[None] | None:
    """A session is ending (success, error or Ctrl-C). Close connections and child processes here.

    Always called, in a ``finally``, even when the run failed.

    .. versionadded:: 1.0
    """


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def claw_hook_event(event: HookEvent) -> HookOutcome | Awaitable[HookOutcome | None] | None:
    """Programmatic hook handler: see or veto a step (PreToolUse, UserPromptSubmit, Stop, ...).

    Handlers run most recently registered first (pluggy's LIFO; ``tryfirst``/``trylast`` move one);
    return ``None`` to pass, or a :class:`claw.HookOutcome` to block, allow, modify or add context.
    Stops at first non-None result. An ``async def`` handler always answers (its coroutine is the
    result); awaited, ``None`` means "continue". A handler that raises is reported and treated as
    "continue". Command hooks from settings run after the programmatic handlers.

    :param event: the event, with the same fields command hooks receive on stdin.

    .. versionadded:: 1.0
    """


@hookspec
def claw_runtime_event(event: RuntimeEvent) -> None:
    """Observe everything that happens (telemetry, audit logs, OpenTelemetry export).

    Called synchronously on the loop's thread for every runtime event: keep it fast and hand slow
    work to a queue. Return values are ignored; exceptions are reported once per plugin and
    otherwise swallowed.

    .. versionadded:: 1.0
    """
