"""The permission engine: rules first (deny, then ask, then allow), then the mode, then classifiers
(``auto``), then a person (or, with nobody to ask, a denial)."""

from __future__ import annotations

import contextlib
import inspect
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw.classifiers import Classifier, PermissionRequest, Verdict
from claw.errors import ConfigError, UsageError
from claw.permissions import paths
from claw.permissions.asking import PermissionAnswer, PermissionApprover, PermissionQuestion, suggestions
from claw.permissions.judge import ALLOW, ASK, CLASSIFY, DENY, Unit, mode_default, mutates, units_for
from claw.permissions.modes import BYPASS_MODES, normalize_mode
from claw.permissions.rules import Rule, RuleError, split_tool_list
from claw.permissions.ruleset import RuleSet
from claw.tools import StashKey, Tool, ToolContext

if TYPE_CHECKING:
    from claw.plugins import PluginManager

#: Asks a person about a tool call: returns ``"once"``, ``"session"``, ``"always"`` or ``"deny"``.
PermissionAsker = Callable[[str, Mapping[str, Any], str], Awaitable[str]]

#: Opens a model by ``provider/model`` address: returns the provider instance and the model id.
ModelOpener = Callable[[str], tuple[Any, str]]

#: Where the session's engine lives in ``ToolContext.stash`` (set on every :meth:`check`), so tools
#: such as ``EnterPlanMode`` can switch the mode.
PERMISSION_ENGINE: StashKey[PermissionEngine] = StashKey()


@dataclass
class Decision:
    """A verdict with the reasoning behind it (``claw permissions explain`` prints all of it)."""

    verdict: Verdict
    mode: str
    units: list[Unit] = field(default_factory=list)
    #: The rule on the tool's name that decided, if one did.
    tool_rule: Rule | None = None
    classifier: str | None = None
    #: The plugin that decided instead of the rules (``claw_permission_decision``), if one did.
    plugin: str | None = None


