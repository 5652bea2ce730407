"""Plugin discovery, loading and the registries built from plugins (the guards that contain failures are in
:mod:`claw._plugin_guard`). The loading order
(built-ins, first-party, third-party, ``CLAW_PLUGIN_MODULES``), why first-party plugins own their names, what
is contained and the switches (``CLAW_PLUGINS``, ``CLAW_DISABLE_PLUGINS``, settings ``plugins.disabled``,
``CLAW_TRACE_PLUGINS``) are described in docs/architecture.md, "Loading order and containment"."""

from __future__ import annotations

import functools
import importlib
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import pluggy

from claw import _console as console
from claw import hookspecs
from claw._compat import satisfies
from claw._plugin_guard import CALLER, RESULTS, Answer, Contained, contain
from claw._version import API_VERSION

ENTRY_POINT_GROUP = "claw"

#: Kernel modules registered as plugins before any entry point, as pytest registers its own: each
#: feature the loop and CLI reach only through hooks, so a plugin can replace one (see
#: :mod:`claw._builtins`) and settings ``plugins.disabled`` can switch one off by its last name, no
#: leading _ (``"structured_output"``). Each imports only ``claw.hookimpl`` at start-up.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "claw._builtin_plugin",
    "claw._builtins.doctor",
    "claw._builtins.plugin_list",
    "claw._builtins.resume_session",
    "claw._builtins.slash_commands",
    "claw._builtins.local_tasks",
    "claw._builtins.subagents",
    "claw._builtins.session_choice",
    "claw._builtins.permission_flags",
    "claw._builtins.system_prompt_flags",
    "claw._builtins.structured_output",
    "claw._builtins.whole_text",
    "claw._builtins.safe_policy",
    "claw._builtins.prompt_tool",
    "claw._builtins.unsaved_sessions",
    "claw._builtins.entry_point_cache",
    "claw._builtins.trust_store",
    "claw._builtins.workspace_trust",
    "claw._builtins.bare",
    "claw._builtins.debug_log",
    "claw._builtins.prompt_cache",
    "claw._builtins.install_hints",
)

#: The first-party model providers, each the distribution ``claw-provider-<name>`` (:mod:`claw._routing`).
PROVIDERS = ("anthropic", "openai", "bedrock", "vertex", "foundry")

#: Distributions the claw project publishes: they load before third-party plugins and own the names they
#: register. (A name on this list is only a load-order and ownership claim; the marketplace verifies
#: where a distribution came from.)
FIRST_PARTY: frozenset[str] = frozenset(
    {
        *(f"claw-provider-{name}" for name in PROVIDERS),
        "claw-tools-files",
        "claw-tools-shell",
        "claw-tools-web",
        "claw-tools-workflow",
        "claw-mcp",
        "claw-classifier-llm",
        "claw-marketplace",
        "claw-sandbox",
        "claw-agents",
        "claw-agents-celery",
        "claw-tui",
        "claw-repl",
        "claw-otlp",
        "claw-lsp",
        "claw-computer-use",
        "claw-hooks",
        "claw-sessions",
        "claw-sdk",
        "claw-permissions",
        "claw-compaction",
        "claw-commands",
        "claw-prompt",
        "claw-output",
        "claw-claude-plugins",
    }
)

#: Settings keys first-party distributions declare (``claw_register_settings``): a settings file that
#: sets one when no plugin declared it (the distribution is missing or disabled) gets a line naming the
#: distribution to install, from the settings check and ``claw doctor``, instead of "unknown key".
SETTINGS_PROVIDERS: dict[str, str] = {
    "hooks": "claw-hooks",
    "compaction": "claw-compaction",
    "cleanupPeriodDays": "claw-sessions",
}


def missing_provider(key: str, what: str = "") -> str:
    """The one line for a settings key whose distribution (:data:`SETTINGS_PROVIDERS`) is not loaded.

    :param what: what goes unused, when not the settings key (the Agent SDK's hook callbacks).
    """
    dist = SETTINGS_PROVIDERS[key]
    what = what or 'settings "' + key + '"'
    return f"{what} are not used: {dist} is not installed or is disabled (pip install {dist})"


T = TypeVar("T")

Status = Literal["builtin", "loaded", "failed", "disabled", "incompatible"]


