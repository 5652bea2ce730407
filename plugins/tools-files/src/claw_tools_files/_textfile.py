"""Reading and writing text files without changing what the model did not ask to change.

A file read for editing keeps its encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or Latin-1 when
the bytes are not UTF-8; see :func:`_undecodable`), every byte the edit did not change, and its line
endings: a CRLF file is edited as LF text and written back as CRLF. Writes go through
:func:`claw.atomic_write` (temporary file, fsync, ``os.replace``) and keep the
file's permission bits, so an interrupted write never leaves half a file.

Read-before-write: a file must have been read in this session, and be unchanged since, before a tool
overwrites it. The stamps live in the session's stash under :data:`READ_STAMPS`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import claw

#: Resolved path -> (mtime_ns, size) of the file when this session last read or wrote it.
READ_STAMPS = claw.StashKey[dict[str, tuple[int, int]]]()

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_BOM_OF = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}

#: Bytes looked at to decide whether a file is binary.
SNIFF_BYTES = 8192


@dataclass
class TextFile:
    """A decoded text file. ``text`` uses ``\\n`` line endings when ``newline`` is ``\\r\\n``."""

    text: str
    encoding: str = "utf-8"
    newline: str = "\n"

    def encode(self, text: str | None = None) -> bytes:
        """``text`` (default: :attr:`text`) encoded back with this file's encoding and line endings."""
        body = self.text if text is None else text
        if self.newline == "\r\n":
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        return _BOM_OF.get(self.encoding, b"") + body.encode(self.encoding, "surrogateescape")


def is_binary(data: bytes) -> bool:
    """A NUL byte in the first few kilobytes means binary, unless a UTF-16 BOM explains it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\0" in data[:SNIFF_BYTES]


def decode(data: bytes) -> TextFile:
    """Decode file bytes, remembering the encoding and line-ending style to write them back."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            data = data[len(bom) :] if name.startswith("utf-16") else data
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = _undecodable(data, encoding)
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n"):
        return TextFile(text.replace("\r\n", "\n"), encoding, "\r\n")
    return TextFile(text, encoding, "\n")


def _undecodable(data: bytes, encoding: str) -> tuple[str, str]:
    """Bytes that do not decode as ``encoding``. Like Emacs and Vim, keep every byte: a UTF-8 file with a
    few stray bytes (it has valid multi-byte characters) stays UTF-8, the stray bytes kept as surrogate
    escapes, which :meth:`TextFile.encode` writes back unchanged and the model sees as U+FFFD; a file
    with no UTF-8 characters at all is a legacy 8-bit file, read as Latin-1 so its ``é`` shows as ``é``."""
    if encoding.startswith("utf-8"):
        text = data.decode(encoding, "surrogateescape")
        if any(c > "\x7f" and not "\udc80" <= c <= "\udcff" for c in text):
            return encoding, text
    return "latin-1", data.decode("latin-1")


def load(path: Path) -> TextFile:
    """Read and decode ``path``; a binary file raises :class:`claw.ToolError`."""
    data = path.read_bytes()
    if is_binary(data):
        raise claw.ToolError(f"{path} is a binary file; it cannot be edited as text")
    return decode(data)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)


def remember(ctx: claw.ToolContext, path: Path) -> None:
    """Record that this session has seen ``path`` as it is now (after a Read or our own write)."""
    ctx.stash.setdefault(READ_STAMPS, {})[str(path)] = _stamp(path)


def check_fresh(ctx: claw.ToolContext, path: Path) -> None:
    """Refuse to overwrite an existing file this session has not read, or that changed since."""
    seen = ctx.stash.setdefault(READ_STAMPS, {}).get(str(path))
    if seen is None:
        raise claw.ToolError(
            f"{path} has not been read in this session; Read it before writing to or editing it"
        )
    if seen != _stamp(path):
        raise claw.ToolError(f"{path} has changed since it was last read; Read it again before changing it")


def structured_patch(old: str, new: str, context: int = 3) -> list[dict[str, Any]]:
    """The change as Claude Code's ``structuredPatch`` hunks (``oldStart``, ``oldLines``, ``newStart``,
    ``newLines``, ``lines`` prefixed with " ", "-" or "+"), for hooks that read ``tool_response``."""
    a, b = old.split("\n"), new.split("\n")
    hunks = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        lines: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [f" {line}" for line in a[i1:i2]]
                continue
            lines += [f"-{line}" for line in a[i1:i2]]
            lines += [f"+{line}" for line in b[j1:j2]]
        first, last = group[0], group[-1]
        hunks.append(
            {
                "oldStart": first[1] + 1,
                "oldLines": last[2] - first[1],
                "newStart": first[3] + 1,
                "newLines": last[4] - first[3],
                "lines": lines,
            }
        )
    return hunks
