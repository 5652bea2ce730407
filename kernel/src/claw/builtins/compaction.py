"""The built-in compactor: the model summarises the older turns (:class:`claw.compaction.SummaryCompactor`),
configured by settings ``compaction``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.compaction import Compactor
    from claw.config import EffectiveSettings


@hookimpl(trylast=True)
def claw_compactor(settings: EffectiveSettings) -> Compactor:
    from claw.compaction import SummaryCompactor

    cfg = settings.model.compaction
    return SummaryCompactor(auto=cfg.auto, threshold=cfg.threshold, keep_recent_turns=cfg.keepRecentTurns)
