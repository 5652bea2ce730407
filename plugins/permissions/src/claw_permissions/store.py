"""Remembering a person's "allow for this session" and "always allow" answers as allow rules.

"session" answers live in the session's :class:`~claw_permissions.engine.RuleEngine` only; "always" answers are also appended to the workspace's
``.claw/settings.local.json`` (``permissions.allow``), written atomically with every other key
kept, like Claude Code's "don't ask again".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from claw import ConfigError, atomic_write, warn

if TYPE_CHECKING:
    from collections.abc import Mapping

    from claw import Decision, Tool

    from claw_permissions.engine import RuleDecision, RuleEngine
    from claw_permissions.judge import Unit

#: Source of rules a "session" answer added, for this session only.
SESSION_SOURCE = "session answer"


def rule_for(unit: Unit) -> str:
    """The narrowest rule that allows ``unit`` again."""
    if unit.kind == "execute":
        return f"Bash({unit.subject})"
    if unit.kind in ("read", "write") and unit.path:
        return f"{'Read' if unit.kind == 'read' else 'Edit'}(/{unit.path})"
    if unit.kind == "network":
        host = urlsplit(unit.subject).hostname
        return f"WebFetch(domain:{host})" if host else f"WebFetch({unit.subject})"
    return unit.subject


def rules_for(tool: Tool, decision: RuleDecision) -> list[str]:
    """The allow rules that would let calls like the one ``decision`` asked about through."""
    texts: list[str] = []
    for unit in decision.units or []:
        if unit.decision in ("ask", "classify") and not unit.by_rule:
            text = unit.subject if unit.kind == "tool" else rule_for(unit)
            if text not in texts:
                texts.append(text)
    if not decision.units and decision.tool_rule is None:
        texts.append(tool.name)
    return texts


def remember(
    engine: RuleEngine,
    tool: Tool,
    decision: Decision,
    *,
    permanent: bool,
    destination: str = "localSettings",
) -> list[str]:
    """Add allow rules for what made ``decision`` ask; with ``permanent``, persist them too, in the
    settings file ``destination`` names (Claude Code's ``userSettings``, ``projectSettings``,
    ``localSettings``)."""
    texts = decision.allow_rules(tool)
    target = settings_path(destination, engine.workspace, engine.env)
    source = str(target) if permanent else SESSION_SOURCE
    for text in texts:
        engine.rules.add_text(text, "allow", source, str(engine.workspace))
    if permanent and texts:
        try:
            append_allow_rules(target, texts)
        except (OSError, ConfigError) as exc:
            warn(f"could not save the permission rule to {target}: {exc}")
    return texts


def settings_path(destination: str, workspace: Path, env: Mapping[str, str] | None = None) -> Path:
    """claw's settings file for a Claude Code ``destination``: the user's ``settings.json`` in the
    config dir, the project's ``.claw/settings.json``, or (anything else) ``.claw/settings.local.json``."""
    from claw import PROJECT_DIR_NAME, config_dir

    if destination == "userSettings":
        return config_dir(env) / "settings.json"
    name = "settings.json" if destination == "projectSettings" else "settings.local.json"
    return Path(workspace) / PROJECT_DIR_NAME / name


def append_allow_rules(path: Path, rules: list[str]) -> None:
    """Append ``rules`` to ``permissions.allow`` in ``path`` (created if missing), atomically.

    :raises ConfigError: when the file exists but is not a JSON object.
    """
    from claw import read_json_file

    data: dict[str, Any] = read_json_file(path) or {}
    perms = data.setdefault("permissions", {})
    if not isinstance(perms, dict):
        raise ConfigError(f"{path}: permissions must be an object")
    allow = perms.setdefault("allow", [])
    if not isinstance(allow, list):
        raise ConfigError(f"{path}: permissions.allow must be a list")
    allow.extend(r for r in rules if r not in allow)
    atomic_write(path, json.dumps(data, indent=2) + "\n")
