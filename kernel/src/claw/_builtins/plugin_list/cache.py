"""What each plugin registered (tools, providers, settings keys, commands ...), remembered between
``claw plugins`` runs.

Listing the registrations means calling every registration hook, and those import the plugins'
implementations (tool modules, provider classes) and with them pydantic and the kernel's models: about
two thirds of ``claw plugins``' time, for a list of names that only changes when code changes. So the
names are cached in the state directory under a key made of

- the installed distributions (:func:`claw._builtins.entry_point_cache.cache.key`: an install, a
  removal or a reinstall changes it),
- the code: for the kernel and each active plugin's top-level package, the newest modification time
  of its ``.py`` files and a digest of their paths (an edit, a new, a removed or a renamed module
  changes it),
- the loading policy: each plugin's name, status, distribution and version, ``CLAW_PLUGINS``,
  ``CLAW_DISABLE_PLUGINS``, ``CLAW_PLUGIN_MODULES``, settings ``plugins.disabled`` and
  ``plugins.overrides``.

Plugins are still imported and checked on every run, so their status, load time and import failures
are always current. Only a clean listing is stored: when any plugin raised in a registration hook or
had a registration refused, nothing is cached and every run reports it afresh. A key taken while code
changed less than :data:`claw._builtins.entry_point_cache.cache.RACY_SECONDS` ago is not stored
either. ``claw doctor`` never reads this cache; ``CLAW_TRACE_PLUGINS`` bypasses it (the trace is of the hooks being called).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from claw._builtins.entry_point_cache import cache as entry_points
from claw._paths import state_dir
from claw._plugins import PluginManager

_CACHE_NAME = "registrations.json"
_FORMAT = 1
_POLICY_ENV = ("CLAW_PLUGINS", "CLAW_DISABLE_PLUGINS", "CLAW_PLUGIN_MODULES")


def key(pm: PluginManager) -> list[Any] | None:
    """The cache key of ``pm``'s plugins as loaded, or ``None`` when a change is too recent to trust
    (or tracing asks for the hooks to run)."""
    if pm.env.get("CLAW_TRACE_PLUGINS"):
        return None
    installed, racy = entry_points.key()
    code, newest = _code_key(pm)
    if racy or newest > (time.time() - entry_points.RACY_SECONDS) * 1e9:
        return None
    policy = [
        [pm.env.get(name) for name in _POLICY_ENV],
        sorted(pm.disabled),
        [[name, holder] for name, holder in sorted(pm.overrides.items())],
        [[r.name, r.status, r.module, r.dist, r.version] for r in pm.records],
    ]
    return [installed, code, policy]


def restore(pm: PluginManager, cache_key: list[Any] | None) -> bool:
    """Give each plugin record the registrations cached under ``cache_key``; ``False`` (records
    untouched) when there is no such entry or it is damaged."""
    if cache_key is None:
        return False
    cached = entry_points.read_cache(state_dir(pm.env) / _CACHE_NAME, _FORMAT)
    registered = cached.get("registered")
    if cached.get("key") != cache_key or not isinstance(registered, dict):
        return False
    restored = {r.name: registered.get(r.name, {}) for r in pm.records}
    if not all(_well_formed(regs) for regs in restored.values()):
        return False
    for record in pm.records:
        record.registered = {kind: list(names) for kind, names in restored[record.name].items()}
    return True


def _well_formed(regs: object) -> bool:
    """Whether a cached entry is ``{kind: [name, ...]}``."""
    return isinstance(regs, dict) and all(
        isinstance(names, list) and all(isinstance(n, str) for n in names) for names in regs.values()
    )


def remember(pm: PluginManager, cache_key: list[Any] | None) -> None:
    """Store the records' registrations under ``cache_key``, unless a plugin had a problem."""
    if cache_key is None or any(r.problems for r in pm.records):
        return
    registered = {r.name: r.registered for r in pm.records if r.registered}
    data = {"format": _FORMAT, "key": cache_key, "registered": registered}
    entry_points.write_cache(state_dir(pm.env) / _CACHE_NAME, data)


def _code_key(pm: PluginManager) -> tuple[list[list[Any]], int]:
    """``[[package path, newest mtime, module names digest], ...]`` for the kernel and each active
    plugin's top-level package (a single-module plugin: its file), and the newest mtime of all."""
    roots: dict[str, None] = {}
    for top in ["claw", *(r.module.partition(":")[0].split(".")[0].strip() for r in pm.records if r.active)]:
        module = sys.modules.get(top)
        for path in getattr(module, "__path__", None) or [getattr(module, "__file__", None)]:
            if path:
                roots.setdefault(str(path))
    rows: list[list[Any]] = [[root, *_modules(Path(root))] for root in roots]
    return rows, max((row[1] for row in rows), default=0)


def _modules(root: Path) -> tuple[int, str]:
    """The newest modification time of the ``.py`` files under ``root`` and a digest of their paths
    (an edit, a new, a removed or a renamed module changes one of them).

    Directory times are left out: Python writing a ``__pycache__`` into a source directory (an
    editable install, first imported by a process that writes bytecode) changes its directory's time
    but no code."""
    try:
        newest = os.stat(root).st_mtime_ns
    except OSError:
        return 0, ""
    if not root.is_dir():
        return newest, root.name
    newest, names = 0, []
    pending = [str(root)]
    while pending:
        with contextlib.suppress(OSError), os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    names.append(os.path.relpath(entry.path, root))
                    newest = max(newest, entry.stat().st_mtime_ns)
    return newest, f"{len(names)}:{zlib.crc32(chr(0).join(sorted(names)).encode()):08x}"
