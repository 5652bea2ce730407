"""The ``bubblewrap`` sandbox: confines each command with bwrap (namespaces and read-only binds) and,
for a network allow-list, a filtering proxy the command is forced through."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from typing import Any

import claw

from claw_sandbox._bwrap import PROXY_SOCKET, bwrap_argv
from claw_sandbox._probe import Engine, container, find_engine
from claw_sandbox._unshare import unshare_argv


class BubblewrapSandbox(claw.Sandbox):
    """Registered as ``bubblewrap``; with ``sandbox.engine: unshare`` (or no bwrap installed) the same
    policy is enforced with util-linux's ``unshare``."""

    name = "bubblewrap"

    def __init__(self, settings: claw.SandboxSettings | None = None) -> None:
        super().__init__(settings)
        self._engine: Engine | None = None
        self._proxy: Any = None
        self._tmp: str | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = find_engine(self.settings.enginePath, self.settings.engine)
        return self._engine

    def available(self) -> bool:
        return self.engine.path is not None

    def unavailable_reason(self) -> str:
        where = container()
        inside = f" (inside a {where} container)" if where else ""
        return f"sandbox unavailable: {self.engine.problem}{inside}"

    def wrap(self, argv: list[str], policy: claw.SandboxPolicy) -> list[str]:
        engine = self.engine
        if engine.path is None:
            raise claw.ToolError(self.unavailable_reason())
        socket = None
        if policy.network == "allow-list":
            socket = self._proxy_for(policy.allowed_domains).socket_path
            # bwrap binds the proxy's socket into the private /tmp; under unshare the host path is
            # visible (read-only mounts do not stop connect()).
            inside = PROXY_SOCKET if engine.kind == "bwrap" else socket
            argv = [sys.executable, "-m", "claw_sandbox._bridge", inside, "--", *argv]
        if engine.kind == "unshare":
            return unshare_argv(engine.path, argv, policy, self._tmpdir())
        return bwrap_argv(
            engine.path, argv, policy, disable_userns=engine.disable_userns, proxy_socket=socket
        )

    def _tmpdir(self) -> str:
        """The private temp dir of the ``unshare`` engine (bwrap gives each command a tmpfs instead)."""
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="claw-sandbox-tmp-")
            atexit.register(shutil.rmtree, self._tmp, True)
        return self._tmp

    def _proxy_for(self, domains: list[str]) -> Any:
        from claw_sandbox._proxy import FilteringProxy

        if self._proxy is None or self._proxy.domains != domains:
            self._proxy = FilteringProxy.start(domains)
        return self._proxy

    def describe(self) -> dict[str, Any]:
        engine = self.engine
        fs = self.settings.filesystem
        net = self.settings.network
        info: dict[str, Any] = {
            "name": self.name,
            "available": engine.path is not None,
            "engine": engine.kind,
            "enginePath": engine.path,
            "version": engine.version or None,
            "filesystem": fs.mode,
            "network": net.mode or ("allow-list" if net.allowedDomains else "none"),
            "namespaces": _namespaces(engine, net.mode or ("allow-list" if net.allowedDomains else "none")),
            "container": container(),
        }
        if engine.path is None:
            info["reason"] = self.unavailable_reason()
        return info


def _namespaces(engine: Engine, network: str) -> list[str]:
    if engine.path is None:
        return []
    names = ["user", "mount", "pid", "uts", "ipc"]
    return [*names, "net"] if network != "host" else names


def status_lines(info: dict[str, Any], enabled: bool) -> list[str]:
    """``claw sandbox status`` as lines of ``key: value``."""
    state = "enabled" if enabled else "disabled (settings sandbox.enabled is false)"
    lines = [f"sandbox: {info['name']} {state}"]
    lines.append(
        f"engine: {info.get('engine')} {info.get('version') or ''} {info.get('enginePath') or ''}".rstrip()
    )
    lines.append(f"available: {'yes' if info['available'] else 'no'}")
    if info.get("reason"):
        lines.append(f"why: {info['reason']}")
    lines.append(f"filesystem: {info.get('filesystem')}")
    lines.append(f"network: {info.get('network')}")
    lines.append(f"namespaces: {', '.join(info.get('namespaces') or []) or 'none'}")
    lines.append(f"container: {info.get('container') or 'none detected'}")
    lines.append(f"platform: {sys.platform} (uid {os.getuid() if hasattr(os, 'getuid') else '?'})")
    return lines
