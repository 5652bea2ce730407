"""Which language servers a workspace has: settings ``lspServers`` and the workspace's ``.lsp.json``.

Both use Claude Code's plugin format (``lspServers`` in a plugin manifest, ``.lsp.json`` at a plugin
root): an object keyed by server name, each with ``command``, ``args``, ``extensionToLanguage``, ``env``,
``initializationOptions`` and ``settings``. Settings win over ``.lsp.json`` for a name both declare, so
a user can override a project's server. A bad entry is reported and skipped; the others still work.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: The workspace file Claude Code plugins declare servers in.
LSP_JSON = ".lsp.json"


class ServerConfig(BaseModel):
    """One language server, as Claude Code's ``lspServers`` entries describe it."""

    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, defer_build=True)

    command: str = Field(min_length=1)
    args: list[str] = Field(default_factory=list)
    #: ``".py": "python"``: which files the server handles and the languageId sent for them.
    extensionToLanguage: dict[str, str] = Field(min_length=1)
    env: dict[str, str] = Field(default_factory=dict)
    initializationOptions: Any = None
    #: Answered to the server's ``workspace/configuration`` and sent in ``didChangeConfiguration``.
    settings: dict[str, Any] = Field(default_factory=dict)
    #: Seconds the server may take to answer ``initialize``.
    startupTimeout: float = Field(default=30.0, gt=0)
    #: Restarts after crashes before the server is given up for the session.
    maxRestarts: int = Field(default=3, ge=0)

    @field_validator("extensionToLanguage")
    @classmethod
    def _dotted(cls, value: dict[str, str]) -> dict[str, str]:
        """Keys are extensions with their dot (``.py``), compared in lower case."""
        out = {}
        for ext, language in value.items():
            if not ext.startswith("."):
                raise ValueError(f"extension {ext!r} must start with '.'")
            out[ext.lower()] = language
        return out


class LspOptions(BaseModel):
    """Settings ``lsp``: how long claw waits and whether edits report diagnostics."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    #: Seconds one request may take before the tool reports the server as not answering.
    requestTimeout: float = Field(default=10.0, gt=0)
    #: Milliseconds an edit waits for the server's diagnostics (the most an edit is delayed).
    diagnosticsWaitMs: int = Field(default=2000, ge=0)
    #: False: edits report no diagnostics.
    diagnosticsAfterEdit: bool = True


@dataclass(frozen=True)
class NamedServer:
    name: str
    config: ServerConfig
    #: Where it was declared: ``settings`` or the ``.lsp.json`` path.
    source: str


@dataclass
class Resolved:
    servers: list[NamedServer] = field(default_factory=list)
    #: One line per entry or file that could not be used.
    errors: list[str] = field(default_factory=list)

    def for_path(self, path: Path) -> NamedServer | None:
        """The first server (settings before ``.lsp.json``) whose extensions include ``path``'s."""
        ext = path.suffix.lower()
        return next((s for s in self.servers if ext in s.config.extensionToLanguage), None)


def _entries(raw: Any, source: str, out: Resolved, taken: set[str]) -> None:
    if not isinstance(raw, Mapping):
        out.errors.append(f"{source}: expected an object of servers by name")
        return
    for name, entry in raw.items():
        if name in taken:
            continue
        try:
            config = ServerConfig.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            out.errors.append(f"{source}: server {name!r}: {where}: {first['msg']}")
            continue
        taken.add(name)
        out.servers.append(NamedServer(name, config, source))


def resolve(workspace: Path, settings: Mapping[str, Any], *, trusted: bool) -> Resolved:
    """Every usable server for ``workspace``: settings ``lspServers`` first, then ``.lsp.json``, which
    is the folder's own and counts only when it is trusted (``docs/trust.md``; the kernel already left
    ``lspServers`` of the folder's settings files out)."""
    out = Resolved()
    taken: set[str] = set()
    if settings.get("lspServers") is not None:
        _entries(settings["lspServers"], "settings lspServers", out, taken)
    path = workspace / LSP_JSON
    if trusted and path.is_file():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            out.errors.append(f"{path}: {exc}")
        else:
            _entries(raw, str(path), out, taken)
    return out


def options(settings: Mapping[str, Any]) -> LspOptions:
    """The ``lsp`` settings (validated by the settings layer, so this does not fail)."""
    return LspOptions.model_validate(settings.get("lsp") or {})