class PermissionEngine:
    """Decides on tool calls for one session.

    :param settings: the effective settings (``permissions`` rules with their files).
    :param workspace: the workspace root.
    :param mode: ``--permission-mode`` (any name or alias); ``None`` means settings
        ``permissions.defaultMode`` or ``prompt``.
    :param allowed_tools: ``--allowed-tools`` rules.
    :param disallowed_tools: ``--disallowed-tools`` rules; a bare tool name hides the tool.
    :param classifiers: classifiers the ``auto`` mode asks, in order (settings
        ``permissions.classifiers`` selects and orders them by name; by default all, with the kernel's
        ``rule`` classifier last).
    :param asker: asks a person; ``None`` when nobody can answer (``-p``): an "ask" becomes a deny.
    :param approver: asks a program instead (``--permission-prompt-tool``, a stream-json client),
        which may also rewrite the call's input; it takes precedence over ``asker``.
    :param open_model: opens a ``provider/model`` address for classifiers that consult a model
        (:meth:`claw.app.App.open_provider`).
    :param env: the environment (``HOME`` for ``~`` paths); defaults to ``os.environ``.
    :param additional_dirs: ``--add-dir`` directories, treated like the workspace (after settings
        ``permissions.additionalDirectories``).
    :param plugins: the plugin manager whose ``claw_permission_decision`` hook decides each call in
        :meth:`check` (the built-in ``permissions`` plugin answers with :meth:`decide`); ``None``:
        the rules decide alone.
    :raises ConfigError: for a bad rule (naming its file and key) or a refused bypass mode.
    :raises UsageError: for an unknown mode or a bad ``--allowed-tools`` rule.
    """

    def __init__(
        self,
        *,
        settings: Any,
        workspace: Path,
        mode: str | None = None,
        allowed_tools: Sequence[str] = (),
        disallowed_tools: Sequence[str] = (),
        classifiers: Sequence[Classifier] = (),
        asker: PermissionAsker | None = None,
        approver: PermissionApprover | None = None,
        open_model: ModelOpener | None = None,
        env: Mapping[str, str] | None = None,
        additional_dirs: Sequence[str | Path] = (),
        plugins: PluginManager | None = None,
    ) -> None:
        self.settings = settings
        self.plugins = plugins
        self.workspace = Path(workspace)
        self._ws = os.path.realpath(self.workspace)
        self.env: Mapping[str, str] = os.environ if env is None else env
        self._home = paths.home_of(dict(self.env))
        perms = settings.model.permissions if settings is not None else None
        self.asker = asker
        self.approver = approver
        self.open_model = open_model
        self.allowed_tools = list(allowed_tools)
        self.disallowed_tools = list(disallowed_tools)
        self._bypass_disabled_by: str | None = None
        if settings is not None and perms is not None and perms.disableBypassPermissionsMode == "disable":
            self._bypass_disabled_by = settings.sources.get(
                "permissions.disableBypassPermissionsMode", "settings"
            )
        self._mode = self._checked(normalize_mode(mode) if mode is not None else _default_mode(settings))
        #: The mode before ``EnterPlanMode``; ``ExitPlanMode`` restores it.
        self.mode_before_plan: str | None = None
        self.roots = [self._ws, *additional_roots(settings, self._ws, self.env, additional_dirs)]
        self.rules = RuleSet(self._ws, self._home)
        self.rules.load_settings(settings, self._ws)
        self.rules.load_flags(self.allowed_tools, "allow", "--allowed-tools", self._ws)
        self.rules.load_flags(self.disallowed_tools, "deny", "--disallowed-tools", self._ws)
        self.classifiers = _order_classifiers(list(classifiers), perms, settings)
        self._log: Any = None

    @classmethod
    def for_app(cls, app: Any, workspace: Path | None = None, **kwargs: Any) -> PermissionEngine:
        """An engine for an :class:`claw.app.App`: its settings, workspace (or ``workspace``: a
        sub-agent's worktree), environment, registered classifiers and model opener; ``kwargs`` as for
        the constructor."""
        classifiers = [reg.obj for reg in app.unique(app.classifiers)]
        return cls(
            settings=app.settings,
            workspace=workspace or app.workspace,
            classifiers=classifiers,
            open_model=app.open_provider,
            env=app.env,
            plugins=app.pm,
            **kwargs,
        )

    # -- the mode -----------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """The canonical mode name (``prompt``, ``read-only``, ...)."""
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        self._mode = self._checked(normalize_mode(value))

    def _checked(self, mode: str) -> str:
        if mode in BYPASS_MODES and self._bypass_disabled_by is not None:
            raise ConfigError(
                f"permission mode {mode} is disabled by {self._bypass_disabled_by} "
                "(permissions.disableBypassPermissionsMode)"
            )
        return mode

    def enter_plan_mode(self) -> None:
        """Switch to ``read-only`` for planning, remembering the current mode."""
        if self._mode != "read-only" or self.mode_before_plan is None:
            self.mode_before_plan = self._mode if self._mode != "read-only" else None
        self._mode = "read-only"

    def exit_plan_mode(self) -> str:
        """Leave plan mode: back to the mode before it (``prompt`` if the session started in it)."""
        self._mode = self.mode_before_plan or "prompt"
        self.mode_before_plan = None
        return self._mode

    @contextlib.contextmanager
    def granted(self, rules: Sequence[str], source: str) -> Iterator[None]:
        """Allow ``rules`` while the block runs (a slash command's ``allowed-tools`` for its turn).

        :raises UsageError: for a bad rule, naming ``source``.
        """
        added: list[Rule] = []
        try:
            for text in split_tool_list(rules):
                try:
                    added.append(self.rules.add_text(text, "allow", source, self._ws))
                except RuleError as exc:
                    raise UsageError(f"{source}: {exc}") from exc
            yield
        finally:
            for rule in added:
                self.rules.remove(rule)

    # -- decisions ----------------------------------------------------------------------------

    def visible(self, tool_name: str) -> bool:
        """False when a deny rule names the tool without a specifier (``--disallowed-tools Bash``,
        ``"deny": ["WebFetch"]``, ``mcp__server``): the tool is not offered to the model."""
        return self.rules.hides(tool_name) is None

    async def check(
        self,
        tool: Tool,
        tool_input: Mapping[str, Any],
        ctx: ToolContext,
        *,
        ask_reason: str | None = None,
        hook_allowed: bool = False,
        tool_use_id: str | None = None,
    ) -> Verdict:
        """The final decision for one call: ``allow`` or ``deny`` (an ``ask`` is resolved here).

        :param ask_reason: set when a PreToolUse hook answered ``ask``: a call the rules and mode
            would allow is asked about anyway (deny rules still deny).
        :param hook_allowed: set when a PreToolUse hook answered ``allow``: the mode's own prompt is
            skipped, but deny and ask rules still apply (as in Claude Code, a hook cannot approve what
            a rule forbids).
        :param tool_use_id: the model's id for the call, told to an approver.

        An approver that rewrote the input sets the verdict's ``updated_input``: the call runs with it.
        """
        ctx.stash[PERMISSION_ENGINE] = self
        decision = await self._decided(tool, tool_input, ctx)
        if hook_allowed:
            decision.verdict = _rules_only(decision) or _verdict(
                ALLOW, "hook PreToolUse", "allowed by a PreToolUse hook"
            )
        elif ask_reason is not None and decision.verdict.decision == "allow":
            decision.verdict = _verdict(
                ASK, "hook PreToolUse", ask_reason or f"a hook asks to confirm {tool.name}"
            )
        verdict = decision.verdict
        if verdict.decision == "ask":
            verdict = await self._ask(tool, tool_input, decision, tool_use_id)
        self._debug(tool.name, decision, verdict)
        return verdict

    async def _decided(self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext) -> Decision:
        """The ``claw_permission_decision`` hook's answer: the first plugin's, else the built-in's (this
        engine's :meth:`decide`); no answer denies."""
        if self.plugins is None:
            return await self.decide(tool, tool_input, ctx)
        answer, answers = self.plugins.call_attributed(
            "claw_permission_decision", tool=tool, tool_input=dict(tool_input), ctx=ctx, engine=self
        )
        if inspect.isawaitable(answer):
            answer = await answer
        if isinstance(answer, Decision):
            return answer
        if isinstance(answer, Verdict):
            who = f"plugin {answers[-1].plugin.name}"
            verdict = answer.model_copy(update={"source": answer.source or who})
            return Decision(verdict, self._mode, plugin=who)
        reason = f"no plugin decided on this {tool.name} call (claw_permission_decision)"
        return Decision(_verdict(DENY, "plugins", reason), self._mode)

    async def decide(
        self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext | None = None
    ) -> Decision:
        """The decision before anyone is asked: ``allow``, ``deny`` or ``ask``, with every unit
        judged (what ``claw permissions explain`` shows)."""
        mode = self._mode
        spec = tool.spec
        name, aliases = spec.name, spec.aliases
        rules = self.rules
        if ctx is None:
            ctx = ToolContext(workspace=self.workspace, session_id="", permission_mode=mode, env=self.env)
        rule = rules.by_name("deny", name, aliases, tool_input)
        if rule is not None:
            return Decision(
                _verdict(DENY, rule.describe(), f"{name} is denied by {rule.describe()}"),
                mode,
                tool_rule=rule,
            )
        try:
            accesses = tool.access(tool_input, ctx)
        except Exception as exc:
            reason = f"cannot tell what this {name} call touches: {exc}"
            return Decision(_verdict(ASK, "tool access", reason), mode)
        units = units_for(name, accesses, self._ws, self.roots, self._home)
        read_only = spec.read_only
        tool_rule = rules.by_name("allow", name, aliases, tool_input)
        for unit in units:
            self._judge(unit, mode, read_only, tool_rule, spec.needs_approval)
        if mode != "read-only":
            _cover_command_effects(units)
        if self._sandbox_auto_allows(accesses):
            for unit in units:
                if unit.decision == ASK and not unit.by_rule:
                    _set(unit, ALLOW, "sandbox", "", False)
        denied = next((u for u in units if u.decision == DENY), None)
        if denied is not None:
            return Decision(_verdict(DENY, denied.source, denied.reason), mode, units)
        rule = rules.by_name("ask", name, aliases, tool_input)
        if rule is not None:
            reason = f"{name} needs approval ({rule.describe()})"
            return Decision(_verdict(ASK, rule.describe(), reason), mode, units, rule)
        decision = await self._combine(tool, tool_input, units, mode)
        decision.tool_rule = tool_rule
        return decision

    def _sandbox_auto_allows(self, accesses: Sequence[Any]) -> bool:
        """Settings ``sandbox.autoAllowBashIfSandboxed`` and a call the tool says runs confined."""
        if self.settings is None or not any(getattr(a, "sandboxed", False) for a in accesses):
            return False
        sandbox = self.settings.model.sandbox
        return sandbox.requested and sandbox.autoAllowBashIfSandboxed

    def _judge(
        self, unit: Unit, mode: str, read_only: bool, tool_rule: Rule | None, needs_approval: bool = False
    ) -> None:
        """Judge one unit: deny rule, ask rule, allow rule (not for changes in read-only mode),
        then the mode's default."""
        rules = self.rules
        rule = rules.by_unit("deny", unit)
        if rule is not None:
            _set(unit, DENY, rule.describe(), f"{unit.label()} is denied by {rule.describe()}", True)
            return
        rule = rules.by_unit("ask", unit)
        if rule is not None:
            _set(unit, ASK, rule.describe(), f"{unit.label()} needs approval ({rule.describe()})", True)
            return
        rule = tool_rule or rules.by_unit("allow", unit)
        if rule is not None and not (mode == "read-only" and mutates(unit, read_only)):
            _set(unit, ALLOW, rule.describe(), "", True)
            return
        decided, reason = mode_default(mode, unit, read_only, needs_approval)
        _set(unit, decided, f"mode {mode}", reason, False)

    async def _combine(
        self, tool: Tool, tool_input: Mapping[str, Any], units: list[Unit], mode: str
    ) -> Decision:
        first: dict[str, Unit] = {}
        for unit in units:
            first.setdefault(unit.decision, unit)
        for decided in (DENY, ASK):
            if decided in first:
                u = first[decided]
                return Decision(_verdict(decided, u.source, u.reason), mode, units)
        if CLASSIFY in first:
            verdict, who = await self._classify(tool, tool_input, units, mode)
            return Decision(verdict, mode, units, classifier=who)
        sources = list(dict.fromkeys(u.source for u in units))
        return Decision(_verdict(ALLOW, "; ".join(sources), ""), mode, units)

    async def _classify(
        self, tool: Tool, tool_input: Mapping[str, Any], units: list[Unit], mode: str
    ) -> tuple[Verdict, str | None]:
        request = PermissionRequest(
            tool_name=tool.name,
            tool_input=dict(tool_input),
            read_only=tool.spec.read_only,
            accesses=_accesses_of(units),
            workspace=self._ws,
            mode=mode,
            settings=self.settings.data if self.settings is not None else {},
            open_model=self.open_model,
        )
        for classifier in self.classifiers:
            source = f"classifier {classifier.name}"
            try:
                verdict = await classifier.classify(request)
            except Exception as exc:
                reason = f"classifier {classifier.name} failed ({type(exc).__name__}: {exc}); asking instead"
                return _verdict(ASK, source, reason), classifier.name
            if verdict is not None:
                return (
                    Verdict(
                        decision=verdict.decision, reason=verdict.reason, source=verdict.source or source
                    ),
                    classifier.name,
                )
        return _verdict(ASK, "mode auto", "no classifier decided"), None

    # -- asking -------------------------------------------------------------------------------

    async def _ask(
        self, tool: Tool, tool_input: Mapping[str, Any], decision: Decision, tool_use_id: str | None
    ) -> Verdict:
        verdict = decision.verdict
        if self._mode == "dont-ask":
            return Verdict(
                decision="deny",
                reason=f"{verdict.reason}; dont-ask mode denies anything not explicitly allowed",
                source=verdict.source,
            )
        from claw.permissions.store import remember, rules_for

        if self.approver is not None:
            question = PermissionQuestion(
                tool.name, tool_input, verdict.reason, tool_use_id, suggestions(rules_for(tool, decision))
            )
            answer = await self.approver(question)
        elif self.asker is not None:
            word = await self.asker(tool.name, tool_input, verdict.reason)
            if word == "deny":
                answer = PermissionAnswer("deny", message="denied by the user")
            else:
                answer = PermissionAnswer("allow", scope=word if word in ("session", "always") else "once")
        else:
            return Verdict(
                decision="deny",
                reason=f"{verdict.reason}; no one can approve it in a non-interactive run",
                source=verdict.source,
            )
        if answer.behavior == "deny":
            return Verdict(decision="deny", reason=answer.message, source=answer.source)
        if answer.scope != "once":
            remember(self, tool, decision, permanent=answer.scope == "always", destination=answer.destination)
        return Verdict(
            decision="allow", source=f"{answer.source} ({answer.scope})", updated_input=answer.updated_input
        )

    def _debug(self, tool_name: str, decision: Decision, verdict: Verdict) -> None:
        if self._log is None:
            from claw.log import get_logger

            self._log = get_logger("claw.permissions").bind()  # resolve structlog's lazy proxy once
        self._log.debug(
            "permission_decision",
            tool=tool_name,
            mode=decision.mode,
            decision=verdict.decision,
            source=verdict.source,
            reason=verdict.reason,
        )


