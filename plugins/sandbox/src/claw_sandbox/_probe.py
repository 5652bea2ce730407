"""What this machine offers: the bwrap binary and its version, whether namespaces work, and whether
claw runs inside a container. Probed once per binary and cached: a probe starts a process."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Engine:
    """The engine found for the settings, or why there is none (``path`` is then ``None``)."""

    path: str | None
    #: ``bwrap`` or ``unshare``.
    kind: str = "bwrap"
    version: str = ""
    #: ``--disable-userns`` (bwrap 0.8+): the command cannot make user namespaces of its own.
    disable_userns: bool = False
    problem: str = ""


def container() -> str | None:
    """``docker``, ``podman``, ``kubernetes``, ``containerd`` or ``lxc`` when claw runs in one."""
    if Path("/.dockerenv").exists():
        return "docker"
    if Path("/run/.containerenv").exists():
        return "podman"
    try:
        cgroup = Path("/proc/1/cgroup").read_text()
    except OSError:
        return None
    for marker, name in (("kubepods", "kubernetes"), ("docker", "docker"), ("containerd", "containerd")):
        if marker in cgroup:
            return name
    return "lxc" if "lxc" in cgroup else None


def find_engine(engine_path: str | None, engine: str = "auto") -> Engine:
    """The engine settings ``sandbox.engine`` / ``sandbox.enginePath`` name, probed: bwrap, or with
    ``auto`` util-linux's ``unshare`` when bwrap is not installed."""
    if not sys.platform.startswith("linux"):
        return Engine(None, problem=f"unavailable on this platform ({sys.platform}): the sandbox needs Linux")
    kind = "unshare" if engine == "unshare" else "bwrap"
    if engine_path:
        path = os.path.expanduser(engine_path)
        if not os.access(path, os.X_OK):
            return Engine(
                None, kind, problem=f"settings sandbox.enginePath: {engine_path} is not an executable"
            )
        return _probe(path, kind)
    found = shutil.which(kind)
    if found is None and engine == "auto":
        kind, found = "unshare", shutil.which("unshare")
        if found is not None and shutil.which("setpriv") is None:
            found = None
    if found is None:
        wanted = "unshare and setpriv (util-linux)" if engine == "unshare" else "bwrap"
        return Engine(
            None, kind, problem=f"{wanted} not found on PATH (install bubblewrap, or set sandbox.enginePath)"
        )
    return _probe(found, kind)


@functools.cache
def _probe(path: str, kind: str) -> Engine:
    """Run ``true`` in every namespace the sandbox uses: the kernel (or a container's seccomp policy)
    may refuse them even where the binary exists."""
    namespaces = ["--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    if kind == "bwrap":
        version_argv = [path, "--version"]
        test_argv = [path, *namespaces, "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    else:
        version_argv = [path, "--version"]
        test_argv = [
            path,
            "--user",
            "--map-root-user",
            "--mount",
            "--pid",
            "--fork",
            "--net",
            "--ipc",
            "--uts",
        ]
        test_argv += ["--mount-proc", "true"]
    try:
        out = subprocess.run(version_argv, capture_output=True, text=True, timeout=5)
        version = out.stdout.strip().rsplit(" ", 1)[-1]
        test = subprocess.run(test_argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        return Engine(None, kind, problem=f"{path} cannot run: {exc}")
    if test.returncode != 0:
        why = (test.stderr.strip().splitlines() or ["no output"])[-1]
        return Engine(None, kind, version=version, problem=f"namespaces do not work here ({path}: {why})")
    return Engine(path, kind, version=version, disable_userns=kind == "bwrap" and _at_least(version, (0, 8)))


def _at_least(version: str, wanted: tuple[int, ...]) -> bool:
    try:
        return tuple(int(p) for p in version.split(".")[:2]) >= wanted
    except ValueError:
        return False
