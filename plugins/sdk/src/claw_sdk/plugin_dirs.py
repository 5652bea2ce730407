"""Claude Code plugin folders for one run: ``claw --plugin-dir DIR`` (Claude Code's flag, which the Agent
SDK's ``plugins`` option becomes) or the ``plugins`` field of ``initialize``.

A Claude Code plugin is a folder (``.claude-plugin/plugin.json``, ``commands/``, ``skills/``, ``agents/``,
``hooks/hooks.json``, ``.mcp.json``, ...); claw's own plugins are Python distributions. This module reads
the folder and hands each part to what loads it, with ``${CLAUDE_PLUGIN_ROOT}`` replaced by the folder as
Claude Code does: its hooks become a command-line settings layer (as ``--settings``; claw-hooks runs
them), its MCP servers join ``--mcp-config`` (none with ``skipMcpDiscovery``), and its commands, skills
and agents are found where Claude Code finds them and passed on as a :class:`claw.PluginFolder` on
``LoopOptions.plugin_folders`` (claw-tools-workflow offers them as ``/name:command``, claw-agents as
``name:agent``); its ``bin/`` goes on the ``PATH`` of the commands the ``Bash`` tool runs. Output
styles and LSP servers are left out with a warning naming them, as a run without them still does what
the plugin's commands and agents say.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import claw
from claw import ClawError

#: Parts of a Claude Code plugin claw leaves out of a folder: manifest key -> default location.
LEFT_OUT = {"outputStyles": "output-styles", "lspServers": ".lsp.json"}

ROOT = "${CLAUDE_PLUGIN_ROOT}"


def entries_of(value: Any) -> list[dict[str, Any]]:
    """The SDK's ``plugins`` list (``[{"type": "local", "path": ..., "skipMcpDiscovery"?: bool}]``).

    :raises ClawError: another shape, or a type other than ``local`` (the only one the SDK has).
    """
    if not isinstance(value, list):
        raise ClawError('initialize: "plugins" must be a list of {"type": "local", "path": ...}')
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not entry["path"]:
            raise ClawError('initialize: each "plugins" entry needs a "path" (a string)')
        if entry.get("type", "local") != "local":
            raise ClawError(f"initialize: plugins: unsupported type {json.dumps(entry['type'])} (only local)")
    return value


def apply(options: Any, entries: list[dict[str, Any]]) -> str | None:
    """Load the plugin folders ``entries`` name into ``options`` (:class:`claw.LoopOptions`), all of
    them or none; returns why none was loaded, or ``None`` once all were (with a warning naming the
    output styles and LSP servers left out).

    :raises ClawError: a path that is not a folder, a plugin file that is not valid JSON or cannot be
        read, a manifest path that is not in the folder.
    """
    loaded = [_read(entry) for entry in entries]
    if any(servers for _, _, _, servers in loaded) and "mcp_config" not in options.extra:
        return "the plugins' MCP servers cannot start: the claw-mcp plugin is not installed or is disabled"
    for folder, left_out, hooks, servers in loaded:
        if left_out:
            claw.warn(f"plugin {folder.name}: claw does not load output styles or LSP servers ({left_out})")
        if hooks:
            options.settings = [
                *options.settings,
                ("cli", f"plugin {folder.name} (--plugin-dir {folder.root})", hooks),
            ]
        if servers:
            options.extra["mcp_config"] = (
                *(options.extra["mcp_config"] or ()),
                json.dumps({"mcpServers": servers}),
            )
        options.plugin_folders = (*options.plugin_folders, folder)
    bins = [str(f.root / "bin") for f, _, _, _ in loaded if (f.root / "bin").is_dir()]
    if bins:  # as Claude Code: on the Bash tool's PATH (settings ``env`` reaches every command it runs)
        path = os.pathsep.join([*bins, os.environ.get("PATH", os.defpath)])
        options.settings = [
            *options.settings,
            ("cli", "plugin folders' bin/ (--plugin-dir)", {"env": {"PATH": path}}),
        ]
    return None


def _read(entry: dict[str, Any]) -> tuple[claw.PluginFolder, str, dict[str, Any], dict[str, Any]]:
    """One folder: its :class:`claw.PluginFolder`, the parts left out of it, its hooks settings and its
    MCP servers."""
    root = Path(entry["path"]).expanduser().resolve()
    if not root.is_dir():
        raise ClawError(f"plugins: not a directory: {entry['path']}")
    manifest = _json(root / ".claude-plugin" / "plugin.json") or {}
    name = str(manifest.get("name") or root.name)
    skills = _paths(root, name, manifest, "skills", "skills", adds=True)
    if not skills and "skills" not in manifest and (root / "SKILL.md").is_file():
        skills = (root,)  # a plugin that is one skill
    folder = claw.PluginFolder(
        name=name,
        root=root,
        commands=_paths(root, name, manifest, "commands", "commands", adds=False),
        skills=skills,
        agents=_paths(root, name, manifest, "agents", "agents", adds=False),
    )
    hooks = _part(root, name, manifest.get("hooks"), "hooks/hooks.json", "hooks")
    servers = (
        {}
        if entry.get("skipMcpDiscovery")
        else _part(root, name, manifest.get("mcpServers"), ".mcp.json", "mcpServers")
    )
    left_out = ", ".join(
        where for key, where in LEFT_OUT.items() if key in manifest or (root / where).exists()
    )
    return folder, left_out, {"hooks": hooks} if hooks else {}, servers


def _paths(
    root: Path, name: str, manifest: dict[str, Any], key: str, default: str, *, adds: bool
) -> tuple[Path, ...]:
    """Where one part of the plugin is: the manifest's path or paths (relative to the folder), and the
    default directory when it exists and the manifest names none, or for a part whose paths add to the
    default (skills), as in Claude Code. Every Markdown file under them must be readable.

    :raises ClawError: a manifest value of another shape, a path outside the folder or that does not
        exist, a file that cannot be read.
    """
    declared = manifest.get(key)
    if isinstance(declared, str):
        declared = [declared]
    if declared is not None and not (
        isinstance(declared, list) and all(isinstance(p, str) for p in declared)
    ):
        raise ClawError(f"plugins: {name}: {key} in plugin.json must be a path or a list of paths")
    paths = [(root / p).resolve() for p in declared or ()]
    for given, path in zip(declared or (), paths, strict=True):
        if not path.is_relative_to(root) or not path.exists():
            raise ClawError(f"plugins: {name}: {key}: {given} is not a file or folder inside {root}")
    if (adds or not paths) and (root / default).is_dir():
        paths.insert(0, root / default)
    for path in paths:
        for file in sorted(path.rglob("*.md")) if path.is_dir() else [path]:
            try:
                file.open("rb").close()
            except OSError as exc:
                raise ClawError(f"plugins: {name}: cannot read {file}: {exc.strerror or exc}") from None
    return tuple(dict.fromkeys(paths))


def _part(root: Path, name: str, declared: Any, default: str, key: str) -> dict[str, Any]:
    """A part of the plugin (``hooks`` by event, ``mcpServers`` by name): as the manifest gives it (an
    object, a file in the folder, or a list of them, merged in order), else from its default file, each
    with or without the ``key`` wrapper; ``${CLAUDE_PLUGIN_ROOT}`` replaced by the folder.

    :raises ClawError: a part of another shape.
    """
    given = declared if isinstance(declared, list) else [declared] if declared is not None else [default]
    if not all(isinstance(d, dict | str) for d in given):
        raise ClawError(
            f"plugins: {name}: {key} in plugin.json must be an object, a file path or a list of them"
        )
    merged: dict[str, Any] = {}
    for data in (d if isinstance(d, dict) else _json(root / d) for d in given):
        inner = (data or {}).get(key, data or {})
        if not isinstance(inner, dict):
            raise ClawError(f'plugins: {name}: "{key}" must be a JSON object')
        for k, v in inner.items():  # hooks of one event add up; a later server of a name wins
            both_lists = isinstance(v, list) and isinstance(merged.get(k), list)
            merged[k] = [*merged[k], *v] if both_lists else v
    return _rooted(merged, str(root))


def _json(path: Path) -> Any:
    try:
        return claw.read_json_file(path)
    except ClawError as exc:
        raise ClawError(f"plugins: {exc}") from None


def _rooted(value: Any, root: str) -> Any:
    if isinstance(value, str):
        return value.replace(ROOT, root)
    if isinstance(value, list):
        return [_rooted(v, root) for v in value]
    if isinstance(value, dict):
        return {k: _rooted(v, root) for k, v in value.items()}
    return value
