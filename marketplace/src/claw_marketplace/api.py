"""The plugin manager's Python API; ``claw plugin ...`` is a thin layer over it.

::

    import claw
    from claw_marketplace.api import Plugins

    plugins = Plugins.from_context(claw.CommandContext.create(), marketplace="https://plugins.example.org/")
    record = plugins.install("claw-hello")          # verified, hooked, atomic
    plugins.uninstall("claw-hello")

Every install and update resolves a :class:`~claw_marketplace.verify.Candidate`, passes it through
:func:`claw_marketplace.verify.verify` and only then runs the installer; lifecycle hooks
(``PrePluginInstall`` ... ``PostPluginUninstall``) fire around each operation.
"""

from __future__ import annotations

import asyncio
import difflib
import importlib.metadata as md
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from claw import warn

from claw_marketplace import net
from claw_marketplace.documents import Manifest, parse_index, parse_manifest
from claw_marketplace.errors import MarketplaceError
from claw_marketplace.installer import PINNED, Installer
from claw_marketplace.records import InstallRecord, Records
from claw_marketplace.settings import DOCUMENT_LIMIT, Trust
from claw_marketplace.verify import Candidate, Verified, verify
from claw_marketplace.wheels import ENTRY_POINT_GROUP, normalize

if TYPE_CHECKING:
    from claw import CommandContext

#: PEP 508 project names: also what keeps a name from climbing out of the marketplace's folders.
_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
SIDECAR_SIGNATURE = ".sig"
SIDECAR_BUNDLES = (".sigstore.json", ".sigstore")


@dataclass
class InstalledPlugin:
    """A distribution in this environment with ``claw`` entry points."""

    name: str
    version: str
    entry_points: list[str]
    record: InstallRecord | None


def _plugin_distributions() -> dict[str, md.Distribution]:
    found: dict[str, md.Distribution] = {}
    for dist in md.distributions():
        name = dist.metadata["Name"]
        if name and any(ep.group == ENTRY_POINT_GROUP for ep in dist.entry_points):
            found.setdefault(normalize(name), dist)
    return found


def _installed_versions() -> dict[str, str]:
    return {normalize(d.metadata["Name"]): d.version for d in md.distributions() if d.metadata["Name"]}


def _looks_like_path(source: str) -> bool:
    return source.endswith(".whl") or source in (".", "..") or any(sep in source for sep in ("/", "\\"))


def _suggest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    return f" (did you mean: {', '.join(close)}?)" if close else ""


