"""The ``bubblewrap`` sandbox: confines each command with bwrap (namespaces and read-only binds) and,
for a network allow-list, a filtering proxy the command is forced through."""

from __future__ import annotations

import os
import sys
from typing import Any

import claw

from claw_sandbox._bwrap import PROXY_SOCKET, bwrap_argv
from claw_sandbox._probe import Engine, container, find_engine


class BubblewrapSandbox(claw.Sandbox):
    name = "bubblewrap"

    def __init__(self, settings: claw.SandboxSettings | None = None) -> None:
        super().__init__(settings)
        self._engine: Engine | None = None
        self._proxy: Any = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = find_engine(self.settings.enginePath)
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
            bridge = [sys.executable, "-m", "claw_sandbox._bridge", PROXY_SOCKET, "--"]
            argv = [*bridge, *argv]
        return bwrap_argv(
            engine.path, argv, policy, disable_userns=engine.disable_userns, proxy_socket=socket
        )

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
            "engine": "bwrap",
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