#: Settings scopes a repository controls: a cloned project must not start itself in a mode that
#: skips approval (Claude Code ignores ``bypassPermissions`` and ``auto`` there too).
_REPO_SCOPES = frozenset({"project", "local"})


def _default_mode(settings: Any) -> str:
    """``permissions.defaultMode`` from the highest layer that may set it, else ``prompt``.

    :raises ConfigError: for an unknown mode, naming the file.
    """
    for layer in reversed(getattr(settings, "layers", None) or []):
        value = (layer.data.get("permissions") or {}).get("defaultMode")
        if not isinstance(value, str):
            continue
        try:
            canonical = normalize_mode(value)
        except UsageError as exc:
            raise ConfigError(f"{layer.label}: permissions.defaultMode: {exc}") from exc
        if layer.scope in _REPO_SCOPES and (canonical in BYPASS_MODES or canonical == "auto"):
            from claw import console

            console.warn(
                f"{layer.label}: permissions.defaultMode {value!r} is ignored in project settings; "
                "use --permission-mode or user settings"
            )
            continue
        return canonical
    return "prompt"


def _cover_command_effects(units: list[Unit]) -> None:
    """Let an allow rule naming a command allow what that command does inside the workspace.

    In Claude Code ``Bash(mkdir build:*)`` lets ``mkdir build`` run; without this, the command's own
    write of ``build`` would need a second grant. So when every command of the line is allowed (by a
    rule, or as a read-only command the mode allows) and at least one by a rule, the reads and writes
    inside the workspace (and added directories) that no rule decided are allowed by those rules.
    A redirection target (``> out.txt``) is covered only when every command was allowed by a rule:
    it may belong to a read-only command such as ``echo``. Deny and ask rules were applied first and
    still win; effects outside the workspace keep needing their own grant.
    """
    commands = [u for u in units if u.kind == "execute"]
    by_rule = [u for u in commands if u.decision == ALLOW and u.by_rule]
    if not by_rule or any(u.decision != ALLOW for u in commands):
        return
    every_by_rule = len(by_rule) == len(commands)
    redirected = {u.path for u in units if u.redirect}
    source = "; ".join(dict.fromkeys(u.source for u in by_rule))
    reason = "the allowed command's own effect inside the workspace"
    for unit in units:
        if (
            unit.kind in ("read", "write")
            and unit.inside
            and not unit.by_rule
            and (every_by_rule or unit.path not in redirected)
        ):
            _set(unit, ALLOW, source, reason, True)


