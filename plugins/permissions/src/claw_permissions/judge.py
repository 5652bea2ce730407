"""Breaking a tool call into the units the engine judges, and the mode's default for each unit.

A *unit* is one thing a call touches: a resolved path read or written, one simple shell command,
one URL, or (for a tool that declares no accesses) the tool itself. Rules and modes judge units;
the call is allowed only when every unit is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from claw import Access

from claw_permissions import paths


@dataclass(slots=True)
class Unit:
    """One judged thing, and afterwards how it was judged."""

    #: ``read`` | ``write`` | ``execute`` | ``network`` | ``tool``
    kind: str
    #: What it is: the path as given, the command, the URL or the tool name.
    subject: str
    #: The resolved absolute path (read/write) or ``None``.
    path: str | None = None
    #: The literal absolute path before symlinks were followed (deny rules match both).
    literal: str | None = None
    inside: bool = True
    #: Execute units: ``"read"`` (read-only command), ``"file"`` (mkdir/touch/mv/cp) or ``None``.
    command_class: str | None = None
    #: Execute units whose path arguments all stay inside the workspace.
    paths_inside: bool = True
    malformed: str | None = None
    decision: str = ""
    source: str = ""
    reason: str = ""
    by_rule: bool = False
    #: Execute units: the resolved path arguments of a classified command (Read deny rules apply).
    extra: list[str] = field(default_factory=list)
    #: Write units: the target of a shell redirection (``> out.txt``) rather than of a command.
    redirect: bool = False
    #: Execute units: the forms rules know the command by (:attr:`claw.Access.forms`).
    forms: tuple[str, ...] = ()
    #: Execute units: the access the unit came from, when a shell tool declared it.
    access: Access | None = None
    #: Execute units: a line no shell parser read (an ``execute`` access without ``argv``): only a
    #: rule covering every command allows it, deny and ask rules match it as written.
    unread: bool = False

    def label(self) -> str:
        if self.kind == "tool":
            return f"tool {self.subject}"
        if self.kind in ("read", "write"):
            return f"{self.kind} {self.path or self.subject}"
        return f"{self.kind} {self.subject}"


def units_for(
    tool_name: str, accesses: Sequence[Access], workspace: str, roots: Sequence[str], home: str
) -> list[Unit]:
    """Expand accesses into units: paths resolved, commands split, redirections turned into writes."""
    if not accesses:
        return [Unit("tool", tool_name)]
    units: list[Unit] = []
    # A shell tool's parsed commands (``argv`` given) and its redirections form one line, judged
    # together so a ``cd`` among them moves where later paths point.
    parsed = [a for a in accesses if a.kind == "execute" and (a.argv is not None or a.error is not None)]
    redirects = [a.path or "" for a in accesses if a.redirect and a.kind == "write"] if parsed else []
    for acc in accesses:
        kind = acc.kind
        if kind in ("read", "write"):
            if not (acc.redirect and parsed and kind == "write"):
                units.append(_path_unit(kind, acc.path, workspace, roots, home))
        elif kind == "execute":
            if acc is parsed[0] if parsed else False:
                units.extend(_line_units(parsed, redirects, workspace, roots, home))
            elif acc.argv is None and acc.error is None:
                # A line no shell parser read: the kernel has no grammar to split it with.
                units.append(Unit("execute", (acc.command or "").strip(), unread=True))
        else:
            units.append(Unit("network", acc.url or ""))
    return units


def _line_units(
    parsed: Sequence[Access], redirects: Sequence[str], workspace: str, roots: Sequence[str], home: str
) -> list[Unit]:
    """Units for the commands a shell tool read from one line, and its redirection targets.

    A ``cd`` changes where later relative paths point, but whether it takes effect depends on
    subshells and on earlier commands succeeding, so every directory the line may be in by then is
    considered: a path argument must pass under each of them (at most :data:`_MAX_CWDS`).
    """
    first = parsed[0]
    cwd = paths.resolve(first.path, workspace, home) if first.path else workspace
    error = next((a.error for a in parsed if a.error), None)
    if error is not None:
        return [Unit("execute", (first.command or "").strip(), malformed=error)]
    units: list[Unit] = []
    cwds = [cwd]
    for acc in parsed:
        unit = Unit("execute", acc.command or "", forms=tuple(acc.forms), access=acc)
        if acc.command_class is not None:
            unit.command_class = acc.command_class
            unit.extra = [paths.resolve(a, c, home) for a in acc.operands for c in cwds]
            unit.paths_inside = all(paths.inside(p, roots) for p in unit.extra)
            if (acc.argv or [""])[0] == "cd" and len(cwds) < _MAX_CWDS:
                cwds += [p for p in unit.extra if p not in cwds][: _MAX_CWDS - len(cwds)]
        units.append(unit)
    for target in redirects:
        for c in cwds:
            unit = _path_unit("write", target, c, roots, home)
            unit.redirect = True
            units.append(unit)
    return units


def _path_unit(kind: str, raw: str | None, workspace: str, roots: Sequence[str], home: str) -> Unit:
    if not raw:
        # A read or write of something unspecified: judged as if it were outside the workspace.
        return Unit(kind, "(unspecified path)", inside=False)
    resolved = paths.resolve(raw, workspace, home)
    expanded = home + raw[1:] if raw == "~" or raw.startswith("~/") else raw
    literal = os.path.normpath(os.path.join(workspace, expanded))
    return Unit(kind, raw, path=resolved, literal=literal, inside=paths.inside(resolved, roots))


_MAX_CWDS = 8


# --- mode defaults ---------------------------------------------------------------------------------

ALLOW, ASK, DENY, CLASSIFY = "allow", "ask", "deny", "classify"


def mode_default(
    mode: str, unit: Unit, read_only_tool: bool, needs_approval: bool = False
) -> tuple[str, str]:
    """``(decision, reason)`` for a unit no rule decided. ``classify`` means: ask the classifiers
    (``auto`` mode). A ``needs_approval`` tool (:attr:`claw.ToolSpec.needs_approval`) is asked about in
    every mode that does not skip approval, ``auto`` included: no classifier decides for it."""
    kind = unit.kind
    if mode in ("allow", "danger-full-access"):
        return ALLOW, ""
    if needs_approval:
        if mode in ("dont-ask", "read-only"):
            return DENY, f"{unit.label()} always needs approval: not allowed in {mode} mode"
        return ASK, f"{unit.label()} always needs approval in {mode} mode"
    if kind == "tool" and read_only_tool:
        return ALLOW, ""
    if kind == "read" or (kind == "execute" and unit.command_class == "read" and not unit.malformed):
        if unit.inside and unit.paths_inside:
            return ALLOW, ""
        what = "reads outside the workspace"
        return _closed(mode, what, deny_in=("dont-ask",))
    if kind == "write":
        if unit.inside and mode == "workspace-write":
            return ALLOW, ""
        where = "inside" if unit.inside else "outside"
        if not unit.inside and mode == "workspace-write":
            return DENY, f"writing {unit.path} is outside the workspace (workspace-write mode)"
        return _closed(mode, f"writes {where} the workspace", deny_in=("dont-ask", "read-only"))
    if kind == "execute":
        if unit.malformed:
            if mode in ("read-only", "dont-ask"):
                return DENY, f"the command cannot be analysed ({unit.malformed}) ({mode} mode)"
            return ASK, f"the command cannot be analysed safely ({unit.malformed})"
        if mode == "workspace-write" and unit.command_class == "file" and unit.paths_inside:
            return ALLOW, ""
        return _closed(mode, "runs commands", deny_in=("dont-ask", "read-only"))
    if kind == "network":
        return _closed(mode, "reaches the network", deny_in=("dont-ask",))
    return _closed(mode, "changes things", deny_in=("dont-ask", "read-only"))


def mutates(unit: Unit, read_only_tool: bool) -> bool:
    """Whether ``unit`` can change anything: read-only mode refuses it even when a rule allows it."""
    if unit.kind == "write":
        return True
    if unit.kind == "execute":
        return unit.command_class != "read" or unit.malformed is not None
    return unit.kind == "tool" and not read_only_tool


def _closed(mode: str, what: str, deny_in: tuple[str, ...]) -> tuple[str, str]:
    if mode in deny_in:
        return DENY, f"{what}: not allowed in {mode} mode"
    if mode == "auto":
        return CLASSIFY, f"{what}: needs a classifier verdict in auto mode"
    return ASK, f"{what}: needs approval in {mode} mode"
