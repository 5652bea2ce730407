"""The base of the kernel's pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A pydantic model whose validator is built when it is first used, not when its module is
    imported (``defer_build``): commands that never validate most models (``claw plugins``, ``claw
    doctor``) do not pay for building them, about a sixth of the kernel's import time. Subclasses'
    own ``model_config`` is merged with this one."""

    model_config = ConfigDict(defer_build=True)