@dataclass
class PluginRecord:
    """What ``claw plugins`` and ``claw doctor`` report about one plugin."""

    name: str
    module: str
    dist: str | None = None
    version: str | None = None
    status: Status = "loaded"
    reason: str = ""
    load_ms: float = 0.0
    #: kind ("tools", "providers", ...) -> names this plugin registered.
    registered: dict[str, list[str]] = field(default_factory=dict)
    #: What went wrong after loading (a hook raised, a registration was refused): ``claw doctor`` fails on it.
    problems: list[str] = field(default_factory=list)

    @property
    def first_party(self) -> bool:
        """A kernel builtin or a distribution of the claw project (:data:`FIRST_PARTY`)."""
        return self.status == "builtin" or self.dist in FIRST_PARTY

    @property
    def label(self) -> str:
        """``plugin "files" (claw-tools-files 0.1.0)``: how messages name a plugin."""
        if self.dist:
            return f'plugin "{self.name}" ({self.dist} {self.version})'
        return f'plugin "{self.name}"'

    @property
    def source(self) -> str:
        """Where registrations came from, for listings: ``claw-tools-files 0.1.0``."""
        if self.dist:
            return f"{self.dist} {self.version}"
        return "claw-kernel (builtin)" if self.status == "builtin" else f"module {self.module}"

    @property
    def active(self) -> bool:
        return self.status in ("builtin", "loaded")


@dataclass
class Registration(Generic[T]):
    obj: T
    plugin: PluginRecord


def unique(registry: Mapping[str, Registration[T]]) -> list[Registration[T]]:
    """Each registration once, in registration order (registries also hold aliases)."""
    return list({id(reg): reg for reg in registry.values()}.values())


def _load_entry_point(value: str) -> Any:
    """Import what an entry point's ``module:attr.attr [extras]`` names, as
    :meth:`importlib.metadata.EntryPoint.load` does, without importing :mod:`importlib.metadata`
    (about 15 ms that ``claw --help`` need not pay)."""
    module, _, attrs = value.partition("[")[0].strip().partition(":")
    return functools.reduce(
        getattr, filter(None, attrs.strip().split(".")), importlib.import_module(module.strip())
    )


#: What pluggy accepts as a hook implementation (``pluggy._manager._static_hook_attr``).
_HOOKABLE = (types.FunctionType, types.MethodType, staticmethod, classmethod)


_DISABLED = "disabled by CLAW_DISABLE_PLUGINS or settings plugins.disabled"
#: How an error for something a disabled built-in provides says what switched it off.
DISABLE_SWITCHES = "(settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
#: Safe mode's variable (``claw.safe_mode``: no third-party plugin) and the values that switch a mode on.
SAFE_ENV = "CLAUDE_CODE_SAFE_MODE"
TRUE = frozenset({"1", "true", "yes", "on"})


def _split(value: str | None) -> set[str]:
    return {v.strip() for v in (value or "").split(",") if v.strip()}


def missing_plugin(wants: str, dist: str) -> str:
    """The one line for what needs a distribution not loaded (``wants`` ends in its verb: ``"X needs"``)."""
    return f"{wants} {dist}, which is not installed or is disabled (pip install {dist})"