def _rules_only(decision: Decision) -> Verdict | None:
    """The deny or ask that an explicit rule (or a plugin deciding instead of the rules) gave
    ``decision``, ignoring the mode's defaults and classifiers; ``None`` when no deny or ask rule matched."""
    if decision.plugin is not None and decision.verdict.decision in (DENY, ASK):
        return decision.verdict
    rule = decision.tool_rule
    if rule is not None and rule.behavior in (DENY, ASK) and decision.verdict.decision == rule.behavior:
        return decision.verdict
    for wanted in (DENY, ASK):
        unit = next((u for u in decision.units if u.by_rule and u.decision == wanted), None)
        if unit is not None:
            return _verdict(wanted, unit.source, unit.reason)
    return None


def _set(unit: Unit, decision: str, source: str, reason: str, by_rule: bool) -> None:
    unit.decision, unit.source, unit.reason, unit.by_rule = decision, source, reason, by_rule


def _verdict(decision: str, source: str, reason: str) -> Verdict:
    return Verdict(decision=decision, reason=reason, source=source)  # type: ignore[arg-type]


def _accesses_of(units: list[Unit]) -> list[Any]:
    from claw.tools import Access

    out = []
    for u in units:
        if u.kind in ("read", "write"):
            out.append(Access(kind=u.kind, path=u.path))  # type: ignore[arg-type]
        elif u.kind == "execute":
            out.append(u.access or Access(kind="execute", command=u.subject, error=u.malformed))
        elif u.kind == "network":
            out.append(Access(kind="network", url=u.subject))
    return out


