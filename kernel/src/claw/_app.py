"""One claw run: its environment, plugins, settings and registries, built lazily in that order.

Everything is per instance (no module-level plugin manager), so tests and embedders can build as
many independent apps as they like.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import _config as config
from claw import _console as console
from claw._plugins import PluginManager, Registration

if TYPE_CHECKING:
    from claw._trust import WorkspaceTrust


#: The registries (:class:`App` properties) built from ``claw_register_<kind>``, in the order
#: :func:`_registry` made them.
REGISTRIES: list[str] = []


def _registry(kind: str, base: str, *, instance: bool) -> cached_property[dict[str, Registration[Any]]]:
    """An :class:`App` property: what plugins register through ``claw_register_<kind>``, by name and
    alias, each a ``claw.<base>`` instance (``instance=False``: subclass); collected on first use, timed."""
    REGISTRIES.append(kind)

    def names_of(obj: Any) -> list[str]:
        import claw

        cls = getattr(claw, base)
        ok = isinstance(obj, cls) if instance else isinstance(obj, type) and issubclass(obj, cls)
        if not ok:
            want = f"a claw.{base} instance" if instance else f"a claw.{base} subclass"
            raise TypeError(f"expected {want}, got {obj!r}")
        if kind == "tools":
            return [obj.spec.name, *obj.spec.aliases]
        name = getattr(obj, "name", None)
        if not isinstance(name, str) or not name:
            raise TypeError(f"{obj!r} has no name")
        return [name, *getattr(obj, "aliases", ())]

    def collect(app: App) -> dict[str, Registration[Any]]:
        start = time.perf_counter()
        registry = app.pm.collect(f"claw_register_{kind}", kind, names_of)
        app.timed(f"register {kind}", start)
        return registry

    return cached_property(collect)


class App:
    """The state of one run.

    :param workspace: the workspace root (``--work-dir``), default the current directory.
    :param env: the environment; defaults to ``os.environ``.
    :param cli_settings: the ``--settings`` value.
    :param managed_path: managed settings file (tests point it elsewhere).
    :param setting_sources: ``--setting-sources``: the file scopes (user, project, local) to read;
        ``None`` reads all."""

    def __init__(
        self,
        *,
        workspace: Path | None = None,
        env: Mapping[str, str] | None = None,
        cli_settings: str | None = None,
        managed_path: Path | None = None,
        load_entry_points: bool = True,
        setting_sources: tuple[str, ...] | None = None,
    ) -> None:
        self.workspace = (workspace or Path.cwd()).resolve()
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.cli_settings = cli_settings
        self.managed_path = managed_path
        self.load_entry_points = load_entry_points
        self.setting_sources = setting_sources
        #: Whether the run settled the folder's trust (:meth:`settle_trust`).
        self.trust_settled = False
        #: (phase, milliseconds) in the order phases ran: ``claw bootstrap-plan`` prints these.
        self.timings: list[tuple[str, float]] = []

    def timed(self, phase: str, start: float) -> None:
        """Note ``phase`` as run from ``start`` (a ``time.perf_counter()``) until now."""
        self.timings.append((phase, (time.perf_counter() - start) * 1000))

    @cached_property
    def layers(self) -> list[config.Layer]:
        start = time.perf_counter()
        layers = config.load_layers(
            self.workspace,
            self.env,
            cli_settings=self.cli_settings,
            managed_path=self.managed_path,
            setting_sources=self.setting_sources,
        )
        self.timed("read settings files", start)
        return layers

    def add_settings(self, scope: str, label: str, data: dict[str, Any], origin: str = "claw") -> None:
        """Settings that arrive once the app is built (the Agent SDK's): a ``cli`` layer goes where
        ``--settings`` does, a ``managed`` one under the managed settings file (the machine's policy wins).
        ``origin="claude"``: written for Claude Code (a Claude Code plugin's hooks), read as its files are."""
        layer = config.Layer(scope, label, data, self.workspace, origin)
        if "plugin_settings" in self.__dict__:  # adapted with the others otherwise
            self._adapt([layer], self.plugin_settings)
        if any((lay.scope, lay.label, lay.data) == (scope, label, layer.data) for lay in self.layers):
            return  # a front end's next session (``/clear``) brings its options' layers again
        at = next((i for i, lay in enumerate(self.layers) if lay.scope == "managed"), len(self.layers))
        self.layers.insert(at, layer)
        self.__dict__.pop("settings", None)

    @cached_property
    def pm(self) -> PluginManager:
        merged, _ = config.merge_layers(self.layers)
        section = merged.get("plugins") or {}
        disabled = section.get("disabled") or []
        overrides = section.get("overrides") or {}
        pm = PluginManager(
            self.env,
            disabled=[d for d in disabled if isinstance(d, str)],
            overrides={k: v for k, v in overrides.items() if isinstance(v, str)}
            if isinstance(overrides, dict)
            else {},
        )
        start = time.perf_counter()
        pm.load(entry_points=self.load_entry_points)
        self.timed("load plugins", start)
        return pm

    @cached_property
    def trust(self) -> WorkspaceTrust:
        """The folder's trust: trusted when the trust store (``claw_trust_store``; none: nothing is
        remembered) names its real path or a folder it is inside, until :meth:`settle_trust` says
        otherwise."""
        from claw._trust import WorkspaceTrust

        store = self.pm.hook.claw_trust_store(env=dict(self.env))
        remembered = store is not None and store.trusted_root(str(self.workspace)) is not None
        return WorkspaceTrust(self.workspace, remembered, "remembered" if remembered else "untrusted")

    def settle_trust(self, options: Any) -> None:
        """Settle the folder's trust for the run ``options`` starts, once (``claw_settle_trust``); settings
        are validated again under the answer. With none, a folder not trusted says what it skips."""
        from claw._plugin_commands import CommandContext

        if self.trust_settled:
            return
        self.trust_settled = True
        trust = self.pm.hook.claw_settle_trust(context=CommandContext(self), options=options)
        if trust is not None:
            self.trust = trust
            self.__dict__.pop("settings", None)
        elif not self.trust.trusted and (items := self.trust_items()):
            trust = self.trust
            console.warn(f"untrusted folder {trust.folder}: skipped {'; '.join(items)}; {trust.how_to_trust}")

    @cached_property
    def settings(self) -> config.EffectiveSettings:
        start = time.perf_counter()
        keys = {k: reg.obj[1] for k, reg in self.plugin_settings.items()}
        settings = config.validate(self.layers, keys, () if self.trust.trusted else self.restricted_keys)
        settings.trust = self.trust
        self.timed("validate settings", start)
        return settings

    @cached_property
    def plugin_settings(self) -> dict[str, Registration[tuple[str, Any, str, bool, Any]]]:
        """Settings keys plugins own: ``{key: Registration((key, type, description, requires_trust,
        claude_code), plugin)}``. From here on, a Claude Code file's value of a key registered with a
        ``claude_code`` adapter is what the adapter made of it (what claw cannot use left out, with a warning)."""
        from claw._settings import Settings

        reserved = set(Settings.model_fields)

        def make_item(
            key: str,
            model: Any,
            description: str = "",
            *,
            requires_trust: bool = False,
            claude_code: Any = None,
        ) -> tuple[str, Any, str, bool, Any]:
            return (key, model, description, requires_trust, claude_code)

        def names_of(item: tuple[str, Any, str, bool, Any]) -> list[str]:
            key = item[0]
            if not isinstance(key, str) or key in reserved:
                raise TypeError(f"settings key {key!r} is reserved by the kernel or not a string")
            return [key]

        registered = self.pm.collect("claw_register_settings", "settings", names_of, make_item)
        self._adapt(self.layers, registered)
        return registered

    @staticmethod
    def _adapt(layers: list[config.Layer], registered: dict[str, Registration[Any]]) -> None:
        """Claude Code files' values of keys registered with a ``claude_code`` adapter, as it made them."""
        for layer in layers:
            for key, reg in registered.items():
                if layer.origin != "claude" or key not in layer.data or reg.obj[4] is None:
                    continue
                try:
                    layer.data = {**layer.data, key: reg.obj[4](layer.data[key], layer.label)}
                except Exception as exc:  # a plugin's adapter must not stop claw: the value stays as written
                    console.warn(f"{reg.plugin.label} raised reading {layer.label}: {key}: {exc!r}")

    @cached_property
    def restricted_keys(self) -> list[str]:
        """Key paths the folder's own settings files set only once it is trusted: the kernel's
        (:data:`claw._trust.RESTRICTED_KEYS`) and plugin keys registered ``requires_trust``."""
        from claw._trust import RESTRICTED_KEYS

        return [*RESTRICTED_KEYS, *(k for k, reg in self.plugin_settings.items() if reg.obj[3])]

    def trust_items(self) -> list[str]:
        """What the folder brings that runs only once it is trusted, one line each: the workspace
        layers' restricted keys, then what plugins name (``claw_trust_items``: ``.mcp.json`` servers,
        commands with ``!`cmd` ``). Shown by the trust dialog, ``-p --require-trust``, ``claw doctor``
        and ``claw config show``."""
        from claw._trust import restricted_layers

        _, held = restricted_layers(self.layers, self.restricted_keys)
        lines = [line for h in held for line in h.lines()]
        answers = self.pm.hook.claw_trust_items(workspace=self.workspace, env=dict(self.env))
        return lines + [line for answer in answers for line in answer or [] if isinstance(line, str)]

    providers = _registry("providers", "Provider", instance=False)
    tools = _registry("tools", "Tool", instance=True)
    classifiers = _registry("classifiers", "Classifier", instance=True)
    transports = _registry("transports", "Transport", instance=False)
    sandboxes = _registry("sandboxes", "Sandbox", instance=False)
    task_backends = _registry("task_backends", "TaskBackend", instance=True)
    slash_commands = _registry("slash_commands", "BuiltinCommand", instance=True)

    @cached_property
    def commands(self) -> Any:
        """The subcommands plugins add (``claw_register_commands``), collected when first looked up: a
        :class:`claw._cli._root.PluginCommands`."""
        from claw._cli._root import PluginCommands

        return PluginCommands(self)

    def collect_all(self) -> None:
        """Build every registry and collect the commands, so each plugin record lists what it registers
        (``claw plugins``, ``claw doctor``, :meth:`claw.CommandContext.registrations`)."""
        for kind in REGISTRIES:
            getattr(self, kind)
        _ = self.plugin_settings
        self.commands.all()

    def open_provider(self, address: str) -> tuple[Any, str]:
        """A new provider instance for ``address`` (anything :func:`claw._routing.resolve` accepts:
        ``provider/model``, an alias, a bare id) and the model id, credentials checked. The caller
        closes it (``aclose``). Used by classifiers that consult a model.

        :raises ProviderNotFound: when no registered provider serves the address.
        :raises MissingCredentials: when the provider has no credentials.
        """
        from claw import _routing as routing

        route = routing.resolve(address, self.providers)
        return routing.instantiate(route.provider_cls, self.settings.data, self.env), route.info.id

    def objects(self, kind: str) -> dict[str, Any]:
        """What registry ``kind`` (``transports``, ``task_backends``, ...) holds, by name and alias."""
        return {name: reg.obj for name, reg in getattr(self, kind).items()}
