"""Reading a Claude Code plugin folder and handing each part to what loads it: one code path for
``claw --plugin-dir DIR`` (Claude Code's flag, which the Agent SDK's ``plugins`` option becomes) and the
plugins installed in Claude Code that settings enable (:mod:`claw_claude_plugins.installed`).

A Claude Code plugin is a folder (``.claude-plugin/plugin.json``, ``commands/``, ``skills/``, ``agents/``,
``hooks/hooks.json``, ``.mcp.json``, ...); claw's own plugins are Python distributions. Its hooks become a
command-line settings layer (as ``--settings``; claw-hooks runs them), its MCP servers join ``--mcp-config``
(none with ``skipMcpDiscovery``), and its commands, skills and agents are found where Claude Code finds
them and passed on as a :class:`claw.PluginFolder` on ``LoopOptions.plugin_folders`` (claw-tools-workflow
offers them as ``/name:command``, claw-agents as ``name:agent``); its ``bin/`` goes on the ``PATH`` of the
commands the ``Bash`` tool runs. ``${CLAUDE_PLUGIN_ROOT}`` (the folder) and ``${CLAUDE_PLUGIN_DATA}`` (the
plugin's data folder, which outlives updates, made when the plugin uses it) are replaced in hooks and MCP
servers here and in commands, skills and agents by their plugins (:meth:`claw.PluginFolder.expand`), as
Claude Code does; MCP servers and hook commands get both in their environment. Output styles and LSP servers are left out with a warning
naming them, as a run without them still does what the plugin's commands and agents say.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import claw
from claw import ClawError

#: Parts of a Claude Code plugin claw leaves out of a folder: manifest key -> default location.
LEFT_OUT = {"outputStyles": "output-styles", "lspServers": ".lsp.json"}

#: Claude Code's variable for the plugin's data folder (``claw.PluginFolder.expand`` replaces it).
DATA = "${CLAUDE_PLUGIN_DATA}"

#: Claude Code's marketplace name for plugins loaded for one session (``--plugin-dir``).
INLINE = "inline"


@dataclass(frozen=True)
class Loaded:
    """One folder read: its :class:`claw.PluginFolder`, the parts left out of it, its hooks settings and
    its MCP servers."""

    folder: claw.PluginFolder
    left_out: str
    hooks: dict[str, Any]
    servers: dict[str, Any]
    #: ``${CLAUDE_PLUGIN_DATA}``, when the plugin uses it (made as it loads, as Claude Code does).
    data: Path | None = None


def apply(options: Any, entries: list[dict[str, Any]]) -> str | None:
    """Load the plugin folders ``entries`` name (``[{"path": ..., "skipMcpDiscovery"?: bool}]``) into
    ``options`` (:class:`claw.LoopOptions`), all of them or none; returns why none was loaded, or ``None``
    once all were.

    :raises ClawError: a path that is not a folder, a plugin file that is not valid JSON or cannot be
        read, a manifest path that is not in the folder.
    """
    env = os.environ
    loaded = [read(e["path"], env, skip_mcp=bool(e.get("skipMcpDiscovery"))) for e in entries]
    if any(one.servers for one in loaded) and "mcp_config" not in options.extra:
        return "the plugins' MCP servers cannot start: the claw-mcp plugin is not installed or is disabled"
    add(options, loaded, "--plugin-dir")
    return None


def add(options: Any, loaded: list[Loaded], origin: str, *, first: bool = False) -> None:
    """Hand each folder's parts to what loads them (settings layers, ``--mcp-config``,
    ``options.plugin_folders``, before those already there when ``first``), warning about the parts left
    out; ``origin`` says where they came from in the settings layers' labels."""
    folders: list[claw.PluginFolder] = []
    for one in loaded:
        folder = one.folder
        if one.data is not None:
            one.data.mkdir(parents=True, exist_ok=True)
        if one.left_out:
            claw.warn(
                f"plugin {folder.name}: claw does not load output styles or LSP servers ({one.left_out})"
            )
        if one.hooks:
            options.settings = [
                *options.settings,
                # written for Claude Code: events, handler types and keys claw lacks are left out, said
                ("cli", f"plugin {folder.name} ({origin} {folder.root})", one.hooks, "claude"),
            ]
        if one.servers and "mcp_config" in options.extra:  # a new tuple: front ends copy the options
            config = json.dumps({"mcpServers": one.servers})
            options.extra = {**options.extra, "mcp_config": (*(options.extra["mcp_config"] or ()), config)}
        folders.append(folder)
    options.plugin_folders = (
        (*folders, *options.plugin_folders) if first else (*options.plugin_folders, *folders)
    )
    if any((f.root / "bin").is_dir() for f in folders):
        # As Claude Code: on the Bash tool's PATH (settings ``env`` reaches every command it runs); one
        # value for every folder so far, as a later layer's PATH replaces an earlier one's.
        bins = [str(f.root / "bin") for f in options.plugin_folders if (f.root / "bin").is_dir()]
        path = os.pathsep.join([*bins, os.environ.get("PATH", os.defpath)])
        label = f"Claude Code plugins' bin/ ({origin})"
        options.settings = [*options.settings, ("cli", label, {"env": {"PATH": path}})]


