"""The ``compaction`` plugin: answers ``claw_compactor`` with :class:`claw_compaction.summary.SummaryCompactor`
and declares settings ``compaction``. Imported on every start: it imports only ``claw``; the compactor and
its settings model load when first asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from claw import Compactor, EffectiveSettings


@hookimpl(trylast=True)
def claw_compactor(settings: EffectiveSettings) -> Compactor:
    """``trylast``: a plugin's compactor, answering first, replaces this one."""
    from claw_compaction.summary import SummaryCompactor

    return SummaryCompactor.from_settings(settings.get("compaction"))


@hookimpl
def claw_register_settings(register: Callable[..., Any]) -> None:
    from claw_compaction.summary import CompactionSettings

    register(
        "compaction",
        CompactionSettings,
        "Automatic compaction: threshold (share of the context window, default 0.8), keepRecentTurns (4), "
        "auto (true).",
    )
