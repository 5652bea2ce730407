"""The rule engine, a :class:`claw.PermissionPolicy`: rules first (deny, then ask, then allow), then the
mode, then classifiers (``auto``). Asking a person (or, with nobody to ask, denying) is the kernel's
:class:`claw.PermissionGate`'s part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from claw import (
    Classifier,
    ConfigError,
    Decision,
    PermissionContext,
    PermissionRequest,
    RuleError,
    Tool,
    ToolContext,
    UsageError,
    Verdict,
)

from claw_permissions import paths
from claw_permissions.judge import ALLOW, ASK, CLASSIFY, DENY, Unit, mode_default, mutates, units_for
from claw_permissions.rules import Rule, split_tool_list
from claw_permissions.ruleset import RuleSet


@dataclass
class RuleDecision(Decision):
    """The kernel's :class:`claw.Decision` with the rule engine's reasoning (``claw permissions explain``
    prints all of it)."""

    units: list[Unit] = field(default_factory=list)
    #: The rule on the tool's name that decided, if one did.
    tool_rule: Rule | None = None
    classifier: str | None = None

    def binding(self) -> Verdict | None:
        """The deny or ask an explicit rule gave, ignoring the mode's defaults and classifiers."""
        rule = self.tool_rule
        if rule is not None and rule.behavior in (DENY, ASK) and self.verdict.decision == rule.behavior:
            return self.verdict
        for wanted in (DENY, ASK):
            unit = next((u for u in self.units if u.by_rule and u.decision == wanted), None)
            if unit is not None:
                return _verdict(wanted, unit.source, unit.reason)
        return None

    def allow_rules(self, tool: Tool) -> list[str]:
        from claw_permissions.store import rules_for

        return rules_for(tool, self)


class RuleEngine:
    """The rules of one session (the ``permissions`` plugin's :class:`claw.PermissionPolicy`).

    :param context: the session's settings (``permissions`` rules with their files), workspace, roots,
        ``--allowed-tools``/``--disallowed-tools`` rules (a bare tool name in the latter hides the tool),
        and classifiers the ``auto`` mode asks, in order (settings ``permissions.classifiers`` selects and
        orders them by name; by default all, with the ``rule`` classifier last).
    :raises ConfigError: for a bad rule (naming its file and key) or an unknown classifier.
    :raises UsageError: for a bad ``--allowed-tools`` rule.
    """

    def __init__(self, context: PermissionContext) -> None:
        settings = context.settings
        self.context = context
        self.settings = settings
        self.workspace = context.workspace
        self.env = context.env
        self._ws = context.roots[0]
        self._home = paths.home_of(dict(self.env))
        self.roots = list(context.roots)
        self.open_model = context.open_model
        perms = settings.model.permissions if settings is not None else None
        self.rules = RuleSet(self._ws, self._home)
        self.rules.load_settings(settings, self._ws)
        self.rules.load_flags(context.allowed_tools, "allow", "--allowed-tools", self._ws)
        self.rules.load_flags(context.disallowed_tools, "deny", "--disallowed-tools", self._ws)
        self.classifiers = _order_classifiers(list(context.classifiers), perms, settings)

    # -- rules added during the session --------------------------------------------------------

    def add_rules(self, texts: Sequence[str], behavior: str, source: str) -> list[Rule]:
        """Add ``texts`` (split like ``--allowed-tools``) as ``behavior`` rules from ``source``.

        :raises UsageError: for a bad rule, naming ``source``.
        """
        added: list[Rule] = []
        try:
            for text in split_tool_list(texts):
                added.append(self.rules.add_text(text, behavior, source, self._ws))
        except RuleError as exc:
            self.remove_rules(added)
            raise UsageError(f"{source}: {exc}") from exc
        return added

    def remove_rules(self, handles: Sequence[Rule]) -> None:
        for rule in handles:
            self.rules.remove(rule)

    def remember(self, tool: Tool, decision: Decision, *, permanent: bool, destination: str) -> None:
        """A "session" or "always" answer: allow rules for what made ``decision`` ask (saved to the
        settings file ``destination`` names when ``permanent``)."""
        from claw_permissions.store import remember

        remember(self, tool, decision, permanent=permanent, destination=destination)

    # -- decisions ----------------------------------------------------------------------------

    def visible(self, tool_name: str) -> bool:
        """False when a deny rule names the tool without a specifier (``--disallowed-tools Bash``,
        ``"deny": ["WebFetch"]``, ``mcp__server``): the tool is not offered to the model."""
        return self.rules.hides(tool_name) is None

    async def decide(
        self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext | None, mode: str
    ) -> RuleDecision:
        """The decision before anyone is asked: ``allow``, ``deny`` or ``ask``, with every unit
        judged (what ``claw permissions explain`` shows)."""
        spec = tool.spec
        name, aliases = spec.name, spec.aliases
        rules = self.rules
        if ctx is None:
            ctx = ToolContext(workspace=self.workspace, session_id="", permission_mode=mode, env=self.env)
        rule = rules.by_name("deny", name, aliases, tool_input)
        if rule is not None:
            return RuleDecision(
                _verdict(DENY, rule.describe(), f"{name} is denied by {rule.describe()}"),
                mode,
                tool_rule=rule,
            )
        try:
            accesses = tool.access(tool_input, ctx)
        except Exception as exc:
            reason = f"cannot tell what this {name} call touches: {exc}"
            return RuleDecision(_verdict(ASK, "tool access", reason), mode)
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
            return RuleDecision(_verdict(DENY, denied.source, denied.reason), mode, units=units)
        rule = rules.by_name("ask", name, aliases, tool_input)
        if rule is not None:
            reason = f"{name} needs approval ({rule.describe()})"
            return RuleDecision(_verdict(ASK, rule.describe(), reason), mode, units=units, tool_rule=rule)
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
    ) -> RuleDecision:
        first: dict[str, Unit] = {}
        for unit in units:
            first.setdefault(unit.decision, unit)
        for decided in (DENY, ASK):
            if decided in first:
                u = first[decided]
                return RuleDecision(_verdict(decided, u.source, u.reason), mode, units=units)
        if CLASSIFY in first:
            verdict, who = await self._classify(tool, tool_input, units, mode)
            return RuleDecision(verdict, mode, units=units, classifier=who)
        sources = list(dict.fromkeys(u.source for u in units))
        return RuleDecision(_verdict(ALLOW, "; ".join(sources), ""), mode, units=units)

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


def _set(unit: Unit, decision: str, source: str, reason: str, by_rule: bool) -> None:
    unit.decision, unit.source, unit.reason, unit.by_rule = decision, source, reason, by_rule


def _verdict(decision: str, source: str, reason: str) -> Verdict:
    return Verdict(decision=decision, reason=reason, source=source)  # type: ignore[arg-type]


def _accesses_of(units: list[Unit]) -> list[Any]:
    from claw import Access

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
    from claw_permissions.classifier import RuleClassifier

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
