"""Running the package installer into the environment claw runs in, as a subprocess.

``uv pip ... --python <sys.executable>`` when ``uv`` is on PATH, else ``<sys.executable> -m pip``
(``CLAW_PLUGIN_INSTALLER=uv|pip`` forces one). Installing in a subprocess rather than in-process
(``llm install`` runs pip in-process) keeps claw's own imports untouched and makes "no pip in this
environment" an ordinary, explained error. The kernel and the marketplace are pinned with a
constraints file so that a plugin's requirements can never replace them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from claw_marketplace.errors import MarketplaceError

#: Distributions a plugin install must never change.
PINNED = ("claw-kernel", "claw-marketplace")

_CHECK = """
import importlib.metadata as md, json, sys
name, version = sys.argv[1], sys.argv[2]
try:
    dist = md.distribution(name)
except md.PackageNotFoundError:
    print(json.dumps({"error": f"{name} is not installed after the install"})); sys.exit()
if dist.version != version:
    print(json.dumps({"error": f"{name} {dist.version} is installed, not {version}"})); sys.exit()
for ep in dist.entry_points:
    if ep.group == "claw":
        try:
            ep.load()
        except Exception as exc:
            print(json.dumps({"error": f"its plugin module {ep.value} fails to import: {type(exc).__name__}: {exc}"}))
            sys.exit()
print(json.dumps({"error": None}))
"""


class Installer:
    """Installs and removes distributions in the environment of ``python``."""

    def __init__(self, env: Mapping[str, str], python: str = sys.executable) -> None:
        self.env = dict(env)
        self.python = python
        self._tool: list[str] | None = None

    def _command(self, verb: str) -> list[str]:
        if self._tool is None:
            self._tool = self._find_tool()
        if self._tool[0] == self.python:
            return [*self._tool, verb]
        return [*self._tool[:2], verb, "--python", self.python]

    def ensure_available(self) -> str:
        """Fail now, before anything changes, when neither uv nor pip can install here; else say
        which installer will run (``uv pip`` or ``pip``)."""
        argv = self._command("install")
        return "pip" if argv[0] == self.python else "uv pip"

    def _find_tool(self) -> list[str]:
        choice = self.env.get("CLAW_PLUGIN_INSTALLER", "").strip().lower()
        uv = shutil.which("uv", path=self.env.get("PATH"))
        if choice not in ("", "uv", "pip"):
            raise MarketplaceError(f"CLAW_PLUGIN_INSTALLER must be 'uv' or 'pip', not {choice!r}")
        if choice == "uv" or (choice == "" and uv):
            if not uv:
                raise MarketplaceError("CLAW_PLUGIN_INSTALLER=uv but 'uv' is not on PATH")
            return [uv, "pip"]
        probe = subprocess.run(
            [self.python, "-m", "pip", "--version"], capture_output=True, text=True, env=self.env
        )
        if probe.returncode != 0:
            why = "CLAW_PLUGIN_INSTALLER=pip but" if choice == "pip" else "'uv' is not on PATH and"
            raise MarketplaceError(
                f"cannot install plugins: {why} {self.python} has no pip "
                f"(install uv, or run '{self.python} -m ensurepip')"
            )
        return [self.python, "-m", "pip"]

    def _run(self, argv: list[str], what: str) -> None:
        proc = subprocess.run(argv, capture_output=True, text=True, env=self.env)
        if proc.returncode != 0:
            lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
            detail = next((ln for ln in reversed(lines) if "error" in ln.lower()), lines[-1] if lines else "")
            raise MarketplaceError(f"{what} failed: {detail or f'exit code {proc.returncode}'}")

    def _pins(self) -> list[str]:
        import importlib.metadata as md

        pins = []
        for name in PINNED:
            try:
                pins.append(f"{name}=={md.version(name)}")
            except md.PackageNotFoundError:
                continue
        return pins

    def install(self, wheel: Path, name: str, *, reinstall: bool = False) -> None:
        """Install ``wheel`` of distribution ``name`` (and its requirements), replacing any installed
        version; ``reinstall`` replaces it even when the same version is installed."""
        argv = self._command("install")
        if reinstall:
            pip = argv[1:2] == ["-m"]
            argv += ["--force-reinstall", "--no-deps"] if pip else ["--reinstall-package", name]
        with tempfile.TemporaryDirectory(prefix="claw-pins-") as tmp:
            constraints = Path(tmp) / "constraints.txt"
            constraints.write_text("\n".join(self._pins()) + "\n", encoding="utf-8")
            argv += ["--constraint", str(constraints)]
            if argv[1:2] == ["-m"]:
                argv += ["--disable-pip-version-check", "--no-input"]
            self._run([*argv, str(wheel)], f"installing {wheel.name}")

    def uninstall(self, name: str) -> None:
        argv = self._command("uninstall")
        if argv[1:2] == ["-m"]:
            argv.append("--yes")
        self._run([*argv, name], f"uninstalling {name}")

    def installed_version(self, name: str) -> str | None:
        """The version of ``name`` installed in the target environment, or None."""
        code = "import importlib.metadata as m, sys\ntry: print(m.version(sys.argv[1]))\nexcept m.PackageNotFoundError: pass"
        proc = subprocess.run([self.python, "-c", code, name], capture_output=True, text=True, env=self.env)
        return proc.stdout.strip() or None

    def check(self, name: str, version: str) -> str | None:
        """Import the installed plugin's entry points in a fresh interpreter; the error, or None."""
        proc = subprocess.run(
            [self.python, "-c", _CHECK, name, version], capture_output=True, text=True, env=self.env
        )
        try:
            return json.loads(proc.stdout.strip().splitlines()[-1])["error"]
        except (IndexError, ValueError, KeyError):
            return f"checking the installed plugin failed: {proc.stderr.strip()[-300:]}"
