"""Where MCP servers are configured, in Claude Code's format, and how entries are checked.

Sources, lowest precedence first (a later source replaces a server of the same name):

- ``mcpServers`` in user settings (``<config dir>/settings.json``),
- ``.mcp.json`` in the workspace (project scope, meant to be committed),
- ``mcpServers`` in local settings (``.claw/settings.local.json``),
- each ``--mcp-config FILE|JSON`` in order; with ``--strict-mcp-config`` only these count, and in
  bare mode (``--bare``, ``CLAUDE_CODE_SIMPLE=1``) too.

The folder's own sources (``.mcp.json`` and the local settings file) count only in a trusted folder
(the kernel's :class:`claw.WorkspaceTrust`), and a ``.mcp.json`` server also needs approval when a
person is asked (interactive sessions): ``enabledMcpjsonServers`` names it or
``enableAllProjectMcpServers`` is true, and ``disabledMcpjsonServers`` does not (Claude Code's keys).
Headless runs start servers that are not rejected, as Claude Code's ``-p`` does.

Each entry is checked on its own: a bad one becomes one error line naming its file and server, and
the others still start. ``${VAR}`` and ``${VAR:-default}`` expand in ``command``, ``args``, ``env``,
``url`` and ``headers``, as in Claude Code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claw import PROJECT_DIR_NAME, ConfigError, config_dir, parse_json, read_json_file, warn

#: The project-scope file, at the workspace root (Claude Code's name).
PROJECT_FILE = ".mcp.json"

#: ``type`` values that reach the server over the network.
REMOTE_TYPES = frozenset({"http", "streamable-http", "sse", "ws"})

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass
class ServerConfig:
    """One server, expanded and checked.

    :param name: the key in ``mcpServers``.
    :param type: the transport name (``stdio`` when absent).
    :param source: the file (or ``--mcp-config``) it came from, for messages.
    :param scope: ``user``, ``project``, ``local`` or ``cli``.
    :param data: the expanded entry, as the transport receives it.
    """

    name: str
    type: str
    source: str
    scope: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def oauth_capable(self) -> bool:
        """Whether OAuth applies: http and sse servers (the SDK's provider is an ``httpx2.Auth``)."""
        return self.type in ("http", "sse")


@dataclass
class BadEntry:
    """An entry that cannot be used: ``"<source>: mcpServers.<name>: <why>"``."""

    name: str
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: mcpServers.{self.name}: {self.reason}"


def expand(value: str, env: Mapping[str, str], missing: list[str]) -> str:
    """Expand ``${VAR}`` and ``${VAR:-default}``; unset variables without a default go to ``missing``."""

    def sub(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        if name in env and (env[name] or default is None):
            return env[name]
        if default is not None:
            return default
        missing.append(name)
        return ""

    return _VAR.sub(sub, value)


def _str_map(entry: dict[str, Any], key: str) -> dict[str, str] | str:
    value = entry.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return f'"{key}" must be an object of strings'
    return value


def check_entry(
    name: str, entry: Any, source: str, scope: str, env: Mapping[str, str]
) -> ServerConfig | BadEntry:
    """Check and expand one ``mcpServers`` entry."""

    def bad(reason: str) -> BadEntry:
        return BadEntry(name, source, reason)

    if not _NAME.match(name):
        return bad("server names may use only letters, digits, '_', '-' and '.'")
    if not isinstance(entry, dict):
        return bad(f"must be an object, not {type(entry).__name__}")
    kind = entry.get("type", "stdio")
    if not isinstance(kind, str) or not kind:
        return bad('"type" must be a string')
    missing: list[str] = []
    data = dict(entry)
    data["type"] = kind
    if "command" in entry or kind == "stdio":
        command = entry.get("command")
        if not isinstance(command, str) or not command.strip():
            return bad('"command" is required for a stdio server')
        args = entry.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            return bad('"args" must be a list of strings')
        data["command"] = expand(command, env, missing)
        data["args"] = [expand(a, env, missing) for a in args]
    for key in ("env", "headers"):
        if key in entry:
            value = _str_map(entry, key)
            if isinstance(value, str):
                return bad(value)
            data[key] = {k: expand(v, env, missing) for k, v in value.items()}
    if kind in REMOTE_TYPES:
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip():
            return bad(f'"url" is required for a {kind} server')
        data["url"] = expand(url, env, missing)
    elif "url" in entry and isinstance(entry["url"], str):
        data["url"] = expand(entry["url"], env, missing)
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        return bad(f"environment variable(s) not set: {names}")
    if kind == "streamable-http":
        kind = data["type"] = "http"
    return ServerConfig(name=name, type=kind, source=source, scope=scope, data=data)


@dataclass
class Resolved:
    """Every configured server, and the entries that could not be used."""

    servers: dict[str, ServerConfig] = field(default_factory=dict)
    errors: list[BadEntry] = field(default_factory=list)
    #: Whole sources that could not be read (invalid JSON): ``"<file>:<line>:<col>: ..."``.
    source_errors: list[str] = field(default_factory=list)
    #: Servers of the folder's own files left out because the folder is not trusted.
    untrusted: list[str] = field(default_factory=list)
    #: ``.mcp.json`` servers left out because they are neither approved nor rejected (interactive).
    unapproved: list[str] = field(default_factory=list)
    #: ``.mcp.json`` servers left out because ``disabledMcpjsonServers`` names them.
    rejected: list[str] = field(default_factory=list)


def env_number(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole-number environment setting (``MCP_TIMEOUT``, ``MCP_TOOL_TIMEOUT``,
    ``MAX_MCP_OUTPUT_TOKENS``); a value that is not one is reported (once) and ``default`` used, so
    a typo does not silently leave the limit at a value the user did not choose."""
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        warn(f"{name}={value!r} is not a whole number; ignored (as if unset)")
        return default


def approval(name: str, settings: Mapping[str, Any] | None) -> str:
    """``approved``, ``rejected`` or ``unknown`` for the ``.mcp.json`` server ``name``, from Claude
    Code's keys (a rejection wins)."""
    settings = settings or {}
    if name in (settings.get("disabledMcpjsonServers") or []):
        return "rejected"
    if settings.get("enableAllProjectMcpServers") is True or name in (
        settings.get("enabledMcpjsonServers") or []
    ):
        return "approved"
    return "unknown"


def _servers_of(data: Any, label: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: must be a JSON object")
    servers = data.get("mcpServers", {})
    if not isinstance(servers, dict):
        raise ConfigError(f"{label}: mcpServers must be an object")
    return servers


def settings_files(workspace: Path, env: Mapping[str, str]) -> dict[str, Path]:
    """The files each ``--scope`` of ``claw mcp add`` edits."""
    project_dir = workspace / PROJECT_DIR_NAME
    return {
        "user": config_dir(env) / "settings.json",
        "project": workspace / PROJECT_FILE,
        "local": project_dir / "settings.local.json",
    }


def folder_servers(workspace: Path, env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The servers the folder's own files name (``project``: ``.mcp.json``, ``local``), unchecked;
    an unreadable file names none (it is reported where servers start)."""
    files = settings_files(workspace, env)
    out: dict[str, dict[str, Any]] = {}
    for scope in ("project", "local"):
        try:
            out[scope] = _servers_of(read_json_file(files[scope]), str(files[scope]))
        except ConfigError:
            out[scope] = {}
    return out


def describe(entry: Any) -> str:
    """What a server entry runs or reaches, for the trust dialog: ``cmd args`` or ``url (type)``."""
    if not isinstance(entry, dict):
        return "?"
    if isinstance(entry.get("url"), str) and "command" not in entry:
        return f"{entry['url']} ({entry.get('type', 'http')})"
    args = entry.get("args") if isinstance(entry.get("args"), list) else []
    return " ".join(str(part) for part in [entry.get("command", "?"), *args])


def read_cli_config(value: str) -> tuple[str, dict[str, Any]]:
    """One ``--mcp-config`` value: an inline JSON object or a file. Returns ``(label, data)``."""
    stripped = value.strip()
    if stripped.startswith("{"):
        return "--mcp-config", parse_json(stripped, "--mcp-config")
    path = Path(value).expanduser()
    data = read_json_file(path)
    if data is None:
        raise ConfigError(f"--mcp-config: no such file: {path}")
    return str(path), data


def read_cli_servers(value: str) -> tuple[str, dict[str, Any]]:
    """The servers of one ``--mcp-config`` value, with its label. :raises ConfigError: unreadable."""
    label, data = read_cli_config(value)
    return label, _servers_of(data, label)


def resolve(
    workspace: Path,
    env: Mapping[str, str],
    settings: Mapping[str, Any] | None = None,
    *,
    cli_configs: Sequence[str] = (),
    strict: bool = False,
    trusted: bool = False,
    ask_approval: bool = False,
) -> Resolved:
    """Collect servers from every source (see the module docstring).

    :param settings: the effective settings. The user, project and local files are read directly
        (so messages name the file and a server defined twice is replaced, not deep-merged);
        ``mcpServers`` from other settings layers and the approval keys come from here.
    :param trusted: whether the folder is trusted (its ``.mcp.json`` and local file count).
    :param ask_approval: whether ``.mcp.json`` servers need approval (a person is asked).
    """
    out = Resolved()
    raw: dict[str, tuple[Any, str, str]] = {}
    if not strict:
        files = settings_files(workspace, env)
        in_files: set[str] = set()
        for scope in ("user", "project", "local"):
            if scope != "user" and not trusted:
                out.untrusted += list(folder_servers(workspace, env).get(scope, {}))
                continue
            try:
                servers = _servers_of(read_json_file(files[scope]), str(files[scope]))
            except ConfigError as exc:
                out.source_errors.append(str(exc))
                continue
            for name, entry in servers.items():
                in_files.add(name)
                state = approval(name, settings) if scope == "project" else "approved"
                if state == "rejected":
                    out.rejected.append(name)
                    continue
                if state == "unknown" and ask_approval:
                    out.unapproved.append(name)
                    continue
                raw[name] = (entry, str(files[scope]), scope)
        # Servers from other settings layers (``.claw/settings.json``, ``--settings``) rank lowest.
        for name, entry in ((settings or {}).get("mcpServers") or {}).items():
            if name not in in_files:
                raw = {name: (entry, "settings", "settings"), **raw}
    for value in cli_configs:
        try:
            label, servers = read_cli_servers(value)
            for name, entry in servers.items():
                raw[name] = (entry, label, "cli")
        except ConfigError as exc:
            out.source_errors.append(str(exc))
    for name, (entry, label, scope) in raw.items():
        result = check_entry(name, entry, label, scope, env)
        if isinstance(result, BadEntry):
            out.errors.append(result)
        else:
            out.servers[name] = result
    return out


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
