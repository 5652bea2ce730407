"""Bare mode's and safe mode's signals: the environment variable ``CLAUDE_CODE_SIMPLE`` (Claude Code's name
for it; ``--bare`` sets it) and ``CLAUDE_CODE_SAFE_MODE`` (``--safe-mode``). An environment variable, not a
run option, because every owner already gets the run's environment (the system prompt's sections, the hook
runner, the session, trust) and because hook commands, MCP servers and nested ``claw -p`` runs inherit it,
as under Claude Code."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from claw._plugins import SAFE_ENV
from claw._plugins import TRUE as _ON

#: Set to ``1`` by ``--bare`` (``SAFE_ENV`` by ``--safe-mode``); any of :data:`_ON` means the same.
BARE_ENV = "CLAUDE_CODE_SIMPLE"


def bare(env: Mapping[str, str]) -> bool:
    """Whether this run is in bare mode: plugins skip what they would discover on their own (instruction
    files, settings files' hooks, ``.mcp.json``, installed plugins, custom commands and skills) and keep
    what a flag names explicitly (``--mcp-config``, ``--plugin-dir``, ``--settings``, ``--agents``).

    :param env: the run's environment (``SessionContext.env``, ``HookContext.env``, a hook's ``env``).
    """
    return env.get(BARE_ENV, "").strip().lower() in _ON


def safe_mode(env: Mapping[str, str]) -> bool:
    """Whether this run is in safe mode (Claude Code's ``--safe-mode``, for troubleshooting a broken
    configuration): plugins skip every customization, including what a flag names (``--plugin-dir``,
    ``--mcp-config``, ``--agents``, the hooks of ``--settings``); managed (policy) settings still apply.
    The plugin manager loads no third-party claw plugin.

    :param env: the run's environment, as for :func:`bare`.
    """
    return env.get(SAFE_ENV, "").strip().lower() in _ON


def enter(ctx: Any, _param: Any, value: bool) -> None:
    """``--bare``'s and ``--safe-mode``'s callback: before the run reads anything, so every owner sees the
    variable (the app's environment is the process's)."""
    if value and not ctx.resilient_parsing:
        os.environ[SAFE_ENV if _param.name == "safe_mode" else BARE_ENV] = "1"
