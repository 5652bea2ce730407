"""The sandbox contract: how commands and file access are confined.

A sandbox rewrites a command line so that it runs confined (bubblewrap, firejail, a container) and
says whether it is usable on this machine. The shell tool asks the configured sandbox
(settings ``sandbox.name``) to wrap every command.
"""

from __future__ import annotations

import abc
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, Field


class SandboxPolicy(BaseModel):
    """What a confined command may touch."""

    workspace: Path
    writable: list[Path] = Field(default_factory=list)
    readable: list[Path] = Field(default_factory=list)
    network: bool = False


class Sandbox(abc.ABC):
    name: ClassVar[str]

    @abc.abstractmethod
    def available(self) -> bool:
        """True when this sandbox can run here (its binary exists, the kernel supports it)."""

    @abc.abstractmethod
    def wrap(self, argv: list[str], policy: SandboxPolicy) -> list[str]:
        """Return the command line that runs ``argv`` under ``policy``."""
