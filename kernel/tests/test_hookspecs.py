"""``claw.hookspecs`` is one package of family modules; the package is still the one import that holds the
whole contract: every family's specs are re-exported there, and a plugin manager built from it knows them all
(a hook left out of ``__init__`` would silently be no hook at all)."""

from __future__ import annotations

import inspect
import pkgutil

from claw import hookspecs
from claw._plugins import PluginManager


def _specs(module: object) -> dict[str, object]:
    return {
        name: fn
        for name, fn in vars(module).items()
        if name.startswith("claw_") and inspect.isfunction(fn) and hasattr(fn, "claw_spec")
    }


def test_every_family_spec_is_re_exported_by_the_package() -> None:
    by_family = [_specs(family) for family in hookspecs.FAMILIES]
    merged = {name: fn for specs in by_family for name, fn in specs.items()}
    assert sum(len(specs) for specs in by_family) == len(merged)  # no hook in two families
    assert _specs(hookspecs) == merged
    assert all(fn.__module__ in {f.__name__ for f in hookspecs.FAMILIES} for fn in merged.values())


def test_the_plugin_manager_registers_every_spec() -> None:
    pm = PluginManager(env={})
    for name in _specs(hookspecs):
        assert getattr(pm.hook, name).spec is not None, name


def test_every_family_module_is_listed() -> None:
    package = hookspecs.__path__[0]
    modules = {info.name for info in pkgutil.iter_modules([package])}
    assert modules == {family.__name__.rsplit(".", 1)[-1] for family in hookspecs.FAMILIES}


def test_every_hook_is_in_the_plugin_api_this_kernel_provides() -> None:
    """A hook documented "since plugin API X" is one a plugin may declare ``CLAW_API = ">=X"`` for: the kernel
    must provide X, or that plugin is skipped (it reported 1.0 beside hooks added in 1.1)."""
    from claw import API_VERSION
    from claw._compat import satisfies

    since = {
        name: (inspect.getdoc(fn) or "").split(".. versionadded:: ")[1].split()[0]
        for name, fn in _specs(hookspecs).items()
    }
    assert since, "no hook says when it was added"
    assert {name: v for name, v in since.items() if not satisfies(API_VERSION, f">={v}")} == {}