def disabled_builtin(builtin: str) -> str:
    """The end of the one line for something that comes with a disabled built-in (``"--bare comes with "``
    + this): the built-in, and the switches that disable it."""
    return f"claw's built-in plugin {builtin!r}, which is disabled {DISABLE_SWITCHES}"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager plus claw's loading policy and records.

    One instance per run (or per test): nothing global.

    :param env: where ``CLAW_PLUGINS`` / ``CLAW_DISABLE_PLUGINS`` are read.
    :param disabled: more names to skip (settings ``plugins.disabled``).
    :param overrides: registered name -> the plugin or distribution allowed to take it from the plugin
        that registered it first (settings ``plugins.overrides``).
    """

    def __init__(
        self, env: Mapping[str, str], disabled: Iterable[str] = (), overrides: Mapping[str, str] | None = None
    ) -> None:
        super().__init__("claw")
        self.add_hookspecs(hookspecs)
        self.env = env
        self.allow: set[str] | None = _split(env["CLAW_PLUGINS"]) if "CLAW_PLUGINS" in env else None
        self.disabled = _split(env.get("CLAW_DISABLE_PLUGINS")) | set(disabled)
        self.overrides: dict[str, str] = dict(overrides or {})
        #: (plugin name, hook name) of every contained failure, in order.
        self._raised_log: list[tuple[str, str]] = []
        self.records: list[PluginRecord] = []
        if env.get("CLAW_TRACE_PLUGINS"):
            self.trace.root.setwriter(sys.stderr.write)
            self.enable_tracing()

    # -- loading --------------------------------------------------------------------------

    def load(self, *, entry_points: bool = True) -> None:
        for module in BUILTIN_PLUGINS:
            record = PluginRecord(name=module.rpartition(".")[2].lstrip("_"), module=module, status="builtin")
            if self._admit(record):
                self._register_module(record, importlib.import_module(module))
        if entry_points:
            self._load_entry_points()
        for modname in sorted(_split(self.env.get("CLAW_PLUGIN_MODULES"))):
            record = PluginRecord(name=modname, module=modname)
            if self._admit(record):
                self._load_module(record, lambda m=modname: importlib.import_module(m))

    def _load_entry_points(self) -> None:
        from claw import _entry_points

        def order(ep: _entry_points.Found) -> tuple[bool, str, str]:
            dist = ep.dist or ""
            return (dist not in FIRST_PARTY, dist, ep.name)

        found = self.hook.claw_entry_points(group=ENTRY_POINT_GROUP, env=dict(self.env))
        for ep in sorted(_entry_points.scan(ENTRY_POINT_GROUP) if found is None else found, key=order):
            record = PluginRecord(name=ep.name, module=ep.value, dist=ep.dist, version=ep.version)
            if self._admit(record):
                self._load_module(record, functools.partial(_load_entry_point, ep.value))

    def _admit(self, record: PluginRecord) -> bool:
        """Whether to load a plugin: its name must be free, and ``CLAW_PLUGINS`` (not for a built-in),
        ``CLAW_DISABLE_PLUGINS``, ``plugins.disabled`` and safe mode must let it through."""
        holder = next((r for r in self.records if r.name == record.name), None)
        if holder is not None:
            self._fail(record, f'uses the plugin name "{record.name}", already taken by {holder.label}')
            return False
        names = {record.name, record.dist or ""}
        if self.allow is not None and record.status != "builtin" and not names & self.allow:
            record.status, record.reason = "disabled", "not in CLAW_PLUGINS"
        elif names & self.disabled:
            record.status, record.reason = "disabled", _DISABLED
        elif record.dist not in (None, *FIRST_PARTY) and self.env.get(SAFE_ENV, "").strip().lower() in TRUE:
            record.status, record.reason = "disabled", f"{SAFE_ENV}: safe mode loads no third-party plugin"
        else:
            return True
        self.records.append(record)
        return False

    def _load_module(self, record: PluginRecord, load: Callable[[], Any]) -> None:
        """Import a plugin module, check its ``CLAW_API`` and register it, containing every failure."""
        start = time.perf_counter()
        try:
            module = load()
        except Exception as exc:  # a plugin's import error must never stop claw
            self._fail(record, f"failed to import: {type(exc).__name__}: {exc}")
            return
        finally:
            record.load_ms = (time.perf_counter() - start) * 1000
        spec = getattr(module, "CLAW_API", None)
        if spec is not None:
            try:
                ok = satisfies(API_VERSION, str(spec))
            except ValueError:
                self._fail(record, f"declares an invalid CLAW_API {spec!r}")
                return
            if not ok:
                record.status = "incompatible"
                record.reason = f"needs claw plugin API {spec}, this kernel provides {API_VERSION}"
                console.warn(f"{record.label} skipped: {record.reason}")
                self.records.append(record)
                return
        self._register_module(record, module)

    def _register_module(self, record: PluginRecord, module: Any) -> None:
        try:
            plugin = contain(record, module, self.parse_hookimpl_opts, self._raised)
            self.register(plugin, name=record.name)
        except Exception as exc:  # pluggy's PluginValidationError names the bad hook signature
            self._fail(record, f"is not a valid plugin: {exc}")
            return
        unknown = [hc.name for hc in self.get_hookcallers(plugin) or [] if hc.spec is None]
        if unknown:
            self.unregister(plugin)
            self._fail(record, f"implements unknown hook(s) {', '.join(sorted(unknown))}")
            return
        self.records.append(record)

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        """pluggy's answer, reached quickly for the plugins claw registers (modules, and the namespaces
        :func:`claw._plugin_guard.contain` builds): pluggy looks every attribute name up with
        :func:`inspect.getattr_static`, about 6 ms a run over all plugins, though only a function in the
        object's own namespace can be a hook implementation of a module or a namespace (the attributes
        of their types are never Python functions). Anything else still goes to pluggy."""
        if type(plugin) in (types.ModuleType, Contained):
            value = vars(plugin).get(name)
            if not isinstance(value, _HOOKABLE):
                return None
        return super().parse_hookimpl_opts(plugin, name)

    def _fail(self, record: PluginRecord, reason: str) -> None:
        record.status, record.reason = "failed", reason
        self.records.append(record)
        console.warn(f"{record.label} {reason}; skipped")

    # -- calling --------------------------------------------------------------------------

    def _raised(self, record: PluginRecord, hook_name: str, exc: BaseException) -> None:
        record.reason = f"raised in {hook_name}: {type(exc).__name__}: {exc}"
        record.problems.append(record.reason)
        self._raised_log.append((record.name, hook_name))
        console.warn(f"{record.label} {record.reason}; skipped")

    def reject(self, record: PluginRecord, problem: str) -> None:
        """Report a registration refused to ``record``'s plugin (``claw doctor`` fails on it)."""
        record.problems.append(problem)
        console.warn(f"{record.label} {problem}; rejected")

    def may_take(self, record: PluginRecord, name: str) -> bool:
        """Whether settings ``plugins.overrides`` hands ``name`` to ``record``'s plugin."""
        holder = self.overrides.get(name)
        return holder is not None and holder in (record.name, record.dist)

    def call_attributed(self, hook_name: str, **kwargs: Any) -> tuple[Any, list[Answer]]:
        """Call ``hook_name`` through pluggy and return its result (what wrappers and ``firstresult``
        made of it) with each implementation's own answer, in call order, for reports that must name a
        plugin (``claw doctor``, hook runs, session start-up timeouts). A plugin that raised gives no
        answer."""
        answers: list[Answer] = []
        token = RESULTS.set(answers)
        try:
            result = getattr(self.hook, hook_name)(**kwargs)
        finally:
            RESULTS.reset(token)
        return result, answers

    def implementers(self, hook_name: str, *, wrappers: bool = True) -> list[PluginRecord]:
        """The plugins implementing ``hook_name``, in the order pluggy calls them (without
        ``wrappers``, only those that answer: ``wrapper=True`` implementations left out)."""
        impls = reversed(getattr(self.hook, hook_name).get_hookimpls())
        by_name = {r.name: r for r in self.records}
        return [by_name[i.plugin_name] for i in impls if wrappers or not (i.wrapper or i.hookwrapper)]

    def collect(
        self,
        hook_name: str,
        kind: str,
        names_of: Callable[[Any], list[str]],
        make_item: Callable[..., Any] = lambda obj: obj,
        *,
        builtins: bool | None = None,
        into: dict[str, Registration[Any]] | None = None,
        given: Callable[[Callable[..., None]], dict[str, Any]] = lambda register: {"register": register},
    ) -> dict[str, Registration[Any]]:
        """Build a registry from a ``claw_register_*(register)`` hook, called once through pluggy.

        Registrations are attributed to the plugin whose implementation made them and applied in plugin
        load order, so the first plugin to register a name keeps it (see :data:`FIRST_PARTY`) unless
        settings ``plugins.overrides`` hand it over. A plugin that raises registers nothing (all or
        nothing per plugin).

        :param kind: plural noun for messages and records: ``"tools"``, ``"providers"``.
        :param names_of: returns the names an object claims (its name first, then aliases) or
            raises ``TypeError`` with a message when the object is of the wrong type.
        :param make_item: turns the arguments of one ``register(...)`` call into the stored object.
        :param builtins: ``True`` calls only the built-in plugins, ``False`` all but them (pluggy's subset
            caller), for a lookup the built-ins answer alone; ``None``, every plugin.
        :param into: the registry to add to (an earlier step's), rather than a new one.
        :param given: the hook's arguments, made from ``register`` (``claw_register_commands`` is given a
            click group whose ``add_command`` calls it).
        """
        by_plugin: dict[str, list[Any]] = {}

        def register(*args: Any, **kwargs: Any) -> None:
            record = CALLER.get()
            if record is None:
                raise RuntimeError(f"{hook_name}'s register() was called outside a plugin's hook")
            by_plugin.setdefault(record.name, []).append(make_item(*args, **kwargs))

        mark = len(self._raised_log)
        caller = getattr(self.hook, hook_name)
        if builtins is not None:
            others = [r for r in self.records if r.active and (r.status == "builtin") is not builtins]
            caller = self.subset_hook_caller(hook_name, [self.get_plugin(r.name) for r in others])
        caller(**given(register))
        failed = {name for name, hook in self._raised_log[mark:] if hook == hook_name}
        registry: dict[str, Registration[Any]] = {} if into is None else into
        noun = kind[:-1]
        for record in self.records:
            staged = by_plugin.get(record.name)
            if not staged or record.name in failed:
                continue
            for obj in staged:
                try:
                    names = names_of(obj)
                except (TypeError, ValueError) as exc:
                    self.reject(record, f"registered an invalid {noun}: {exc}")
                    continue
                clash = next((n for n in names if n in registry and not self.may_take(record, n)), None)
                if clash is not None:
                    holder = registry[clash].plugin
                    problem = f'tried to register {noun} "{clash}", already registered by {holder.label}'
                    if holder.first_party and not record.first_party:
                        taker = record.dist or record.name
                        problem += f' (to let it replace it, set settings plugins.overrides {{"{clash}": "{taker}"}})'
                    self.reject(record, problem)
                    continue
                reg = Registration(obj, record)
                for n in names:
                    registry[n] = reg
                record.registered.setdefault(kind, []).append(names[0])
        return registry
