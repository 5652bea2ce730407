"""What a plugin's ``claw`` subcommand gets from the run: :class:`CommandContext`.

Commands added through ``claw_register_commands`` need the workspace, the environment, the
effective settings, a registry or two and a way to fire lifecycle hooks. They get these through
:func:`command_context` instead of the kernel's internal run object, so the kernel can change how a
run is assembled without breaking plugins. Everything is read on first use: a command that needs
only the workspace does not load settings or collect registries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    import click

    from claw._app import App
    from claw._config import EffectiveSettings
    from claw._events import HookEvent, HookOutcome
    from claw._loop import AgentLoop, LoopOptions
    from claw._output import Renderer
    from claw._permissions.gate import PermissionGate
    from claw._providers import Provider
    from claw._sessions import SessionStore
    from claw._tasks import TaskBackend
    from claw._tools import Tool
    from claw._transports import Transport


class CommandContext:
    """The run a plugin command belongs to.

    Get the current one with :func:`command_context` inside a click callback, or build one for a
    workspace with :meth:`create` (scripts, embedding, tests).
    """

    def __init__(self, app: App) -> None:
        self._app = app

    @classmethod
    def create(cls, workspace: Path | None = None, env: Mapping[str, str] | None = None) -> CommandContext:
        """A context for ``workspace`` (default: the current directory) and ``env`` (default:
        ``os.environ``), reading settings and loading plugins as ``claw`` itself does."""
        from claw._app import App

        return cls(App(workspace=workspace, env=env))

    @property
    def workspace(self) -> Path:
        """The workspace root (``--work-dir``, else the current directory), resolved."""
        return self._app.workspace

    @property
    def env(self) -> Mapping[str, str]:
        """The environment of the run (what subprocesses and settings lookups see)."""
        return self._app.env

    @property
    def settings(self) -> EffectiveSettings:
        """The merged, validated settings (``settings.data`` is the JSON, ``settings.get(key)`` one key)."""
        return self._app.settings

    @property
    def transports(self) -> dict[str, type[Transport]]:
        """Registered transport classes by server ``type`` (``stdio``, ``http``, ...), aliases included."""
        return self._app.objects("transports")

    @property
    def providers(self) -> dict[str, type[Provider]]:
        """Registered provider classes by name, each once (aliases left out), in load order."""
        return {reg.obj.name: reg.obj for reg in self._app.providers.values()}

    def trust_items(self) -> list[str]:
        """What the folder brings that runs only once it is trusted, one line each (settings keys held
        back, ``claw_trust_items`` answers): what the trust dialog and ``claw doctor`` show."""
        return self._app.trust_items()

    def registrations(self) -> dict[str, list[tuple[str, Any, str]]]:
        """Everything the plugins registered, by kind, each once (aliases left out) as ``(name, object,
        source)``, ``source`` naming the plugin (``claw-tools-files 0.1.0``): ``providers``, ``tools``,
        ``classifiers``, ``transports``, ``sandboxes`` and ``task_backends`` (the object registered),
        ``settings`` (the key's description) and ``commands`` (``None``). Builds every registry and
        collects the commands (so each plugin's record is complete): call it once."""
        from claw._app import REGISTRIES
        from claw._plugins import unique

        app = self._app
        app.collect_all()
        found = {
            kind: [
                (r.obj.spec.name if kind == "tools" else r.obj.name, r.obj, r.plugin.source)
                for r in unique(getattr(app, kind))
            ]
            for kind in REGISTRIES
        }
        found["settings"] = [(key, reg.obj[2], reg.plugin.source) for key, reg in app.plugin_settings.items()]
        found["commands"] = [
            (n, None, r.source) for r in app.pm.records for n in r.registered.get("commands", [])
        ]
        return found

    def start_up(self) -> list[tuple[str, float]]:
        """Run the start-up phases this run has not run yet (settings files, plugins, every registry and
        command, settings validation) and return every phase run so far with its cost in milliseconds,
        in the order they ran: what ``claw bootstrap-plan`` prints."""
        self._app.collect_all()
        _ = self._app.settings
        return list(self._app.timings)

    def system_prompt(
        self,
        workspace: Path | None = None,
        *,
        date: dt.date | None = None,
        system_prompt: str | None = None,
        append: str | None = None,
        add_dirs: Sequence[str] = (),
        exclude_dynamic: bool = False,
    ) -> str:
        """Exactly the system prompt a session in ``workspace`` (default: this run's) would send:
        ``system_prompt`` replaces claw's instructions, ``append`` follows them, ``add_dirs`` are
        ``--add-dir`` values as given, listed with settings ``permissions.additionalDirectories``.

        :raises UsageError: an ``add_dirs`` entry that is not a directory.
        """
        from claw import _prompt as prompt
        from claw._cli.run import add_dirs as checked
        from claw._permissions.gate import additional_roots

        app = self._app
        where = (workspace or app.workspace).resolve()
        extra = additional_roots(app.settings, where, app.env, checked(add_dirs))
        return prompt.build(
            app.pm,
            where,
            app.env,
            app.settings,
            date=date,
            system_prompt=system_prompt,
            append=append,
            additional_dirs=extra,
            dynamic=[] if exclude_dynamic else None,
        )

    def implementers(self, hook_name: str) -> list[str]:
        """The plugins answering ``hook_name`` (``plugin "x" (dist 1.0)``), in the order pluggy calls them;
        ``wrapper=True`` implementations are left out (``claw hooks list`` names the handlers)."""
        return [record.label for record in self._app.pm.implementers(hook_name, wrappers=False)]

    def agent_loop(self, options: LoopOptions, renderer: Renderer) -> AgentLoop:
        """A session's agent loop for this run, driven as ``claw_interactive`` describes (with
        ``options.interactive`` the first call settles the folder's trust, there too); ``renderer``
        receives what happens."""
        if options.interactive:
            self._app.settle_trust(options)
        from claw._loop import AgentLoop

        return AgentLoop(self._app, options, renderer)

    def renderer(self) -> Renderer:
        """What prints a run in ``--output-format text`` on stdout, as ``claw -p`` gets it: the answer to
        ``claw_output_renderer`` (claw-output's streams text; without it the ``whole_text`` built-in
        prints each message whole). A front end wraps it to add what it shows.

        :raises ClawError: no plugin renders text.
        """
        import sys

        from claw._output import output_renderer

        return output_renderer(self._app.pm, "text", False, sys.stdout)

    def task_backend(self) -> TaskBackend:
        """The task backend a session in this folder gets from :meth:`claw.SessionContext.task_backend`.

        :raises ConfigError: when settings name a backend that is not installed.
        """
        from claw._tasks import select_task_backend

        return select_task_backend(self._app.objects("task_backends"), self._app.settings.data)

    def session_store(self, directory: Path | None = None) -> SessionStore:
        """The session store plugins answer ``claw_session_store`` with for ``directory`` (default: this
        workspace's sessions folder), as a run would open it: what a ``/resume`` picker lists. Without
        one, a store that keeps nothing and lists nothing."""
        from claw._paths import sessions_dir
        from claw._sessions import session_store

        app = self._app
        return session_store(app.pm, directory or sessions_dir(app.workspace, app.env), persist=True)

    @property
    def hook(self) -> Any:
        """The plugins' hooks, to call one from a command as the kernel does (``ctx.hook.<name>(...)``):
        e.g. ``claw timeline`` asks ``claw_render_timeline`` whether a UI draws it."""
        return self._app.pm.hook

    def tool(self, name: str) -> Tool | None:
        """The registered tool called ``name`` (``None`` when no plugin registers one)."""
        reg = self._app.tools.get(name)
        return reg.obj if reg is not None else None

    def permission_gate(self, **kwargs: Any) -> PermissionGate:
        """The permission gate a session in this folder would have: settings, registered classifiers and
        the policy ``claw_permission_policy`` builds; ``kwargs`` as :class:`claw.PermissionGate`'s
        (``mode``, ``allowed_tools``, ``disallowed_tools``).

        :raises ConfigError: for a bad rule. :raises UsageError: for an unknown mode.
        """
        from claw._permissions.gate import PermissionGate

        return PermissionGate.for_app(self._app, **kwargs)

    async def run_hook(self, event: HookEvent) -> HookOutcome:
        """Fire ``event`` through ``claw_hook_event`` (programmatic handlers, and with ``claw-hooks``
        every matching command hook in settings) and return the merged outcome
        (``outcome.action == "block"`` vetoes the step)."""
        from claw._hook_dispatch import HookContext, HookDispatch

        app = self._app
        context = HookContext(settings=app.settings, workspace=app.workspace, env=app.env)
        return await HookDispatch(app.pm, context).run(event)


def command_context(ctx: click.Context) -> CommandContext:
    """The :class:`CommandContext` of the ``claw`` invocation ``ctx`` belongs to (pass the
    ``click.Context`` of a plugin command, from ``@click.pass_context``)."""
    from claw._cli._root import state_of

    return CommandContext(state_of(ctx).app)
