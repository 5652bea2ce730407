"""The base of the kernel's pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


def _skip_pydantic_plugins() -> None:
    """Tell pydantic it has no plugins before it builds its first validator.

    claw uses no pydantic plugins, but pydantic looks for them (entry points of the ``pydantic`` group)
    when it builds its first validator: a scan of every installed distribution's metadata, about 5 ms
    of every run. ``PYDANTIC_DISABLE_PLUGINS`` would also skip it, but an environment variable would
    reach the commands claw runs for the user and switch off their pydantic plugins too; so the
    loader's cache is filled with "none" instead, in this process only. Should pydantic move that
    cache, the scan simply happens as before.
    """
    from pydantic.plugin import _loader

    if getattr(_loader, "_plugins", False) is None:
        _loader._plugins = {}  # pyright: ignore[reportPrivateUsage]


_skip_pydantic_plugins()


class Model(BaseModel):
    """A pydantic model whose validator is built when it is first used, not when its module is
    imported (``defer_build``): commands that never validate most models (``claw plugins``, ``claw
    doctor``) do not pay for building them, about a sixth of the kernel's import time. Subclasses'
    own ``model_config`` is merged with this one."""

    model_config = ConfigDict(defer_build=True)
