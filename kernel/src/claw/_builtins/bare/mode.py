"""Bare mode's one signal: the environment variable ``CLAUDE_CODE_SIMPLE`` (Claude Code's name for it;
``--bare`` sets it). An environment variable, not a run option, because every owner already gets the
run's environment (the system prompt's sections, the hook runner, the session, trust) and because hook
commands, MCP servers and nested ``claw -p`` runs inherit it, as under Claude Code."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

#: Set to ``1`` by ``--bare``; any of :data:`_ON` set by the user means the same.
BARE_ENV = "CLAUDE_CODE_SIMPLE"
_ON = frozenset({"1", "true", "yes", "on"})


def bare(env: Mapping[str, str]) -> bool:
    """Whether this run is in bare mode: plugins skip what they would discover on their own (instruction
    files, settings files' hooks, ``.mcp.json``, installed plugins, custom commands and skills) and keep
    what a flag names explicitly (``--mcp-config``, ``--plugin-dir``, ``--settings``, ``--agents``).

    :param env: the run's environment (``SessionContext.env``, ``HookContext.env``, a hook's ``env``).
    """
    return env.get(BARE_ENV, "").strip().lower() in _ON


def enter(ctx: Any, _param: Any, value: bool) -> None:
    """``--bare``'s callback: before the run reads anything, so every owner sees the variable (the app's
    environment is the process's)."""
    if value and not ctx.resilient_parsing:
        os.environ[BARE_ENV] = "1"
