"""Compaction of a session's history: when the context is nearly full (or on ``/compact``), the older
turns are summarised by the model and replaced by the summary. What is kept and asked for is the
compactor's (``claw_compactor``: claw-compaction's ``compaction`` plugin or a replacement); the request,
hooks, records and events are the loop's. Without a compactor a full context ends its turn with the API's
error, as it would anyway, and one line says what to install."""

from __future__ import annotations

from claw import _console as console
from claw._cost import CostTracker
from claw._loop.requests import ModelRequests
from claw._messages import TextBlock
from claw._plugins import SETTINGS_PROVIDERS, missing_plugin


def _no_compactor(what: str) -> str:
    """The line for compaction asked of a run no plugin answers ``claw_compactor`` in."""
    return missing_plugin(f"{what} needs", SETTINGS_PROVIDERS["compaction"])


class Compacting(ModelRequests):
    """Compaction of one session's history."""

    #: Whether this loop said that nothing compacts its full context (said once, not on every turn).
    _told_no_compactor = False

    async def _maybe_compact(self) -> None:
        """Compact before the next request when the compactor says the context is nearly full."""
        compactor, route = self.compactor, self.caller.route
        if compactor is not None and compactor.due(self._context_tokens, self._info(route).context_window):
            await self.compact("auto")

    async def compact(self, trigger: str = "manual") -> bool:
        """Summarise the older turns; returns whether anything was compacted."""
        session = self._session
        compactor = self.compactor
        if compactor is None:
            if trigger == "manual":
                console.warn(_no_compactor("/compact"), once=False)
            elif not self._told_no_compactor:
                self._told_no_compactor = True
                console.warn(_no_compactor("the context is full: automatic compaction"), once=False)
            return False
        cut = compactor.split(session.messages)
        if cut is None:
            if trigger == "manual":
                console.warn("nothing to compact yet")
            return False
        pre = await self._hook("PreCompact", trigger=trigger, custom_instructions="")  # /compact takes none
        if pre.action == "block":
            return False
        older, kept = session.messages[:cut], session.messages[cut:]
        # An automatic compaction is part of its turn's cost; a manual one (between turns) is
        # counted on its own, in its event, or the next turn's fresh tally would lose it.
        manual, turn_costs = trigger == "manual", self.costs
        if manual:
            self.costs = CostTracker(self.settings.model.prices)
        try:
            response, _ = await self._call(compactor.request(older), shown=False)
        finally:
            own, self.costs = self.costs, turn_costs
        cost = {"total_cost_usd": own.total_cost_usd, "usage": own.usage.model_dump()} if manual else {}
        summary = response.to_message().text or "(no summary)"
        messages = compactor.compacted(summary, kept)
        if self.opts.parent is None:  # Claude Code's SessionStart "compact": its output joins the new history
            start = await self._hook("SessionStart", source="compact", model=self.chain[0].info.id)
            if start.additional_context and messages:
                messages[0].content.append(TextBlock(text=start.additional_context))
        pre_tokens = self._context_tokens
        session.state.messages = messages
        session.record(
            "compaction",
            trigger=trigger,
            pre_tokens=pre_tokens,
            summarised_messages=len(older),
            kept_messages=len(kept),
            summary=summary,
            messages=[m.model_dump(mode="json", exclude_none=True) for m in messages],
            **cost,
        )
        if cost:
            session.state.count_result(cost["total_cost_usd"], cost["usage"])
        self._context_tokens = 0
        self._emit("compaction", trigger=trigger, pre_tokens=pre_tokens)
        boundary = {"trigger": trigger, "pre_tokens": pre_tokens}
        self.renderer.system(
            {"subtype": "compact_boundary", "compact_metadata": boundary, "session_id": session.id}
        )
        await self._hook("PostCompact", trigger=trigger, compact_summary=summary)
        return True
