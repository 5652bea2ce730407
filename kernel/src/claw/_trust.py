"""Workspace trust: whether what a folder brings (its project and local settings files, ``.mcp.json``,
slash commands) may run code or reach the network. Why, what is held back, and how trust is remembered
(per real path, subfolders with it) are described in docs/trust.md. Until the folder is trusted the
kernel leaves the restricted keys of its layers out of the effective settings (:func:`restricted_layers`);
plugins ask :class:`WorkspaceTrust` (``EffectiveSettings.trust``, ``SessionContext.trust``); where
trust is remembered is the ``trust_store`` built-in's (``claw_trust_store``), how a run settles it the
``workspace_trust`` built-in's (``claw_settle_trust``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

#: The settings layers a folder brings (its own files), as opposed to the user's, the command line's
#: and the organisation's.
WORKSPACE_SCOPES = frozenset({"project", "local"})

#: Kernel key paths of workspace layers that take effect only in a trusted folder: they run commands,
#: reach the network or grant the model permissions. Plugins add theirs (``claw_register_settings``
#: with ``requires_trust=True``).
RESTRICTED_KEYS = (
    "env",
    "providers",
    "permissions.allow",
    "permissions.defaultMode",
    "permissions.additionalDirectories",
)

#: How a trust decision was reached: remembered in the store, answered for this run only, implied
#: by headless ``-p`` (Claude Code's behaviour), or not trusted.
Reason = Literal["remembered", "this run", "headless", "untrusted"]


@dataclass(frozen=True)
class WorkspaceTrust:
    """A run's decision on its folder: whether its settings layers' code-running keys,
    its ``.mcp.json`` servers and its commands' ``!`cmd` `` lines take effect.

    :param folder: the folder's real path (what the store is keyed by).
    :param trusted: whether they take effect.
    :param reason: how that was decided (:data:`Reason`).
    """

    folder: Path
    trusted: bool
    reason: Reason

    @property
    def how_to_trust(self) -> str:
        """The one-line hint printed wherever something was held back."""
        return f"trust the folder with /trust or `claw trust {self.folder}`"


def _without(data: dict[str, Any], path: str) -> tuple[dict[str, Any], Any]:
    """``data`` without the dotted key ``path`` (copied where changed) and the value removed."""
    head, _, rest = path.partition(".")
    if head not in data:
        return data, None
    if not rest:
        out = dict(data)
        return out, out.pop(head)
    inner = data[head]
    if not isinstance(inner, dict):
        return data, None
    stripped, value = _without(inner, rest)
    return ({**data, head: stripped} if value is not None else data), value


def restricted_layers(layers: Sequence[Any], keys: Sequence[str]) -> tuple[list[Any], list[HeldBack]]:
    """The workspace layers without ``keys`` (dotted paths), other layers as they are, and what was
    left out, in layer order."""
    out: list[Any] = []
    held: list[HeldBack] = []
    for layer in layers:
        if layer.scope not in WORKSPACE_SCOPES:
            out.append(layer)
            continue
        data = layer.data
        for key in keys:
            data, value = _without(data, key)
            if value not in (None, {}, []):
                held.append(HeldBack(key, value, layer.label))
        out.append(replace(layer, data=data) if data is not layer.data else layer)
    return out, held


@dataclass(frozen=True)
class HeldBack:
    """A workspace layer's value of a key that needs trust."""

    key: str
    value: Any
    source: str

    def lines(self) -> list[str]:
        """What it would enable, one line per hook command, rule or name (the values of ``env``,
        ``providers`` and other objects are not shown: they may be secrets)."""
        value = self.value
        where = f"({self.source})"
        if self.key == "hooks" and isinstance(value, dict):
            return [
                f"hook {event}: {hook.get('command')} {where}"
                for event, groups in value.items()
                for group in groups or []
                if isinstance(group, dict)
                for hook in group.get("hooks") or []
                if isinstance(hook, dict)
            ]
        if isinstance(value, dict):
            return [f"{self.key} {name} {where}" for name in value]
        if isinstance(value, list):
            return [f"{self.key}: {item} {where}" for item in value]
        return [f"{self.key}: {json.dumps(value)} {where}"]
