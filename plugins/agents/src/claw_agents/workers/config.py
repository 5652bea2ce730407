"""This plugin's part of settings ``agents`` (the key itself belongs to the kernel's task-backend
settings, which leave other keys to agent plugins): ``workers``, ``lanes`` and ``policies``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class WorkerSettings(BaseModel):
    """``agents.workers``: the trust gate and the waits of a worker's start."""

    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    #: A worker started in a folder outside ``trustedRoots`` waits in ``trust_required`` until approved.
    require_trust: bool = Field(False, alias="requireTrust")
    trusted_roots: list[str] = Field(default_factory=list, alias="trustedRoots")
    #: Seconds a worker waits for approval before failing with ``trust_gate``.
    trust_timeout: float = Field(300.0, alias="trustTimeout", gt=0)
    #: Seconds for the stream-json handshake, and for a delivered prompt to be acknowledged.
    ready_timeout: float = Field(60.0, alias="readyTimeout", gt=0)


class LaneSettings(BaseModel):
    """``agents.lanes``: how a lane's work is built (for the ``red`` policy and ``compile_red``)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    build: str | None = None
    #: Removes build outputs before a clean rebuild; the default deletes only files git ignores.
    clean: str = "git clean -fdX"


class Policy(BaseModel):
    """One rule checked before each task on a lane: ``when`` the lane is in that condition, ``then`` act."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    when: Literal["stale", "red"]
    #: ``stale``: the lane branch lacks at least this many commits of its base.
    behind_by: int = Field(1, alias="behindBy", ge=1)
    then: Literal["rebase", "rebuild", "block"]


class AgentsPart(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    workers: WorkerSettings = Field(default_factory=WorkerSettings)
    lanes: LaneSettings = Field(default_factory=LaneSettings)
    policies: list[Policy] = Field(default_factory=list)


def agents_settings(data: Mapping[str, Any]) -> AgentsPart:
    """This plugin's part of ``agents`` in the effective settings ``data``.

    :raises claw.ConfigError: naming the key path that is wrong.
    """
    import claw

    try:
        return AgentsPart.model_validate(data.get("agents") or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in ("agents", *err["loc"]))
        raise claw.ConfigError(f"settings {where}: {err['msg']}") from None


def load(cwd: Path, env: Mapping[str, str]) -> AgentsPart:
    """The settings a worker in ``cwd`` runs under (read afresh: edits apply to the next task)."""
    import claw

    return agents_settings(claw.CommandContext.create(workspace=cwd, env=env).settings.data)


def trust_needed(cwd: Path, settings: WorkerSettings) -> str | None:
    """Why a worker in ``cwd`` must wait for approval, or ``None`` when it may start.

    The one seam of the trust gate: workspace trust (a later feature) plugs in here.
    """
    if not settings.require_trust:
        return None
    folder = cwd.resolve()
    for root in settings.trusted_roots:
        if folder.is_relative_to(Path(root).expanduser().resolve()):
            return None
    return f"{folder} is not under agents.workers.trustedRoots: approve it with `claw workers approve`"
