"""The one error type of the marketplace: every refusal is a single line and exit code 1."""

from __future__ import annotations

import claw


class MarketplaceError(claw.ClawError):
    """An install, update, uninstall or publish step refused or failed; ``str()`` is the one line
    the user sees. Nothing has been changed in the environment when this is raised before install."""
