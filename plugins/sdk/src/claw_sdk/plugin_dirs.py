"""Claude Code plugin folders for one run: the Agent SDK's ``plugins`` option (``--plugin-dir`` flags, or
the ``plugins`` field of ``initialize``), loaded as far as they map onto what claw reads for a run.

A Claude Code plugin is a folder (``.claude-plugin/plugin.json``, ``hooks/hooks.json``, ``.mcp.json``,
``commands/``, ``agents/``, ``skills/``, ...); claw's own plugins are Python distributions. Two parts of a
folder are things a run already takes from its command line, and are applied as those flags would be,
with ``${CLAUDE_PLUGIN_ROOT}`` replaced by the folder as Claude Code does: its hooks (a command-line
settings layer, as ``--settings``; claw-hooks runs them with the settings hooks) and its MCP servers (as
``--mcp-config``; none with ``skipMcpDiscovery``). A folder with anything else (commands, agents,
skills, output styles, LSP servers) is not loaded at all rather than in part, and the reason names
what claw cannot load from it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claw import ClawError

#: Parts of a Claude Code plugin claw cannot load from a folder: manifest key -> default location.
UNSUPPORTED = {
    "commands": "commands",
    "agents": "agents",
    "skills": "skills",
    "outputStyles": "output-styles",
    "lspServers": ".lsp.json",
}

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
    them or none; returns why none was loaded, or ``None`` once all were.

    :raises ClawError: a path that is not a folder, or a plugin file that is not valid JSON.
    """
    loaded = [_read(entry) for entry in entries]
    missing = [f"{name}: {', '.join(parts)}" for name, parts, _, _ in loaded if parts]
    if missing:
        return (
            "claw cannot load a Claude Code plugin's commands, agents, skills, output styles or LSP servers "
            f"from a folder ({'; '.join(missing)}); install a claw plugin from a marketplace instead"
        )
    if any(servers for _, _, _, servers in loaded) and "mcp_config" not in options.extra:
        return "the plugins' MCP servers cannot start: the claw-mcp plugin is not installed or is disabled"
    for name, _, hooks, servers in loaded:
        if hooks:
            options.settings = [*options.settings, ("cli", f"plugin {name} (Agent SDK plugins)", hooks)]
        if servers:
            options.extra["mcp_config"] = (
                *(options.extra["mcp_config"] or ()),
                json.dumps({"mcpServers": servers}),
            )
    return None


def _read(entry: dict[str, Any]) -> tuple[str, list[str], dict[str, Any], dict[str, Any]]:
    """One folder: its name, the parts claw cannot load, its hooks settings and its MCP servers."""
    root = Path(entry["path"]).expanduser().resolve()
    if not root.is_dir():
        raise ClawError(f"plugins: not a directory: {entry['path']}")
    manifest = _json(root / ".claude-plugin" / "plugin.json") or {}
    name = str(manifest.get("name") or root.name)
    parts = [where for key, where in UNSUPPORTED.items() if key in manifest or (root / where).exists()]
    hooks = _part(root, name, manifest.get("hooks"), "hooks/hooks.json", "hooks")
    servers = (
        {}
        if entry.get("skipMcpDiscovery")
        else _part(root, name, manifest.get("mcpServers"), ".mcp.json", "mcpServers")
    )
    return name, parts, {"hooks": hooks} if hooks else {}, servers


def _part(root: Path, name: str, declared: Any, default: str, key: str) -> dict[str, Any]:
    """A part of the plugin (``hooks`` by event, ``mcpServers`` by name): as the manifest gives it (an
    object, or a file in the folder), else from its default file, with or without the ``key`` wrapper;
    ``${CLAUDE_PLUGIN_ROOT}`` replaced by the folder.

    :raises ClawError: a part of another shape.
    """
    if declared is not None and not isinstance(declared, dict | str):
        raise ClawError(f"plugins: {name}: {key} in plugin.json must be an object or a file path")
    data = declared if isinstance(declared, dict) else _json(root / (declared or default))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ClawError(f"plugins: {name}: {key} must be a JSON object")
    inner = data.get(key, data)
    if not isinstance(inner, dict):
        raise ClawError(f'plugins: {name}: "{key}" must be a JSON object')
    return _rooted(inner, str(root))


def _json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ClawError(f"plugins: cannot read {path}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ClawError(f"plugins: {path} is not valid JSON: {exc}") from None


def _rooted(value: Any, root: str) -> Any:
    if isinstance(value, str):
        return value.replace(ROOT, root)
    if isinstance(value, list):
        return [_rooted(v, root) for v in value]
    if isinstance(value, dict):
        return {k: _rooted(v, root) for k, v in value.items()}
    return value
