"""The ``claw`` entry points of the installed distributions, remembered between runs (the
``entry_point_cache`` built-in's answer to ``claw_entry_points``). How the index is keyed, why a key taken
just after a change is not stored (:data:`RACY_SECONDS`, as git treats a racily clean index) and why only
discovery is cached are described in docs/architecture.md, "Start-up cost"."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claw._entry_points import Found, scan
from claw._paths import state_dir

_CACHE_NAME = "entry-points.json"
_FORMAT = 2
#: How recent a change may be before a key taken over it is not cached (see the module docstring).
RACY_SECONDS = 2.0
#: Installs remembered at once, the latest first: two claws sharing a state directory (a tool install and
#: a project's venv, a benchmark's A and B) would otherwise each scan again after the other ran.
KEPT = 4


def find(group: str, env: Mapping[str, str]) -> list[Found]:
    """The entry points of ``group``, from the cache when nothing was installed or removed since."""
    key_now, racy = key()
    path = state_dir(env) / _CACHE_NAME
    entries = read_cache(path, _FORMAT).get("entries", [])
    entries = [e for e in entries if isinstance(e, dict) and isinstance(e.get("groups"), dict)]
    hit = next((e for e in entries if e.get("key") == key_now), {"key": key_now, "groups": {}})
    if group in hit["groups"]:
        return [Found(**row) for row in hit["groups"][group]]
    found = scan(group)
    if not racy:
        hit["groups"][group] = [vars(f) for f in found]
        kept = [hit, *(e for e in entries if e is not hit)][:KEPT]
        write_cache(path, {"format": _FORMAT, "entries": kept})
    return found


def key() -> tuple[list[list[object]], bool]:
    """``[[path entry, mtime, {metadata dir: mtime}], ...]`` (what is installed) and whether any of it
    changed just now. :mod:`claw._builtins.plugin_list.cache` keys on it too."""
    rows: list[list[object]] = []
    newest = 0
    for entry in sys.path:
        try:
            mtime = os.stat(entry or ".").st_mtime_ns
        except OSError:
            rows.append([entry, None, {}])
            continue
        newest = max(newest, mtime)
        metas: dict[str, int] = {}
        # a zip file or an unreadable directory: its own mtime stands for it
        with contextlib.suppress(OSError), os.scandir(entry or ".") as it:
            metas = {i.name: i.stat().st_mtime_ns for i in it if i.name.endswith((".dist-info", ".egg-info"))}
        if metas:
            newest = max(newest, *metas.values())
        rows.append([entry, mtime, metas])
    return rows, newest > (time.time() - RACY_SECONDS) * 1e9


def read_cache(path: Path, fmt: int) -> dict[str, Any]:
    """A cache file of format ``fmt``, or ``{}`` when it is missing, damaged or of another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == fmt else {}


def write_cache(path: Path, data: dict[str, Any]) -> None:
    """Store a cache file; a read-only or full state directory only costs the next run the work."""
    from claw._files import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(path, json.dumps(data))
