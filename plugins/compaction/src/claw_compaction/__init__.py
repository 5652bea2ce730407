"""claw-compaction: claw's compactor (the ``compaction`` plugin).

The model summarises a long session's older turns and the summary replaces them
(:class:`claw_compaction.summary.SummaryCompactor`), configured by settings ``compaction``. The loop
reaches it only through the ``claw_compactor`` hook and the contract :class:`claw.Compactor`; kept
import-light, since plugins load for ``claw --help`` too.
"""
