"""Where trust decisions are remembered: the folders trusted, by real path, in the state directory (see
docs/trust.md). The ``trust_store`` built-in answers ``claw_trust_store`` with it; ``claw trust`` and
``/trust`` (claw-commands) write it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claw import _paths as paths


def folder_key(folder: Path | str) -> str:
    """The store's key for ``folder``: its real path (symlinks resolved)."""
    return os.path.realpath(os.fspath(folder))


class TrustStore:
    """``<state dir>/trusted-folders.json``: ``{"folders": {"<real path>": {"trustedAt": "..."}}}``.

    The kernel reads it through ``claw_trust_store``; other plugins ask the run's
    :class:`claw.WorkspaceTrust`."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.path = paths.state_dir(env) / "trusted-folders.json"

    def folders(self) -> dict[str, dict[str, Any]]:
        """Trusted folders by real path.

        :raises ConfigError: when the file is not valid JSON (it is never silently replaced)."""
        from claw._config import read_json_file

        data = read_json_file(self.path) or {}
        folders = data.get("folders")
        return {k: v for k, v in folders.items() if isinstance(v, dict)} if isinstance(folders, dict) else {}

    def trusted_root(self, folder: Path | str) -> str | None:
        """The trusted folder ``folder`` is (or is inside), by real path; ``None`` when none is."""
        folders = self.folders()
        path = Path(folder_key(folder))
        return next((str(p) for p in (path, *path.parents) if str(p) in folders), None)

    def add(self, folder: Path | str) -> str:
        """Remember ``folder`` as trusted; returns its key."""
        key = folder_key(folder)
        folders = self.folders()
        folders.setdefault(key, {"trustedAt": datetime.now(UTC).isoformat(timespec="seconds")})
        self._write(folders)
        return key

    def remove(self, folder: Path | str) -> bool:
        """Forget ``folder``; whether it was trusted."""
        folders = self.folders()
        if folders.pop(folder_key(folder), None) is None:
            return False
        self._write(folders)
        return True

    def _write(self, folders: dict[str, dict[str, Any]]) -> None:
        from claw._files import atomic_write

        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps({"folders": folders}, indent=2, sort_keys=True) + "\n")
