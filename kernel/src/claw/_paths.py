"""Where claw keeps configuration and state.

Config (what the user writes) and state (what claw writes: sessions, tokens, plugin records) live
apart, following the XDG base-directory spec, so a dotfiles repo never picks up transcripts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

#: Managed (organisation) settings: the highest layer, which nothing overrides.
MANAGED_SETTINGS = Path("/etc/claw/managed-settings.json")

#: The project directory inside a workspace: ``.claw/settings.json``, ``.claw/commands/``, ...
PROJECT_DIR_NAME = ".claw"

#: Claude Code's project directory: its ``settings.json``/``settings.local.json`` are read too.
CLAUDE_PROJECT_DIR_NAME = ".claude"


def _own_or_xdg(env: Mapping[str, str] | None, own: str, xdg: str, default: str) -> Path:
    """``$<own>``, else ``$<xdg>/claw``, else ``~/<default>/claw``: the XDG spec, claw's variable first."""
    env = os.environ if env is None else env
    if env.get(own):
        return Path(env[own]).expanduser()
    return Path(env.get(xdg) or Path.home() / default).expanduser() / "claw"


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$CLAW_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/claw``, else ``~/.config/claw``."""
    return _own_or_xdg(env, "CLAW_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")


def claude_config_dir(env: Mapping[str, str] | None = None) -> Path:
    """Claude Code's user directory: ``$CLAUDE_CONFIG_DIR``, else ``~/.claude`` (``$HOME`` from ``env``)."""
    env = os.environ if env is None else env
    if env.get("CLAUDE_CONFIG_DIR"):
        return Path(env["CLAUDE_CONFIG_DIR"]).expanduser()
    return Path(home_of(env)) / ".claude"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$CLAW_STATE_DIR``, else ``$XDG_STATE_HOME/claw``, else ``~/.local/state/claw``."""
    return _own_or_xdg(env, "CLAW_STATE_DIR", "XDG_STATE_HOME", ".local/state")


def home_of(env: Mapping[str, str]) -> str:
    """The home directory ``~`` stands for: ``$HOME`` from ``env``, else the user's."""
    return env.get("HOME") or str(Path.home())


def resolved(path: str, base: str | Path, home: str) -> str:
    """``path`` absolute and real: ``~`` expanded to ``home``, relative to ``base``, links followed."""
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    return os.path.realpath(os.path.join(base, path))


def workspace_slug(workspace: Path) -> str:
    """Claude Code's project-folder naming: the absolute path with every non-alphanumeric as ``-``."""
    return re.sub(r"[^A-Za-z0-9]", "-", str(workspace.resolve()))


def sessions_dir(workspace: Path, env: Mapping[str, str] | None = None) -> Path:
    """Default folder for a workspace's session files."""
    return state_dir(env) / "projects" / workspace_slug(workspace)


def history_file(workspace: Path, env: Mapping[str, str] | None = None) -> Path:
    """The REPL's prompt history for a workspace (Up/Down recall across runs). Kept per project, as
    Claude Code does, and as state: what was typed is not configuration."""
    return state_dir(env) / "history" / f"{workspace_slug(workspace)}.jsonl"
