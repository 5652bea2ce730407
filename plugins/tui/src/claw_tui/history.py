"""Prompt history: the same file the line REPL keeps (``claw.history_file``: one JSON string a line
under ``$XDG_STATE_HOME/claw/history/``), so Up and Ctrl-R find prompts typed in either front end."""

from __future__ import annotations

import json
import os
from pathlib import Path

import claw

#: Prompts loaded for recall; the line REPL trims the file to its own bound.
LIMIT = 1000


class History:
    """Earlier prompts of a workspace, oldest first; :meth:`add` appends to the file at once, so two
    sessions in one workspace both keep theirs. A file that cannot be read or written costs the
    history, never the session."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries = self._load()

    def _load(self) -> list[str]:
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        except OSError as exc:
            claw.warn(f"prompt history not read from {self.path}: {exc}")
            return []
        entries = []
        for line in lines[-LIMIT:]:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
            if isinstance(entry, str):
                entries.append(entry)
        return entries

    def add(self, prompt: str) -> None:
        if self.entries and self.entries[-1] == prompt:
            return
        self.entries.append(prompt)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(prompt, ensure_ascii=False) + "\n")
        except OSError as exc:
            claw.warn(f"prompt history not saved to {self.path}: {exc}")

    def search(self, text: str) -> list[str]:
        """Prompts containing ``text`` (case-insensitive), newest first, each once."""
        needle = text.lower()
        seen: dict[str, None] = {}
        for entry in reversed(self.entries):
            if needle in entry.lower():
                seen.setdefault(entry)
        return list(seen)
