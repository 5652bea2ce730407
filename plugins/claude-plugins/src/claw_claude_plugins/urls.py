"""``claw --plugin-url URL`` (Claude Code's flag, 2.1.129): a plugin ``.zip`` fetched for this run only and
then loaded exactly as a ``--plugin-dir`` folder (:mod:`claw_claude_plugins.folders`).

Claude Code says "fetch a plugin .zip from a URL for this session only": nothing is cached, so each run
fetches again. The archive is unpacked into a private temporary folder (``0700``, under ``$TMPDIR``)
removed when the process ends. The download goes through the standard library (``urllib``, which follows
redirects and honours ``http_proxy``/``https_proxy``/``no_proxy``), bounded in size and time; the archive
is checked whole before anything is written: an entry that would land outside the folder (``..``, an
absolute or drive path) or a symbolic link refuses it. The plugin sits at the archive's top or in its one
top-level folder (``my-plugin/.claude-plugin/plugin.json``, what zipping a plugin folder gives).
"""

from __future__ import annotations

import atexit
import re
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from claw import ClawError

#: Largest archive fetched, and largest total its files may unpack to.
MAX_DOWNLOAD = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
#: Most entries an archive may have.
MAX_ENTRIES = 20_000
#: Seconds the whole download of one archive may take (also each socket wait).
TIMEOUT = 60.0

#: What marks a folder as a Claude Code plugin: its manifest or one of the parts found without one.
_MARKS = (
    ".claude-plugin/plugin.json",
    "commands",
    "skills",
    "agents",
    "hooks/hooks.json",
    ".mcp.json",
    "SKILL.md",
)


def fetch_all(urls: Sequence[str]) -> list[Path]:
    """Each URL's plugin folder, unpacked under one private temporary folder removed at exit.

    :raises ClawError: one line naming the URL: not an http(s) URL, an HTTP error, a network error or
        timeout, too large, not a zip archive, an entry refused, no plugin in the archive.
    """
    base = _private_folder()
    return [_fetch(url, base / str(i)) for i, url in enumerate(urls)]


def unpack_all(archives: Sequence[Path]) -> list[Path]:
    """Each local ``.zip``'s plugin folder (``--plugin-dir A.zip``, Claude Code 2.1.128), unpacked and checked
    as a fetched archive is.

    :raises ClawError: one line naming the archive: not a zip archive, an entry refused, no plugin in it.
    """
    base = _private_folder()
    return [_opened(str(archive), archive, base / str(i), archive.stem) for i, archive in enumerate(archives)]


def _private_folder() -> Path:
    base = Path(tempfile.mkdtemp(prefix="claw-plugin-url-"))
    atexit.register(shutil.rmtree, base, True)
    return base


def _fetch(url: str, into: Path) -> Path:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ClawError(f"{url}: not an http:// or https:// URL")
    into.mkdir()
    archive = into / "plugin.zip"
    _download(url, archive)
    folder = _opened(url, archive, into, PurePosixPath(parts.path).stem)
    archive.unlink()
    return folder


def _opened(label: str, archive: Path, into: Path, stem: str) -> Path:
    """The plugin folder of ``archive``, unpacked into a folder of ``into`` named after ``stem``."""
    into.mkdir(exist_ok=True)
    folder = into / (re.sub(r"[^A-Za-z0-9._-]", "-", stem) or "plugin")
    _unpack(label, archive, folder)
    return _plugin_root(label, folder)


def _download(url: str, archive: Path) -> None:
    """``url``'s body into ``archive``, at most :data:`MAX_DOWNLOAD` bytes within :data:`TIMEOUT` seconds."""
    deadline = time.monotonic() + TIMEOUT
    too_large = ClawError(f"{url}: larger than {MAX_DOWNLOAD // (1024 * 1024)} MiB")
    request = urllib.request.Request(url, headers={"User-Agent": "claw"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response, archive.open("wb") as out:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_DOWNLOAD:
                raise too_large
            total = 0
            while chunk := response.read(1 << 16):
                total += len(chunk)
                if total > MAX_DOWNLOAD:
                    raise too_large
                if time.monotonic() > deadline:
                    raise ClawError(f"{url}: not fetched within {TIMEOUT:.0f} s")
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise ClawError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise ClawError(f"{url}: cannot fetch: {exc.reason}") from None
    except (OSError, ValueError) as exc:  # a timeout, a connection reset, a malformed URL
        raise ClawError(f"{url}: cannot fetch: {exc}") from None


def _unpack(url: str, archive: Path, folder: Path) -> None:
    """The archive's files into ``folder``, once every entry is checked (a refused archive writes nothing);
    executable files stay executable (a plugin's hook scripts and ``bin/``).

    :raises ClawError: not a zip archive, too many entries or too large unpacked, an entry refused.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise ClawError(f"{url}: not a zip archive") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise ClawError(
                f"{url}: more than {MAX_ENTRIES} entries or {MAX_UNPACKED // (1024 * 1024)} MiB unpacked"
            )
        targets = [(info, _target(url, info, folder)) for info in infos]
        folder.mkdir()
        try:
            for info, target in targets:
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                if (info.external_attr >> 16) & 0o111:
                    target.chmod(0o755)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a bad CRC, a truncated member
            raise ClawError(f"{url}: cannot unpack: {exc}") from None


def _target(url: str, info: zipfile.ZipInfo, folder: Path) -> Path:
    """Where one entry goes: inside ``folder``, never through a symbolic link (Claude Code's plugin zips
    carry none; a link could point anywhere).

    :raises ClawError: a symbolic link, an absolute or drive path, a ``..`` part.
    """
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ClawError(f"{url}: {name}: a symbolic link in the archive (refused)")
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or re.match(r"[A-Za-z]:", name) or ".." in path.parts:
        raise ClawError(f"{url}: {name}: a path outside the plugin folder (refused)")
    target = folder.joinpath(*path.parts)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise ClawError(f"{url}: {name}: a path outside the plugin folder (refused)")
    return target


def _plugin_root(url: str, folder: Path) -> Path:
    """The plugin's folder: the archive's top, or its one top-level folder (macOS's ``__MACOSX`` aside).

    :raises ClawError: neither holds a plugin manifest or a plugin's parts.
    """
    tops = [p for p in folder.iterdir() if p.name != "__MACOSX"]
    for root in (folder, tops[0] if len(tops) == 1 and tops[0].is_dir() else None):
        if root is not None and any((root / mark).exists() for mark in _MARKS):
            return root
    raise ClawError(
        f"{url}: no Claude Code plugin in the archive (no .claude-plugin/plugin.json, commands/, skills/ "
        "or agents/ at its top or in its one folder)"
    )
