"""Settings ``cleanupPeriodDays``: when a session starts, the store's session files left inactive for
longer than the period are deleted, as Claude Code does at startup (``docs/sessions.md``, "Cleanup").

One directory scan and no file reads, so a store of hundreds of sessions costs the start a few
milliseconds (the numbers are in ``docs/sessions.md``). The store prepares the sweep when it opens a
session (it knows its directory and which files the session uses); the plugin's ``claw_session_start``
runs it with the settings.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import claw
from pydantic import Field

#: Claude Code's default period, in days.
DEFAULT_DAYS = 30
#: The setting's type: whole days, at least 1 (Claude Code rejects 0); ``null`` is unset.
CleanupPeriod = Annotated[int, Field(ge=1)] | None
_SUFFIX = ".jsonl"
#: Sweeps prepared by the store, by session id, until that session's ``claw_session_start`` runs them.
#: A sub-agent's session (which has no ``claw_session_start``) prepares none.
PENDING: dict[str, Sweep] = {}


@dataclass(frozen=True)
class Sweep:
    """What one session start may clean: ``directory``'s session files, except those in ``keep``
    (the running session's file and the one it resumed or forked)."""

    directory: Path
    keep: frozenset[Path]

    def run(self, days: int) -> None:
        """Delete the session files (and the ``<session>.jsonl.*`` entries beside them, such as claw-sdk's
        checkpoints) last modified more than ``days`` days ago. Never fails: what cannot be removed is
        left, with one warning for the whole sweep."""
        now = time.time()
        if days * 86400 >= now:  # a period reaching back past 1970 keeps all (and may be no float)
            return
        cutoff = now - days * 86400
        try:
            entries = list(os.scandir(self.directory))
        except OSError:  # no store yet (a first session), or one claw cannot list: nothing to clean
            return
        kept = {p.name for p in self.keep if p.parent.resolve() == self.directory.resolve()}
        sessions = {
            e.name for e in entries if e.name.endswith(_SUFFIX) and not e.is_dir(follow_symlinks=False)
        }
        removed: set[str] = set()
        failures: list[str] = []
        for entry in sorted(entries, key=lambda e: e.name):  # a session before the entries beside it
            if entry.name in sessions:
                doomed = entry.name not in kept and _old(entry, cutoff)
            else:
                owner = _owner(entry.name)
                doomed = (
                    owner is not None
                    and owner not in kept
                    and (owner in removed or (owner not in sessions and _old(entry, cutoff)))
                )
            if not doomed:
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
            except OSError as exc:
                failures.append(f"{entry.path}: {exc.strerror or exc}")
                continue
            removed.add(entry.name)
        if failures:
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            claw.warn(f"cleanupPeriodDays: cannot remove {failures[0]}{more}", once=False)


def _owner(name: str) -> str | None:
    """The session file ``name`` sits beside (``<id>.jsonl.checkpoints`` -> ``<id>.jsonl``), if any."""
    head, sep, _ = name.partition(_SUFFIX + ".")
    return head + _SUFFIX if sep and head else None


def _old(entry: os.DirEntry[str], cutoff: float) -> bool:
    """Last modified before ``cutoff``; an entry that vanished or cannot be examined is not."""
    try:
        return entry.stat(follow_symlinks=False).st_mtime < cutoff
    except OSError:
        return False


def period(settings: Mapping[str, Any]) -> int:
    """The effective ``cleanupPeriodDays`` (validated when the settings were loaded)."""
    value = settings.get("cleanupPeriodDays")
    return DEFAULT_DAYS if value is None else int(value)  # a lax-valid ``"7"`` or ``7.0`` too
