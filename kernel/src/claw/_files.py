"""The one way claw replaces a file: never half written, never with the wrong permission bits.

Settings, session-wide approvals, OAuth tokens, marketplace records and the files tools edit all go
through :func:`atomic_write`, so a crash or a full disk mid-write leaves either the old file or the
new one, and a token file never exists, even for a moment, readable by others.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` (``str`` is written as UTF-8) atomically and durably.

    The data goes to a temporary file in the same directory, is fsynced, replaces ``path`` with
    ``os.replace`` and the directory is fsynced, so the rename survives a crash too. Parent
    directories are created.

    :param mode: the new file's permission bits, set before any data is written (``0o600`` for
        secrets). Default: the bits ``path`` has now, or ``0o666`` minus the umask for a new file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_dir(target.parent)


def _sync_dir(directory: Path) -> None:
    """fsync a directory so a rename in it is durable (not possible on every platform)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
