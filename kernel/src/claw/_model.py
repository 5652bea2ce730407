"""The base of the kernel's pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


def _skip_pydantic_plugins() -> None:
    """Tell pydantic it has no plugins before it builds its first validator.

    claw uses no pydantic plugins, but pydantic looks for them (entry points of the ``pydantic`` group)
    when it builds its first validator: a scan of every installed distribution's metadata, about 5 ms
    of every run, and importing its loader imports :mod:`importlib.metadata` (``email`` and friends),
    about 6 ms more that a run with claw's entry points cached (:mod:`claw._entry_points`) never needs.
    ``PYDANTIC_DISABLE_PLUGINS`` would skip the scan, but an environment variable would reach the
    commands claw runs for the user and switch off their pydantic plugins too. So, in this process
    only, pydantic's loader module (``pydantic.plugin._loader``, asked for its ``get_plugins()`` at
    each validator build) is a small one answering "none"; when something imported the real loader
    first, its cache is filled with "none" instead. Should pydantic move either, the scan simply
    happens as before.
    """
    import sys
    from types import ModuleType

    real = sys.modules.get(_LOADER)
    if real is not None:
        if getattr(real, "_plugins", False) is None:
            real._plugins = {}  # pyright: ignore[reportAttributeAccessIssue]
        return
    loader = ModuleType(_LOADER, "claw's stand-in for pydantic's plugin loader: no pydantic plugins.")
    loader.__dict__.update(
        PYDANTIC_ENTRY_POINT_GROUP="pydantic", _plugins={}, _loading_plugins=False, get_plugins=_no_plugins
    )
    sys.modules[_LOADER] = loader


#: The module pydantic's validators ask for plugins (pydantic 2.x).
_LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    return ()


_skip_pydantic_plugins()


class Model(BaseModel):
    """A pydantic model whose validator is built when it is first used, not when its module is
    imported (``defer_build``): commands that never validate most models (``claw plugins``, ``claw
    doctor``) do not pay for building them, about a sixth of the kernel's import time. Subclasses'
    own ``model_config`` is merged with this one."""

    model_config = ConfigDict(defer_build=True)
