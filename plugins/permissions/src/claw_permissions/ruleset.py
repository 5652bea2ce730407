"""All rules of a session, indexed for fast matching, with the file each came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from claw import ConfigError, RuleError, UsageError

from claw_permissions.judge import Unit
from claw_permissions.rules import Rule, parse_rule, split_tool_list

BEHAVIORS = ("deny", "ask", "allow")


class RuleSet:
    """Rules by behavior: those on a tool's name and input, and those on access kinds."""

    def __init__(self, cwd: str, home: str) -> None:
        self.cwd = cwd
        self.home = home
        self.rules: list[Rule] = []
        self._by_name: dict[str, list[Rule]] = {b: [] for b in BEHAVIORS}
        self._by_kind: dict[tuple[str, str], list[Rule]] = {
            (b, k): [] for b in BEHAVIORS for k in ("read", "write", "execute", "network")
        }
        #: (behavior, tool name, aliases) -> the rules naming that tool: name matching is the same
        #: for every call of a tool, so it is done once.
        self._named: dict[tuple[str, str, tuple[str, ...]], list[Rule]] = {}

    def add(self, rule: Rule) -> None:
        self.rules.append(rule)
        self._named.clear()
        b = rule.behavior
        if rule.specifier is None or rule.kind is None:
            self._by_name[b].append(rule)
        if rule.kind is not None:
            self._by_kind[(b, rule.kind)].append(rule)
            # A Read deny/ask also blocks writing the same paths.
            if rule.kind == "read" and b != "allow":
                self._by_kind[(b, "write")].append(rule)

    def remove(self, rule: Rule) -> None:
        """Take back a rule added with :meth:`add` (a command's ``allowed-tools`` after its turn)."""
        lists = [self.rules, *self._by_name.values(), *self._by_kind.values()]
        for rules in lists:
            rules[:] = [r for r in rules if r is not rule]
        self._named.clear()

    def add_text(self, text: str, behavior: str, source: str, anchor: str) -> Rule:
        rule = parse_rule(text, behavior, source, anchor=anchor, cwd=self.cwd, home=self.home)
        self.add(rule)
        return rule

    # -- loading ------------------------------------------------------------------------------

    def load_settings(self, settings: Any, workspace: str) -> None:
        """Rules from every settings layer, lowest first, each with its file as source and its anchor.

        Read per layer rather than from the merged lists, which keep one copy of equal items: the same
        text in two files with different anchors (``Read(/secrets/**)`` in user and in project
        settings) is two rules.
        """
        seen: set[tuple[str, str, str]] = set()
        for layer in getattr(settings, "layers", None) or []:
            perms = layer.data.get("permissions")
            if not isinstance(perms, Mapping):
                continue
            anchor = str(layer.anchor) if layer.anchor is not None else workspace
            for behavior in BEHAVIORS:
                for i, text in enumerate(perms.get(behavior) or []):
                    if (behavior, text, anchor) in seen:
                        continue
                    seen.add((behavior, text, anchor))
                    try:
                        self.add_text(text, behavior, layer.label, anchor)
                    except RuleError as exc:
                        raise ConfigError(f"{layer.label}: permissions.{behavior}[{i}]: {exc}") from exc

    def load_flags(self, values: Sequence[str], behavior: str, flag: str, workspace: str) -> None:
        """Rules from ``--allowed-tools`` / ``--disallowed-tools`` values, anchored at the workspace."""
        for text in split_tool_list(values):
            try:
                self.add_text(text, behavior, flag, workspace)
            except RuleError as exc:
                raise UsageError(f"{flag}: {exc}") from exc

    # -- matching -----------------------------------------------------------------------------

    def by_name(
        self, behavior: str, name: str, aliases: tuple[str, ...], tool_input: Mapping[str, Any]
    ) -> Rule | None:
        key = (behavior, name, aliases)
        named = self._named.get(key)
        if named is None:
            named = self._named[key] = [r for r in self._by_name[behavior] if r.names_tool(name, aliases)]
        for rule in named:
            if rule.match_input is None or rule.match_input(tool_input):
                return rule
        return None

    def by_unit(self, behavior: str, unit: Unit) -> Rule | None:
        kind = unit.kind
        if kind == "tool":
            return None
        rules = self._by_kind[(behavior, kind)]
        if not rules and not (kind == "execute" and unit.extra):
            return None
        if kind in ("read", "write"):
            if unit.path is None:
                # An unspecified path matches only rules that cover every path.
                return next((r for r in rules if r.match is None), None)
            subjects: Iterable[str] = (
                (unit.path,)
                if behavior == "allow" or unit.literal in (None, unit.path)
                else (unit.path, unit.literal)
            )
        elif kind == "execute":
            if unit.extra and behavior != "allow":
                for rule in self._by_kind[(behavior, "read")]:
                    if any(rule.match is None or rule.match(p) for p in unit.extra):
                        return rule
            if (unit.malformed or unit.unread) and behavior == "allow":
                return next((r for r in rules if r.match is None), None)
            # The forms the shell tool declared (claw.Access.forms): allow rules match the first.
            if behavior == "allow":
                subjects = unit.forms[:1] or (unit.subject,)
            else:
                subjects = (unit.subject, *unit.forms)
        else:
            subjects = (unit.subject,)
        for rule in rules:
            if rule.match is None:
                return rule
            for s in subjects:
                if rule.match(s):
                    return rule
        return None

    def hides(self, name: str) -> Rule | None:
        """A deny rule naming the tool without a specifier (it is then not offered to the model)."""
        for rule in self._by_name["deny"]:
            if rule.specifier is None and rule.names_tool(name):
                return rule
        return None