def data_dir(plugin_id: str, env: Mapping[str, str]) -> Path:
    """``${CLAUDE_PLUGIN_DATA}``: ``<Claude config dir>/plugins/data/<id>``, the id with every character
    other than letters, digits, ``_`` and ``-`` made ``-`` (``formatter@my-market`` ->
    ``formatter-my-market``), as Claude Code names it."""
    return claw.claude_config_dir(env) / "plugins" / "data" / re.sub(r"[^A-Za-z0-9_-]", "-", plugin_id)


def read(path: str | Path, env: Mapping[str, str], *, skip_mcp: bool = False, plugin_id: str = "") -> Loaded:
    """One folder, its parts found as Claude Code finds them; ``plugin_id`` names its data folder
    (``name@marketplace``; ``name@inline`` for a folder given for one run).

    :raises ClawError: see :func:`apply`.
    """
    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise ClawError(f"not a directory: {path}")
    manifest = claw.read_json_file(root / ".claude-plugin" / "plugin.json") or {}
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
        data=data_dir(plugin_id or f"{name}@{INLINE}", env),
    )
    hooks = _part(root, name, manifest.get("hooks"), "hooks/hooks.json", "hooks")
    servers = {} if skip_mcp else _part(root, name, manifest.get("mcpServers"), ".mcp.json", "mcpServers")
    servers = {k: _with_env(v, folder) for k, v in _rooted(servers, folder).items()}
    left_out = ", ".join(
        where for key, where in LEFT_OUT.items() if key in manifest or (root / where).exists()
    )
    parts = (*folder.commands, *folder.skills, *folder.agents)
    used = bool(servers or hooks) or any(DATA.encode() in f.read_bytes() for f in _markdown(parts))
    return Loaded(
        folder,
        left_out,
        {"hooks": _hooks_with_env(_rooted(hooks, folder), folder)} if hooks else {},
        servers,
        folder.data if used else None,
    )


def _hooks_with_env(hooks: dict[str, Any], folder: claw.PluginFolder) -> dict[str, Any]:
    """Each command hook with the folder and data folder in its settings ``env`` (claw-hooks adds it to
    the command's environment): only the plugin's own hooks see them, as in Claude Code. Other shapes
    are left for the settings schema to report."""
    return {
        event: [
            {**entry, "hooks": [_with_env(h, folder) for h in entry["hooks"]]}
            if isinstance(entry, dict) and isinstance(entry.get("hooks"), list)
            else entry
            for entry in entries
        ]
        if isinstance(entries, list)
        else entries
        for event, entries in hooks.items()
    }


def _with_env(server: Any, folder: claw.PluginFolder) -> Any:
    """A server started as a command (or a command hook) gets ``CLAUDE_PLUGIN_ROOT`` and
    ``CLAUDE_PLUGIN_DATA`` in its environment, as in Claude Code (its own ``env`` wins)."""
    if not isinstance(server, dict) or "command" not in server:
        return server
    env = server.get("env") if isinstance(server.get("env"), dict) else {}
    places = {"CLAUDE_PLUGIN_ROOT": str(folder.root), "CLAUDE_PLUGIN_DATA": str(folder.data)}
    return {**server, "env": {**places, **env}}


def _markdown(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    """The Markdown files ``paths`` name: files, or every ``*.md`` under a directory."""
    return [f for path in paths for f in (sorted(path.rglob("*.md")) if path.is_dir() else [path])]


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
        raise ClawError(f"{name}: {key} in plugin.json must be a path or a list of paths")
    paths = [(root / p).resolve() for p in declared or ()]
    for given, path in zip(declared or (), paths, strict=True):
        if not path.is_relative_to(root) or not path.exists():
            raise ClawError(f"{name}: {key}: {given} is not a file or folder inside {root}")
    if (adds or not paths) and (root / default).is_dir():
        paths.insert(0, root / default)
    for file in _markdown(paths):
        try:
            file.open("rb").close()
        except OSError as exc:
            raise ClawError(f"{name}: cannot read {file}: {exc.strerror or exc}") from None
    return tuple(dict.fromkeys(paths))


def _part(root: Path, name: str, declared: Any, default: str, key: str) -> dict[str, Any]:
    """A part of the plugin (``hooks`` by event, ``mcpServers`` by name): as the manifest gives it (an
    object, a file in the folder, or a list of them, merged in order), else from its default file, each
    with or without the ``key`` wrapper.

    :raises ClawError: a part of another shape.
    """
    given = declared if isinstance(declared, list) else [declared] if declared is not None else [default]
    if not all(isinstance(d, dict | str) for d in given):
        raise ClawError(f"{name}: {key} in plugin.json must be an object, a file path or a list of them")
    merged: dict[str, Any] = {}
    for data in (d if isinstance(d, dict) else claw.read_json_file(root / d) for d in given):
        inner = (data or {}).get(key, data or {})
        if not isinstance(inner, dict):
            raise ClawError(f'{name}: "{key}" must be a JSON object')
        for k, v in inner.items():  # hooks of one event add up; a later server of a name wins
            both_lists = isinstance(v, list) and isinstance(merged.get(k), list)
            merged[k] = [*merged[k], *v] if both_lists else v
    return merged


def _rooted(value: Any, folder: claw.PluginFolder) -> Any:
    """``value`` with ``${CLAUDE_PLUGIN_ROOT}`` and ``${CLAUDE_PLUGIN_DATA}`` replaced in every string."""
    if isinstance(value, str):
        return folder.expand(value)
    if isinstance(value, list):
        return [_rooted(v, folder) for v in value]
    if isinstance(value, dict):
        return {k: _rooted(v, folder) for k, v in value.items()}
    return value
