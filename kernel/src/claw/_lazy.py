"""Helpers that keep vendor SDKs off claw's start-up path: every plugin module is imported on every ``claw``
start, ``--help`` included, and importing ``anthropic`` there costs about a second (docs/plugins.md, "Rules
that keep claw fast and robust", says how a plugin imports at first use with :func:`claw.require` and checks
it in its tests with ``claw.testing.imported_modules``)."""

from __future__ import annotations

import importlib
from types import ModuleType

from claw._errors import PluginError


def require(module: str, *, dist: str | None = None, extra: str | None = None) -> ModuleType:
    """Import ``module`` now, turning a missing package into a one-line :class:`PluginError`.

    :param module: the module to import, e.g. ``"anthropic"`` or ``"google.genai"``.
    :param dist: the plugin distribution that needs it, named in the error.
    :param extra: the package to install when it differs from ``module`` (``"anthropic[vertex]"``).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        needed = extra or module.split(".")[0]
        who = f"{dist} needs" if dist else "claw needs"
        raise PluginError(
            f"{who} the '{needed}' package ({exc}); install it with: pip install '{needed}'"
        ) from exc
