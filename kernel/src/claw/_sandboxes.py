"""The sandbox contract: how commands and file access are confined (``claw_register_sandboxes``,
docs/sandbox.md). :func:`sandbox_policy` derives the :class:`SandboxPolicy` from settings ``sandbox``, so
every sandbox reads the settings the same way."""

from __future__ import annotations

import abc
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field

from claw._errors import ConfigError
from claw._model import Model
from claw._paths import home_of, resolved
from claw._settings import SandboxSettings


class SandboxPolicy(Model):
    """What a confined command may touch."""

    workspace: Path
    #: ``off``: the filesystem is not confined; ``workspace-only`` / ``allow-list``: only ``writable``
    #: (and a private temp dir) may be written.
    filesystem: Literal["off", "workspace-only", "allow-list"] = "workspace-only"
    writable: list[Path] = Field(default_factory=list)
    #: Paths hidden from the command (reads fail).
    deny_read: list[Path] = Field(default_factory=list)
    network: Literal["none", "host", "allow-list"] = "none"
    allowed_domains: list[str] = Field(default_factory=list)
    allow_unix_sockets: list[Path] = Field(default_factory=list)
    allow_local_binding: bool = False


#: Secrets hidden in ``allow-list`` mode when settings ``sandbox.filesystem.denyRead`` is unset.
DEFAULT_DENY_READ = ("~/.ssh", "~/.aws", "~/.gnupg", "~/.config/gcloud", ".env", ".env.local")


def sandbox_policy(
    settings: Mapping[str, Any] | SandboxSettings | None,
    workspace: Path,
    additional_dirs: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
) -> SandboxPolicy:
    """The policy settings ``sandbox`` describe for a command in ``workspace``.

    :raises ConfigError: for an ``allowWrite`` path that does not exist (naming the setting).
    """
    cfg = (
        settings if isinstance(settings, SandboxSettings) else SandboxSettings.model_validate(settings or {})
    )
    home = home_of(os.environ if env is None else env)
    ws = workspace.resolve()
    fs = cfg.filesystem
    if fs.mode == "allow-list":
        writable = []
        for raw in fs.allowWrite:
            path = Path(resolved(raw, ws, home))
            if not path.exists():
                raise ConfigError(f"settings sandbox.filesystem.allowWrite: {raw} does not exist")
            writable.append(path)
    else:
        writable = [ws, *(Path(d).expanduser().resolve() for d in additional_dirs)]
    deny_raw = (
        fs.denyRead if fs.denyRead is not None else (DEFAULT_DENY_READ if fs.mode == "allow-list" else ())
    )
    deny = [p for p in (Path(resolved(raw, ws, home)) for raw in deny_raw) if p.exists()]
    net = cfg.network
    mode = net.mode or ("allow-list" if net.allowedDomains else "none")
    return SandboxPolicy(
        workspace=ws,
        filesystem=fs.mode,
        writable=writable,
        deny_read=deny,
        network=mode,
        allowed_domains=list(net.allowedDomains),
        allow_unix_sockets=[Path(resolved(s, ws, home)) for s in net.allowUnixSockets],
        allow_local_binding=net.allowLocalBinding,
    )


class Sandbox(abc.ABC):
    """One way of confining commands. Instances are made per session with the effective
    ``sandbox`` settings."""

    name: ClassVar[str]

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        self.settings = settings or SandboxSettings()

    @abc.abstractmethod
    def available(self) -> bool:
        """True when this sandbox can run here (its binary exists, the kernel supports it)."""

    @abc.abstractmethod
    def wrap(self, argv: list[str], policy: SandboxPolicy) -> list[str]:
        """Return the command line that runs ``argv`` under ``policy``."""

    def unavailable_reason(self) -> str:
        """One line saying why :meth:`available` is false (shown to the model and in status)."""
        return f"sandbox {self.name} is not available on this machine"

    def describe(self) -> dict[str, Any]:
        """What the sandbox reports about itself (engine, version, namespaces, container): shown by
        status commands and recorded in the session's ``init``."""
        return {"name": self.name, "available": self.available()}


def confine(
    sandbox: Sandbox | None,
    settings: Mapping[str, Any] | SandboxSettings | None,
    argv: list[str],
    workspace: Path,
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """``argv`` wrapped by the session's ``sandbox`` under the policy ``settings`` describe: for
    processes other than Bash that opt in (command hooks, stdio MCP servers).

    :raises ConfigError: when no sandbox is configured, it cannot run here, or the settings are bad
        (the process must then not be started).
    """
    if sandbox is None:
        raise ConfigError("no sandbox is configured (settings sandbox.enabled)")
    if not sandbox.available():
        raise ConfigError(sandbox.unavailable_reason())
    return sandbox.wrap(argv, sandbox_policy(settings, workspace, env=env))
