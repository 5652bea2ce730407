"""The plugins a user installed in Claude Code (``/plugin install name@marketplace``) that settings enable.

Claude Code records each install in ``<Claude config dir>/plugins/installed_plugins.json`` (``~/.claude``,
or ``$CLAUDE_CONFIG_DIR``): format version 2 is ``{"version": 2, "plugins": {"name@marketplace": [{"scope":
"user"|"project"|"local", "installPath": ..., "version": ..., "projectPath"?: ...}]}}`` (one record per
scope it was installed at), version 1 had one record per id. It turns them on with the settings key
``enabledPlugins`` (``{"name@marketplace": true}``) in any settings scope; claw reads Claude Code's settings
files as its own layers, so the effective settings carry it. A plugin loads when it is enabled there and
has an install record for this run: user scope, or project/local scope whose ``projectPath`` is the
workspace. The file is read only when some plugin is enabled, so a run without any pays nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import claw

#: ``installed_plugins.json`` under Claude Code's config dir.
INSTALLED_FILE = ("plugins", "installed_plugins.json")


@dataclass(frozen=True)
class Enabled:
    """A plugin ``enabledPlugins`` turns on: where it is installed, or why it cannot load."""

    plugin_id: str
    root: Path | None
    problem: str = ""


def enabled_ids(settings: Mapping[str, Any]) -> list[str]:
    """The ids settings ``enabledPlugins`` sets to ``true`` (Claude Code's ``name@marketplace``), in order."""
    return [plugin_id for plugin_id, on in (settings.get("enabledPlugins") or {}).items() if on is True]


def installed_file(env: Mapping[str, str]) -> Path:
    """Claude Code's record of installed plugins (``$CLAUDE_CONFIG_DIR`` moves it with ``~/.claude``)."""
    return claw.claude_config_dir(env).joinpath(*INSTALLED_FILE)


def resolve(ids: list[str], workspace: Path, env: Mapping[str, str]) -> list[Enabled]:
    """Each enabled id with its install folder, or the reason it cannot load (no install record for this
    workspace, the folder gone, the record file unreadable): Claude Code lists such plugins as failed to
    load and starts anyway, and so does claw."""
    if not ids:
        return []
    path = installed_file(env)
    try:
        records = _records(claw.read_json_file(path) or {})
    except claw.ClawError as exc:
        return [Enabled(plugin_id, None, str(exc)) for plugin_id in ids]
    here = os.path.realpath(workspace)
    out: list[Enabled] = []
    for plugin_id in ids:
        mine = [r for r in records.get(plugin_id, []) if _applies(r, here)]
        if not mine:
            out.append(Enabled(plugin_id, None, f"not installed for this folder ({path} has no record)"))
            continue
        root = Path(str(mine[-1]["installPath"])).expanduser()
        out.append(
            Enabled(plugin_id, root)
            if root.is_dir()
            else Enabled(plugin_id, None, f"its folder {root} is gone")
        )
    return out


def _records(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Install records by id, from either format version (a list per id, or one object)."""
    plugins = data.get("plugins")
    if not isinstance(plugins, dict):
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for plugin_id, value in plugins.items():
        entries = value if isinstance(value, list) else [value]
        out[plugin_id] = [e for e in entries if isinstance(e, dict) and isinstance(e.get("installPath"), str)]
    return out


def _applies(record: dict[str, Any], workspace: str) -> bool:
    """A user-scope record applies everywhere, a project or local one in its ``projectPath`` only. A
    record without a scope is a version 1 one: those were all user installs."""
    scope = record.get("scope", "user")
    if scope in ("user", "managed"):
        return True
    project = record.get("projectPath")
    return isinstance(project, str) and os.path.realpath(os.path.expanduser(project)) == workspace
