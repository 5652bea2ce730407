"""Reading a wheel without installing or importing it: structure, metadata and claw entry points.

Everything here reads the zip as data. A wheel whose entries escape the install directory (``..``,
absolute paths, drive letters, symlinks) or whose zip is damaged is refused before any installer
sees it.
"""

from __future__ import annotations

import ast
import configparser
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

from claw_marketplace.errors import MarketplaceError

ENTRY_POINT_GROUP = "claw"


@dataclass
class WheelInfo:
    """What a wheel says about itself."""

    filename: str
    name: str
    version: str
    summary: str = ""
    #: ``claw`` entry points: name -> ``module[:attr]``.
    entry_points: dict[str, str] = field(default_factory=dict)
    #: The ``CLAW_API`` string its entry-point modules declare (None when none does).
    claw_api: str | None = None
    #: The ``claw-kernel`` version specifier from ``Requires-Dist`` (None when it does not say).
    kernel: str | None = None


def normalize(name: str) -> str:
    """PEP 503 normalized distribution name: how records and marketplace entries are keyed."""
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a wheel file, read in 1 MiB chunks: what publishers sign and installers check."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_entry(info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise MarketplaceError(f"refused: wheel entry {info.filename!r} escapes the install directory")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise MarketplaceError(f"refused: wheel entry {info.filename!r} is a symbolic link")


def inspect_wheel(path: Path) -> WheelInfo:
    """Check a wheel's structure and read its metadata.

    :raises MarketplaceError: a malformed zip or wheel filename, entries with path traversal, no or
        several ``.dist-info`` directories, METADATA not matching the filename.
    """
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    try:
        file_name, file_version, _, _ = parse_wheel_filename(path.name)
    except InvalidWheelFilename as exc:
        raise MarketplaceError(f"refused: {path.name} is not a wheel file name ({exc})") from exc
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            for info in infos:
                _check_entry(info)
            bad = zf.testzip()
            if bad is not None:
                raise MarketplaceError(f"refused: {path.name} is a malformed zip (bad CRC in {bad})")
            dist_infos = {
                PurePosixPath(i.filename).parts[0]
                for i in infos
                if PurePosixPath(i.filename).parts
                and PurePosixPath(i.filename).parts[0].endswith(".dist-info")
            }
            if len(dist_infos) != 1:
                raise MarketplaceError(
                    f"refused: {path.name} has {len(dist_infos)} .dist-info directories, not 1"
                )
            dist_info = dist_infos.pop()
            names = {i.filename for i in infos}
            try:
                metadata = zf.read(f"{dist_info}/METADATA").decode("utf-8")
            except KeyError as exc:
                raise MarketplaceError(f"refused: {path.name} has no {dist_info}/METADATA") from exc
            eps_text = (
                zf.read(f"{dist_info}/entry_points.txt").decode()
                if f"{dist_info}/entry_points.txt" in names
                else ""
            )
            info = _from_metadata(path.name, metadata, eps_text)
            info.claw_api = _declared_api(zf, names, info.entry_points)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise MarketplaceError(f"refused: {path.name} is a malformed zip ({exc})") from exc
    except (UnicodeDecodeError, configparser.Error) as exc:
        raise MarketplaceError(f"refused: {path.name} has unreadable metadata ({exc})") from exc
    if normalize(info.name) != str(file_name) or not _same_version(info.version, str(file_version)):
        raise MarketplaceError(
            f"refused: {path.name} contains {info.name} {info.version}, which does not match its file name"
        )
    return info


def _same_version(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _from_metadata(filename: str, metadata: str, eps_text: str) -> WheelInfo:
    msg = HeaderParser().parsestr(metadata)
    name, version = msg.get("Name"), msg.get("Version")
    if not name or not version:
        raise MarketplaceError(f"refused: {filename} METADATA has no Name or Version")
    requires = [str(r) for r in msg.get_all("Requires-Dist") or []]
    eps: dict[str, str] = {}
    if eps_text:
        parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(eps_text)
        if parser.has_section(ENTRY_POINT_GROUP):
            eps = {k.strip(): v.strip() for k, v in parser.items(ENTRY_POINT_GROUP)}
    return WheelInfo(
        filename=filename,
        name=name,
        version=version,
        summary=msg.get("Summary") or "",
        entry_points=eps,
        kernel=_kernel_requirement(requires),
    )


def _kernel_requirement(requires: list[str]) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement

    for line in requires:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if normalize(req.name) == "claw-kernel" and req.marker is None:
            return str(req.specifier) or None
    return None


def _declared_api(zf: zipfile.ZipFile, names: set[str], eps: dict[str, str]) -> str | None:
    """The ``CLAW_API = "..."`` string literal of the first entry-point module that has one."""
    for target in eps.values():
        module = target.split(":")[0].strip()
        base = module.replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate not in names:
                continue
            try:
                tree = ast.parse(zf.read(candidate))
            except SyntaxError:
                continue
            for node in tree.body:
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "CLAW_API" for t in node.targets)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    return node.value.value
    return None