class Plugins:
    """Install, update, uninstall and describe plugins in the environment claw runs in.

    :param context: the :class:`claw.CommandContext` of this run (workspace, env, settings, hooks).
    :param trust: keys, identities and transport policy (see :meth:`Trust.resolve`).
    :param installer: runs uv/pip; defaults to the interpreter claw runs in.
    """

    def __init__(self, context: CommandContext, trust: Trust, *, installer: Installer | None = None) -> None:
        self.context = context
        self.trust = trust
        self.records = Records(context.env)
        self.installer = installer or Installer(context.env)

    @classmethod
    def from_context(
        cls,
        context: CommandContext,
        *,
        marketplace: str | None = None,
        require_signed: bool = False,
        insecure: bool = False,
    ) -> Plugins:
        trust = Trust.resolve(
            context.settings.get("marketplace"),
            context.env,
            marketplace=marketplace,
            require_signed=require_signed,
            insecure=insecure,
        )
        return cls(context, trust)

    def _fetcher(self) -> net.Fetcher:
        return net.Fetcher(insecure=self.trust.insecure, ca_bundle=self.trust.ca_bundle)

    # -- hooks ----------------------------------------------------------------------------------

    def _hook(self, event_name: str, plugin: dict[str, Any]) -> Any:
        import claw

        event = claw.HookEvent(hook_event_name=event_name, cwd=str(self.context.workspace), plugin=plugin)  # type: ignore[arg-type]
        return asyncio.run(self.context.run_hook(event))

    def _pre(self, event_name: str, plugin: dict[str, Any], verb: str) -> None:
        outcome = self._hook(event_name, plugin)
        if outcome.action == "block":
            reason = outcome.reason or "no reason given"
            raise MarketplaceError(f"refused: a {event_name} hook blocked {verb} {plugin['name']}: {reason}")

    # -- marketplace ----------------------------------------------------------------------------

    def _base(self, marketplace: str | None = None) -> str:
        base = marketplace or self.trust.marketplace_url
        if not base:
            raise MarketplaceError(
                "no marketplace configured: pass --marketplace URL, set CLAW_MARKETPLACE_URL or settings marketplace.url"
            )
        return net.directory(base)

    def manifest(
        self,
        name: str,
        *,
        version: str | None = None,
        marketplace: str | None = None,
        fetcher: net.Fetcher | None = None,
    ) -> tuple[Manifest, str]:
        """The manifest of ``name`` (latest, or ``version``) and its URL."""
        from packaging.version import InvalidVersion, Version

        if not _NAME.fullmatch(name):
            raise MarketplaceError(f"{name!r} is not a valid plugin name")
        if version is not None:
            try:
                Version(version)
            except InvalidVersion as exc:
                raise MarketplaceError(f"--version {version!r} is not a version number") from exc
        base = self._base(marketplace)
        own = fetcher is None
        fetcher = fetcher or self._fetcher()
        try:
            index_url = net.join(base, "index.json")
            index = parse_index(
                fetcher.read(index_url, limit=DOCUMENT_LIMIT, what="marketplace index"), index_url
            )
            entries = {normalize(e.name): e for e in index.plugins}
            entry = entries.get(normalize(name))
            if entry is None:
                names = sorted(e.name for e in index.plugins)
                raise MarketplaceError(f"unknown plugin {name!r} in {base}{_suggest(name, names)}")
            if version is not None and entry.versions and version not in entry.versions:
                raise MarketplaceError(
                    f"{entry.name} has no version {version} in {base} (available: {', '.join(entry.versions)})"
                )
            folder = normalize(entry.name)
            rel = f"{folder}/manifest.json" if version is None else f"{folder}/{quote(version)}/manifest.json"
            url = net.join(base, rel)
            manifest = parse_manifest(fetcher.read(url, limit=DOCUMENT_LIMIT, what="plugin manifest"), url)
        finally:
            if own:
                fetcher.__exit__(None, None, None)
        return manifest, url

    def _from_marketplace(
        self, name: str, version: str | None, marketplace: str | None, tmp: Path, fetcher: net.Fetcher
    ) -> Candidate:
        manifest, url = self.manifest(name, version=version, marketplace=marketplace, fetcher=fetcher)
        wheel_url = net.join(url, manifest.wheel)
        filename = PurePosixPath(
            unquote(urlsplit(wheel_url).path if not net.is_local(wheel_url) else wheel_url)
        ).name
        if not filename.endswith(".whl"):
            raise MarketplaceError(
                f"refused: the manifest {url} points at {manifest.wheel!r}, which is not a wheel"
            )
        fetched = fetcher.download(wheel_url, tmp / filename, limit=self.trust.wheel_size_limit, what="wheel")
        bundle = None
        if manifest.sigstore_bundle:
            bundle_url = net.join(url, manifest.sigstore_bundle)
            bundle = fetcher.read(bundle_url, limit=DOCUMENT_LIMIT, what="Sigstore bundle")
        return Candidate(
            wheel=fetched.path,
            source=url,
            expected_name=manifest.name,
            expected_version=manifest.version,
            expected_sha256=manifest.sha256,
            signature=manifest.signature,
            bundle=bundle,
            claw_api=manifest.claw_api,
            kernel=manifest.kernel,
        )

    # -- local sources --------------------------------------------------------------------------

    def _build(self, project: Path, tmp: Path) -> Path:
        uv = shutil.which("uv", path=self.context.env.get("PATH"))
        out = tmp / "dist"
        argv = (
            [uv, "build", "--wheel", "--out-dir", str(out), str(project)]
            if uv
            else [self.installer.python, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(project)]
        )
        proc = subprocess.run(argv, capture_output=True, text=True, env=dict(self.context.env))
        wheels = sorted(out.glob("*.whl")) if out.is_dir() else []
        if proc.returncode != 0 or len(wheels) != 1:
            last = (proc.stderr.strip().splitlines() or ["no wheel produced"])[-1]
            raise MarketplaceError(f"cannot build a wheel from {project}: {last}")
        return wheels[0]

    def _from_path(self, path: Path, tmp: Path) -> Candidate:
        wheel = self._build(path, tmp) if path.is_dir() else path
        signature = None
        sig = wheel.with_name(wheel.name + SIDECAR_SIGNATURE)
        if sig.is_file():
            signature = sig.read_text(encoding="utf-8")
        bundle = next(
            (p.read_bytes() for s in SIDECAR_BUNDLES if (p := wheel.with_name(wheel.name + s)).is_file()),
            None,
        )
        return Candidate(wheel=wheel, source=str(path.resolve()), signature=signature, bundle=bundle)

    def resolve(
        self,
        source: str,
        tmp: Path,
        fetcher: net.Fetcher,
        *,
        version: str | None = None,
        marketplace: str | None = None,
    ) -> Candidate:
        """A marketplace name, a wheel file or a project directory, fetched into ``tmp``.

        A source is a path when it looks like one (contains a path separator, ends in ``.whl``, or is
        ``.``/``..``), so a folder in the current directory never shadows a marketplace name.
        """
        if not _looks_like_path(source):
            return self._from_marketplace(source, version, marketplace, tmp, fetcher)
        path = Path(source).expanduser()
        if not path.exists():
            raise MarketplaceError(f"no such file or directory: {source}")
        if version is not None:
            raise MarketplaceError("--version applies to marketplace names, not to a wheel or a directory")
        return self._from_path(path, tmp)

    # -- operations -----------------------------------------------------------------------------

    def installed(self) -> list[InstalledPlugin]:
        out = []
        for key, dist in sorted(_plugin_distributions().items()):
            eps = sorted(ep.name for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP)
            out.append(InstalledPlugin(dist.metadata["Name"], dist.version, eps, self.records.get(key)))
        return out

    def install(
        self,
        source: str,
        *,
        version: str | None = None,
        allow_downgrade: bool = False,
        marketplace: str | None = None,
    ) -> InstallRecord | None:
        """Verify and install; returns the new record, or None when that version is already installed.

        :raises MarketplaceError: refused or failed; the previous version (if any) is still installed.
        """
        plugin: dict[str, Any] = {"name": source, "source": source}
        pre_fired = False
        try:
            with (
                tempfile.TemporaryDirectory(prefix="claw-plugin-") as tmp,
                self._fetcher() as fetcher,
                self.records.locked(),
            ):
                candidate = self.resolve(source, Path(tmp), fetcher, version=version, marketplace=marketplace)
                plugin["source"] = candidate.source
                if candidate.expected_name:
                    plugin.update(name=candidate.expected_name, version=candidate.expected_version)
                versions = _installed_versions()
                verified = verify(candidate, self.trust, installed=versions, allow_downgrade=allow_downgrade)
                info = verified.info
                plugin.update(name=info.name, version=info.version)
                if normalize(info.name) in PINNED:
                    raise MarketplaceError(
                        f"refused: {info.name} is part of claw; upgrade it with your package manager"
                    )
                current = versions.get(normalize(info.name))
                record = self.records.get(info.name)
                if current == info.version and record is not None and record.sha256 == verified.sha256:
                    return None
                pre_fired = True
                self._pre("PrePluginInstall", plugin, "installing")
                self.installer.ensure_available()
                origin = (marketplace or self.trust.marketplace_url) if candidate.expected_name else None
                return self._install(verified, current, record, origin)
        except MarketplaceError as exc:
            plugin["error"] = str(exc)
            raise
        finally:
            if pre_fired or "error" in plugin:
                self._hook("PostPluginInstall", plugin)

    def _install(
        self, verified: Verified, current: str | None, previous: InstallRecord | None, marketplace: str | None
    ) -> InstallRecord:
        info = verified.info
        try:
            self.installer.install(verified.candidate.wheel, info.name, reinstall=current == info.version)
            problem = self.installer.check(info.name, info.version)
            if problem:
                raise MarketplaceError(problem)
        except MarketplaceError as exc:
            restored = self._rollback(info.name, current, previous)
            raise MarketplaceError(
                f"installing {info.name} {info.version} failed: {exc}; {restored}"
            ) from exc
        record = InstallRecord(
            name=info.name,
            version=info.version,
            source=verified.candidate.source,
            sha256=verified.sha256,
            signer=verified.signer,
            entry_points=sorted(info.entry_points),
            marketplace=marketplace,
        )
        old_wheel = previous.wheel if previous else None
        self.records.save(record, verified.candidate.wheel)
        if old_wheel and old_wheel != record.wheel:
            (self.records.wheels / old_wheel).unlink(missing_ok=True)
        return record

    def _rollback(self, name: str, current: str | None, previous: InstallRecord | None) -> str:
        """Put the environment back as it was; says what it did."""
        try:
            if current is None:
                if self.installer.installed_version(name) is not None:
                    self.installer.uninstall(name)
                return "nothing was left installed"
            kept = self.records.kept_wheel(previous) if previous and previous.version == current else None
            if kept is None:
                return f"{name} {current} was not installed by claw and could not be restored; reinstall it"
            self.installer.install(kept, name, reinstall=True)
            return f"{name} {current} restored"
        except MarketplaceError as exc:
            return f"restoring the previous state also failed: {exc}"

    def uninstall(self, name: str) -> InstalledPlugin:
        """Remove an installed plugin distribution (by distribution or entry-point name)."""
        plugin: dict[str, Any] = {"name": name, "source": "environment"}
        try:
            with self.records.locked():
                return self._uninstall(name, plugin)
        except MarketplaceError as exc:
            plugin["error"] = str(exc)
            raise
        finally:
            self._hook("PostPluginUninstall", plugin)

    def _uninstall(self, name: str, plugin: dict[str, Any]) -> InstalledPlugin:
        """:meth:`uninstall` under the records lock; fills ``plugin`` for the lifecycle hooks."""
        target = self._find_installed(name)
        plugin.update(name=target.name, version=target.version)
        if target.record is not None:
            plugin["source"] = target.record.source
        if normalize(target.name) in PINNED:
            raise MarketplaceError(
                f"refused: {target.name} is part of claw; remove it with your package manager"
            )
        self._pre("PrePluginUninstall", plugin, "uninstalling")
        self.installer.ensure_available()
        self.installer.uninstall(target.name)
        self.records.delete(target.name)
        return target

    def _find_installed(self, name: str) -> InstalledPlugin:
        plugins = self.installed()
        for p in plugins:
            if normalize(p.name) == normalize(name) or name in p.entry_points:
                return p
        if normalize(name) in _installed_versions():
            raise MarketplaceError(
                f"refused: {name} is installed but is not a claw plugin (no 'claw' entry point)"
            )
        names = sorted({p.name for p in plugins} | {e for p in plugins for e in p.entry_points})
        raise MarketplaceError(f"plugin {name!r} is not installed{_suggest(name, names)}")

    def update(
        self, name: str | None = None, *, marketplace: str | None = None
    ) -> list[tuple[str, str, str | None]]:
        """Update one plugin or every plugin installed from a marketplace.

        Returns ``(name, old version, new version or None when already up to date)`` per plugin.
        """
        from packaging.version import Version

        if name is not None:
            target = self._find_installed(name)
            todo = [(target.name, target.version, target.record)]
        else:
            todo = [
                (p.name, p.version, p.record) for p in self.installed() if p.record and p.record.marketplace
            ]
        results: list[tuple[str, str, str | None]] = []
        for dist, current, record in todo:
            where = marketplace or (record.marketplace if record else None)
            manifest, _ = self.manifest(dist, marketplace=where)
            if Version(manifest.version) <= Version(current):
                results.append((dist, current, None))
                continue
            self.install(dist, marketplace=where)
            results.append((dist, current, manifest.version))
        return results

    def info(self, name: str, *, marketplace: str | None = None) -> dict[str, Any]:
        """What is installed and what the marketplace offers for ``name``."""
        out: dict[str, Any] = {"name": name, "installed": None, "marketplace": None}
        try:
            target = self._find_installed(name)
        except MarketplaceError:
            target = None
        if target is not None:
            out["name"] = target.name
            out["installed"] = {"version": target.version, "entry_points": target.entry_points}
            if target.record is not None:
                r = target.record
                out["installed"].update(source=r.source, sha256=r.sha256, signer=r.signer)
        where = marketplace or (target.record.marketplace if target and target.record else None)
        if where or self.trust.marketplace_url:
            try:
                manifest, url = self.manifest(out["name"], marketplace=where)
                out["marketplace"] = {"url": url, **manifest.model_dump(exclude_none=True)}
            except MarketplaceError as exc:
                if target is None:
                    raise
                warn(str(exc))
        if target is None and out["marketplace"] is None:
            raise MarketplaceError(f"plugin {name!r} is not installed and no marketplace is configured")
        return out
