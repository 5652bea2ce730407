"""File checkpoints for the Agent SDK's ``rewind_files`` (``enable_file_checkpointing``).

As Claude Code: with ``CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING=true`` (what the SDK sets), the first
time a user message's turn changes a file with ``Write``, ``Edit``, ``MultiEdit`` or ``NotebookEdit``,
the file as it was (or its absence) is kept; ``rewind_files(uuid)`` puts every file changed since that
message back as it was when the message arrived, and deletes the files created since. Files that
``Bash`` commands change are not tracked (Claude Code does not track them either).

The store is append-only and lives beside the session file (``<session>.jsonl.checkpoints/``), so it
lasts as the session does and ``--resume`` finds it: ``index.jsonl`` has one line per user message
(``{"message": uuid}``) and one per kept file (``{"message", "path", "blob"}``, ``blob`` null for a file
that did not exist); ``blobs/<sha256>`` hold the contents. A line torn by a crash is skipped.

A forked session (``--fork-session``, the SDK's ``fork_session``) starts with a copy of its parent's
checkpoints, as Claude Code copies its file history to the fork: ``rewind_files`` in the fork reaches
the messages before the fork too, and the parent's store is left as it was.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import claw

#: Tools whose file changes are kept (``Bash`` is not, as in Claude Code), and their path field.
TRACKED = {
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "NotebookEdit": "notebook_path",
}

#: The environment variable the Agent SDK sets for ``enable_file_checkpointing``.
ENV = "CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING"


def enabled(env: Any) -> bool:
    return str(env.get(ENV, "")).lower() in ("1", "true", "yes", "on")


class Checkpoints:
    """One session's checkpoints.

    :param transcript: the session file (``None``: the session is not kept, nor are the checkpoints
        beyond this process).
    :param parent: the file of the session this one was forked from, whose checkpoints it starts
        with when it has none of its own yet.
    """

    def __init__(self, transcript: Path | None, parent: Path | None = None) -> None:
        if transcript is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="claw-checkpoints-")
            self.dir = Path(self._temporary.name)
        else:
            self.dir = _dir_of(transcript)
        self._index = self.dir / "index.jsonl"
        if parent is not None and not self._index.exists():
            self._inherit(_dir_of(parent))
        #: User message uuids in order, and each one's kept files: path -> blob (``None``: absent).
        self._messages: dict[str, dict[str, str | None]] = {}
        self._current: str | None = None
        for entry in self._entries():
            kept = self._messages.setdefault(str(entry["message"]), {})
            if isinstance(entry.get("path"), str):
                kept.setdefault(entry["path"], entry.get("blob"))

    def _inherit(self, source: Path) -> None:
        """Start with a copy of the checkpoints in ``source`` (a parent session's): the kept contents
        first (hard links where the file system allows), the index last, so that a copy cut short
        leaves no index and is made again next time. One that fails is said, and the fork goes on
        with its own checkpoints only."""
        try:
            index = (source / "index.jsonl").read_bytes()
        except FileNotFoundError:
            return  # the parent kept none
        try:
            blobs = source / "blobs"
            for blob in sorted(blobs.iterdir()) if blobs.is_dir() else []:
                target = self.dir / "blobs" / blob.name
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(blob, target)
                    except OSError:  # another file system, or no hard links there
                        shutil.copyfile(blob, target)
            claw.atomic_write(self._index, index)
        except OSError as exc:
            claw.warn(
                f"rewind_files: the parent session's file checkpoints were not copied to the fork ({exc}); "
                "messages from before the fork cannot be rewound"
            )

    def _entries(self) -> list[dict[str, Any]]:
        try:
            lines = self._index.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:  # torn by a crash mid-write
                continue
            if isinstance(entry, dict) and isinstance(entry.get("message"), str):
                entries.append(entry)
        return entries

    def _append(self, entry: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        with self._index.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def message(self, message_id: str) -> None:
        """A user message's turn starts: changes from now on are this message's."""
        self._current = message_id
        if message_id not in self._messages:
            self._messages[message_id] = {}
            self._append({"message": message_id})

    def before_change(self, path: Path) -> None:
        """``path`` is about to change: keep it as it is, unless this message kept it already."""
        kept = self._messages.get(self._current) if self._current is not None else None
        key = str(path)
        if kept is None or key in kept:
            return
        try:
            blob: str | None = self._save(path.read_bytes())
        except FileNotFoundError:
            blob = None
        except OSError:  # a directory, or unreadable: the tool cannot change it either
            return
        kept[key] = blob
        self._append({"message": self._current, "path": key, "blob": blob})

    def _save(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.dir / "blobs" / digest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            claw.atomic_write(target, data)
        return digest

    def _targets(self, message_id: str) -> dict[str, str | None]:
        """Every file changed since ``message_id`` and the blob it goes back to.

        :raises claw.ClawError: no checkpoint for that message.
        """
        if message_id not in self._messages:
            raise claw.ClawError(
                f"rewind_files: no file checkpoint for user message {json.dumps(message_id)}"
            )
        ids = list(self._messages)
        targets: dict[str, str | None] = {}
        for later in ids[ids.index(message_id) :]:
            for path, blob in self._messages[later].items():
                targets.setdefault(path, blob)  # the earliest: the file as it was at message_id
        return targets

    def rewind(self, message_id: str, dry_run: bool = False) -> dict[str, Any]:
        """Put the files back as they were when ``message_id`` arrived (Claude Code's answer:
        ``canRewind``, ``filesChanged``, ``insertions``, ``deletions``). Every kept state is read
        before any file is written, so a missing one changes nothing.

        :raises claw.ClawError: no checkpoint for that message, or a file that cannot be restored.
        """
        plan: dict[Path, bytes | None] = {}
        insertions = deletions = 0
        try:
            for name, blob in self._targets(message_id).items():
                path = Path(name)
                old = (self.dir / "blobs" / blob).read_bytes() if blob is not None else None
                now = path.read_bytes() if path.is_file() else None
                if old != now:
                    plan[path] = old
                    added, removed = _line_changes(now, old)
                    insertions, deletions = insertions + added, deletions + removed
            for path, old in plan.items() if not dry_run else ():
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    claw.atomic_write(path, old)
        except OSError as exc:
            raise claw.ClawError(f"rewind_files: failed to rewind: {exc}") from None
        changed = [str(p) for p in plan]
        return {"canRewind": True, "filesChanged": changed, "insertions": insertions, "deletions": deletions}


def _dir_of(transcript: Path) -> Path:
    """Where the checkpoints of the session kept in ``transcript`` are."""
    return transcript.with_name(transcript.name + ".checkpoints")


def _line_changes(now: bytes | None, target: bytes | None) -> tuple[int, int]:
    """Lines the rewind adds and removes, going from ``now`` to ``target``."""
    before = (now or b"").decode("utf-8", "replace").splitlines()
    after = (target or b"").decode("utf-8", "replace").splitlines()
    diff = list(difflib.unified_diff(before, after, n=0, lineterm=""))[2:]  # past the two file headers
    added = sum(1 for line in diff if line.startswith("+"))
    return added, sum(1 for line in diff if line.startswith("-"))
