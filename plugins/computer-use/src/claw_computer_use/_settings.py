"""The ``computerUse`` settings key (registered through ``claw_register_settings``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: Anthropic's computer tool versions and the beta each needs (the API's computer-use documentation):
#: ``computer_20251124`` adds the ``zoom`` action (``enable_zoom``) for the newest models.
BETAS: dict[str, str] = {
    "computer_20250124": "computer-use-2025-01-24",
    "computer_20251124": "computer-use-2025-11-24",
}


class ComputerUseSettings(BaseModel):
    """Settings ``computerUse``."""

    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    #: Offer the ``computer`` tool (off by default: a session on a desktop should not get control of it
    #: unless asked).
    enabled: bool = False
    #: The Anthropic tool type to declare; pick ``computer_20251124`` for models that support it.
    toolVersion: Literal["computer_20250124", "computer_20251124"] = "computer_20250124"
    #: The X display to drive; default ``$DISPLAY``.
    display: str | None = None
    #: Milliseconds between typed characters (xdotool ``type --delay``).
    typingDelayMs: int = Field(default=12, ge=0, le=1000)


def computer_settings(settings: Mapping[str, Any]) -> ComputerUseSettings:
    """The validated ``computerUse`` section of ``settings`` (defaults when absent)."""
    return ComputerUseSettings.model_validate(settings.get("computerUse") or {})