def _order_classifiers(given: list[Classifier], perms: Any, settings: Any) -> list[Classifier]:
    from claw.permissions.classifier import RuleClassifier

    names = list(perms.classifiers) if perms is not None else []
    if names:
        by_name = {c.name: c for c in given}
        by_name.setdefault(RuleClassifier.name, RuleClassifier())
        unknown = [n for n in names if n not in by_name]
        if unknown:
            where = settings.sources.get("permissions.classifiers[0]", "settings")
            known = ", ".join(sorted(by_name))
            raise ConfigError(
                f"{where}: permissions.classifiers: unknown classifier {unknown[0]!r} (registered: {known})"
            )
        return [by_name[n] for n in names]
    rule_based = [c for c in given if isinstance(c, RuleClassifier)] or [RuleClassifier()]
    return [c for c in given if not isinstance(c, RuleClassifier)] + rule_based[:1]


def additional_roots(
    settings: Any, workspace: str | Path, env: Mapping[str, str], additional_dirs: Sequence[str | Path] = ()
) -> list[str]:
    """The directories treated like the workspace besides it: settings
    ``permissions.additionalDirectories`` (relative to ``workspace``) then ``--add-dir`` ones, resolved.
    The permission engine's roots and ``claw print-system-prompt`` both use it, so the printed prompt
    lists what a run's does."""
    ws = os.path.realpath(workspace)
    home = paths.home_of(dict(env))
    perms = settings.model.permissions if settings is not None else None
    extra = [*((perms.additionalDirectories if perms is not None else []) or []), *map(str, additional_dirs)]
    return [paths.resolve(d, ws, home) for d in extra]
