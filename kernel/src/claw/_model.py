"""The base of the kernel's pydantic models."""

from __future__ import annotations

from typing import Any

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
    happens as before."""
    import sys
    from types import ModuleType

    real = sys.modules.get(_LOADER)
    if real is not None:
        if getattr(real, "_plugins", False) is None:
            real._plugins = {}  # pyright: ignore[reportAttributeAccessIssue]
        return
    loader = ModuleType(_LOADER, "claw's stand-in for pydantic's plugin loader: no pydantic plugins.")
    loader.__dict__.update(
        PYDANTIC_ENTRY_POINT_GROUP="pydantic", _plugins={}, _loading_plugins=False, get_plugins=lambda: ()
    )
    sys.modules[_LOADER] = loader


#: The module pydantic's validators ask for plugins (pydantic 2.x).
_LOADER = "pydantic.plugin._loader"


_skip_pydantic_plugins()

#: Factories that are called with no argument, never with the validated data.
_PLAIN_FACTORIES = (list, dict, set, frozenset, tuple)


def _answer_plain_factories() -> None:
    """Spare pydantic an ``inspect.signature`` of ``list`` for every ``default_factory=list`` field.

    Building a model's validator, pydantic asks of each ``default_factory`` whether it takes the
    validated data (``pydantic._internal._fields.takes_validated_data_argument``); for a builtin type
    that means parsing its text signature again, about 0.2 ms each time, some 6 ms of every run for
    the kernel's and plugins' ``list`` defaults. The builtin containers never take it, so they are
    answered at once and anything else is asked as before, in this process only. Should pydantic
    move the function, its own answer is used unchanged.
    """
    from pydantic._internal import _fields, _generate_schema

    asked = getattr(_fields, "takes_validated_data_argument", None)
    if asked is None or getattr(_generate_schema, "takes_validated_data_argument", None) is not asked:
        return

    def takes_validated_data_argument(factory: Any) -> bool:
        return False if any(factory is plain for plain in _PLAIN_FACTORIES) else asked(factory)

    _fields.takes_validated_data_argument = takes_validated_data_argument
    _generate_schema.takes_validated_data_argument = takes_validated_data_argument  # pyright: ignore[reportPrivateImportUsage]


_answer_plain_factories()


class Model(BaseModel):
    """A pydantic model whose validator is built when it is first used, not when its module is
    imported (``defer_build``): commands that never validate most models (``claw plugins``, ``claw
    doctor``) do not pay for building them, about a sixth of the kernel's import time. Subclasses'
    own ``model_config`` is merged with this one."""

    model_config = ConfigDict(defer_build=True)
