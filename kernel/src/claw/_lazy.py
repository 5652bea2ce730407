"""Helpers that keep vendor SDKs off claw's start-up path.

Every plugin module is imported on every ``claw`` start, ``--help`` included. Importing
``anthropic`` there costs about a second, so plugins import SDKs where they are first used::

    from claw._lazy import require

    def _client(self):
        anthropic = require("anthropic", dist="claw-provider-anthropic")  # imported lazily for start-up time
        return anthropic.AsyncAnthropic(...)

``claw.testing.imported_modules`` lets a plugin's tests check that its entry-point module stays light.
"""

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
