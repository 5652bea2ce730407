"""One prompt run to the end of its turn: the ``UserPromptSubmit`` hook, then model responses and their
tool calls until the model stops (and no ``Stop`` hook objects), a limit is reached or an API error ends
it; interruption, and repair of unanswered tool calls so the history stays valid."""

from __future__ import annotations

import asyncio
import re
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from claw import _console as console
from claw import _log as log
from claw._cost import CostTracker
from claw._errors import ApiError, ClawError, internal_error
from claw._events import HookOutcome
from claw._loop.compacting import Compacting
from claw._loop.options import Outcome
from claw._messages import ContentBlock, Message, TextBlock, ToolResultBlock, ToolUseBlock
from claw._output import shapes
from claw._plugins import disabled_builtin
from claw._providers import ModelResponse
from claw._session_context import slash_call
from claw._tools import StashKey

#: Forced continuations a Stop hook may cause per prompt before claw stops listening to it.
MAX_STOP_BLOCKS = 3
#: The running prompt's result fields (``claw_turn_continues``'s ``result``), where a built-in's tool adds.
RESULT_FIELDS = StashKey[dict[str, Any]]()


@dataclass
class _Tally:
    """How the running turn stands, for its result."""

    started: float
    api_before: float
    turns: int = 0
    subtype: str = "success"
    error: str | None = None
    api_status: int | None = None
    stop_reason: str | None = None
    stop_blocks: int = 0
    nudges: int = 0
    fields: dict[str, Any] = field(default_factory=dict)


class Turn(Compacting):
    """Prompts and turns of one session's loop."""

    def _user_message(self, content: list[ContentBlock], **fields: Any) -> None:
        """Add user content, merged into a trailing user message (after a repair or a stopped run)."""
        messages = self._session.messages
        if messages and messages[-1].role == "user":
            merged = Message(role="user", content=[*messages[-1].content, *content])
            messages.pop()
            self._session.add_message(merged, replaces_last=True, **fields)
        else:
            self._session.add_message(Message(role="user", content=content), **fields)

    async def run_prompt(self, prompt: str | list[ContentBlock]) -> Outcome:
        """Run one prompt to the end of its turn. A ``/name args`` prompt calls a slash command, which the
        dispatcher ``claw_slash_dispatcher`` answers runs (claw's ``slash_commands`` built-in).

        :raises ClawError: the command is unknown or failed, or no dispatcher is there to run it."""
        call = slash_call(prompt) if isinstance(prompt, str) else None
        if call is None:
            return await self._run_turn(prompt)
        dispatcher = self.app.pm.hook.claw_slash_dispatcher()
        if dispatcher is None:
            raise ClawError(f"/{call.name}: slash commands come with {disabled_builtin('slash_commands')}")
        return await dispatcher.prompt(self, prompt)

    async def run_notices(self, notices: list[str]) -> Outcome:
        """Run a turn whose user message is ``notices`` (:meth:`claw.SessionContext.take_notices`): an idle
        front end waking the model when background work ended. As in Claude Code it is no user prompt: no
        ``UserPromptSubmit``, the session records a ``notice`` (no ``prompt``); ``Stop`` and the rest fire."""
        return await self._run_turn([TextBlock(text="\n\n".join(notices))], notice=True)

    async def _run_turn(self, prompt: str | list[ContentBlock], notice: bool = False) -> Outcome:
        session = self._session
        tally = _Tally(started=time.perf_counter(), api_before=self.caller.api_seconds)
        self.costs = CostTracker(self.settings.model.prices)
        self.denials, self.finished = [], {}
        self.tool_stop = None  # a hook's ``continue: false`` stops the turn it came in, not the later ones
        self.tool_ctx.cancelled.clear()
        self.tool_ctx.stash[RESULT_FIELDS] = tally.fields
        text = (
            prompt if isinstance(prompt, str) else "".join(b.text for b in prompt if isinstance(b, TextBlock))
        )
        blocks: list[ContentBlock] = [TextBlock(text=prompt)] if isinstance(prompt, str) else list(prompt)
        self._emit("turn_start", prompt=text, prompt_length=len(text), notice=notice)

        interrupted = False
        self._turn = asyncio.current_task()  # set only while every await is inside the try
        try:
            if not await self._submit(tally, text, blocks, notice):
                return self._finish(tally)
            await self._steps(tally)
        except asyncio.CancelledError:
            self.tool_ctx.cancelled.set()
            self._close_dangling("interrupted by the user; the call may or may not have taken effect")
            session.record("interrupted")
            if not self._interrupted:  # Ctrl-C, SIGTERM: the caller's cancellation goes on
                raise
            assert self._turn is not None
            self._turn.uncancel()
            interrupted = True
            tally.subtype, tally.error = "error_during_execution", "interrupted by the user"
        except BrokenPipeError:  # stdout's reader is gone (`claw -p ... | head`): no bug, and nobody to
            # answer; the CLI frame ends the run quietly, as a closed pipe ends other commands
            self._close_dangling("the run's output was closed")
            session.record("output_closed")
            raise
        except Exception as exc:  # a bug (claw's or a plugin's): the turn still ends in a result, saved
            tally.subtype, tally.error = "error_during_execution", internal_error(exc)
            log.get_logger("claw._loop").debug("turn failed", exc_info=True)
            session.record("internal_error", error=tally.error, traceback=traceback.format_exc())
        finally:
            self._turn, self._interrupted = None, False
        if interrupted:  # as Claude Code: an error result, but the client asked for it
            return Outcome(self._finish(tally).result, 0)
        self._close_dangling(f"not run: {tally.error or 'the run stopped before this tool call'}")
        return self._finish(tally)

    async def _submit(self, tally: _Tally, text: str, blocks: list[ContentBlock], notice: bool) -> bool:
        """The ``UserPromptSubmit`` hook, then the prompt (with any context the hook added) into the
        history; returns ``False`` when the hook blocked the prompt."""
        if notice:
            self._user_message(blocks, notice=True)
            return True
        # A sub-agent's task is no user prompt (Claude Code fires SubagentStart for it instead).
        submitted = (
            await self._hook("UserPromptSubmit", prompt=text) if self.opts.parent is None else HookOutcome()
        )
        if submitted.action == "block" or not submitted.keep_going:
            why = submitted.reason or submitted.stop_reason
            tally.subtype = "error_during_execution"
            tally.error = "prompt blocked by a UserPromptSubmit hook" + (f": {why}" if why else "")
            self._session.record("prompt_blocked", prompt=text, reason=submitted.reason)
            return False
        if submitted.additional_context:
            blocks.append(TextBlock(text=submitted.additional_context))
        self._user_message(blocks, prompt=text)
        return True

    async def _steps(self, tally: _Tally) -> None:
        """Model responses and their tool calls until the turn ends (``tally`` says how)."""
        while True:
            if self.opts.max_turns is not None and tally.turns >= self.opts.max_turns:
                tally.subtype = "error_max_turns"
                tally.error = f"reached the maximum number of turns ({self.opts.max_turns})"
                return
            answer = await self._respond(tally)
            if answer is None:
                return
            response, message = answer
            uses = message.tool_uses
            if uses:
                results = await self._run_tools(uses)
                reply = Message(role="user", content=list(results))
                self._session.add_message(reply)
                self.renderer.user(reply)
            if not await self._goes_on(tally, response, uses):
                return

    async def _respond(self, tally: _Tally) -> tuple[ModelResponse, Message] | None:
        """The next model response, compacting first when the context is nearly full (or once more
        when the API says it overflowed), recorded and shown; ``None`` when an error ends the turn."""
        session = self._session
        try:
            self._deliver_notices()
            await self._maybe_compact()
            try:
                response, route = await self._call(session.messages)
            except ApiError as exc:
                # The context outgrew the window (a tool returned a lot): compact and try once more.
                if not _context_overflow(exc) or not await self.compact("auto"):
                    raise
                response, route = await self._call(session.messages)
        except ApiError as exc:
            tally.subtype, tally.error = "error_during_execution", _api_message(exc)
            tally.api_status = exc.status_code
            return None
        except ClawError as exc:  # a capability the primary lacks, no fallback able to serve
            tally.subtype, tally.error = "error_during_execution", str(exc)
            return None
        tally.turns += 1
        tally.stop_reason = response.stop_reason
        message = response.to_message()
        u = response.usage
        self._context_tokens = u.total_input_tokens + u.output_tokens
        kept: dict[str, Any] = {}  # what plugins keep with it (the prompt_cache built-in's ``cache``)
        for fields in self.app.pm.hook.claw_model_response(session=self._ctx, route=route, response=response):
            kept.update(fields or {})
        kept.update(model=route.address, usage=u.model_dump(), stop_reason=response.stop_reason)
        self._session.add_message(
            message, **{k: v for k, v in kept.items() if k not in ("type", "message", "sync")}
        )
        self.renderer.assistant(message, response)
        return response, message

    async def _goes_on(self, tally: _Tally, response: ModelResponse, uses: list[ToolUseBlock]) -> bool:
        """Whether the turn continues after ``response`` (and its tool calls): not past the budget or
        stopped by a hook; plugins may decide (``claw_turn_continues``); tool results go back to the
        model, a paused turn resumes, and a ``Stop`` hook may object to the end."""
        budget = self.opts.max_budget_usd
        if budget is not None and self.costs.total_cost_usd >= budget:
            tally.subtype = "error_max_budget_usd"
            tally.error = f"reached the budget of ${f'{budget:.6f}'.rstrip('0').rstrip('.')}"  # not $1e-05
            return False
        if self.tool_stop:
            tally.stop_reason = "hook_stop"
            console.warn(self.tool_stop, once=False)  # stopReason: for the user, as in Claude Code
            return False
        said = self.app.pm.hook.claw_turn_continues(
            session=self._ctx, response=response, result=tally.fields, nudges=tally.nudges
        )
        if isinstance(said, ClawError):
            tally.subtype, tally.error = "error_during_execution", str(said)
            return False
        if isinstance(said, str):
            tally.nudges += 1
            self._user_message([TextBlock(text=said)])
        if said is not None:
            return bool(said)
        if uses or response.stop_reason == "pause_turn":
            return True  # results go back to the model; a paused turn sent back lets the model go on
        if await self._background_news():
            return True  # background work ended with news: the model goes on with it
        last = self._session.messages[-1] if self._session.messages else None
        said = last.text if last is not None and last.role == "assistant" else ""
        fields = {"stop_hook_active": tally.stop_blocks > 0, "last_assistant_message": said}
        if self.opts.parent is None:
            stop = await self._hook("Stop", **fields)
        else:
            stop = await self._hook("SubagentStop", **fields, **self._subagent_fields())
        if stop.action == "block" and stop.keep_going and tally.stop_blocks < MAX_STOP_BLOCKS:
            tally.stop_blocks += 1
            self._user_message([TextBlock(text=stop.reason or "Continue.")], stop_hook=True)
            return True
        return False

    def _finish(self, tally: _Tally) -> Outcome:
        """The turn's result: shown, recorded, counted in the session's totals and reported."""
        session = self._session
        last = next((m for m in reversed(session.messages) if m.role == "assistant"), None)
        subtype, error = tally.subtype, tally.error
        is_error = subtype != "success"
        result_text = error if error and subtype == "error_during_execution" else (last.text if last else "")
        route = self.caller.route
        data = shapes.result(
            subtype=subtype,
            is_error=is_error,
            duration_ms=(time.perf_counter() - tally.started) * 1000,
            duration_api_ms=(self.caller.api_seconds - tally.api_before) * 1000,
            num_turns=tally.turns,
            result=result_text,
            session_id=session.id,
            stop_reason=tally.stop_reason,
            costs=self.costs,
            permission_denials=self.denials,
            cache_stats=session.state.cache.as_dict(),
            fields=tally.fields,
            api_error_status=tally.api_status,
            model=route.address if route is not self.chain[0] else None,
            error=error,
        )
        end = {"subtype": subtype, "is_error": is_error, "num_turns": tally.turns}
        end.update(total_cost_usd=data["total_cost_usd"], duration_ms=data["duration_ms"])
        session.record("result", **end, usage=data["usage"])
        session.state.count_result(data["total_cost_usd"], data["usage"])
        self._emit("turn_end", **end, stop_reason=tally.stop_reason, error=error)
        self.renderer.result(data)
        return Outcome(data, 1 if is_error else 0, error)

    def _deliver_notices(self) -> None:
        """Add what plugins asked to tell the model (:meth:`claw.SessionContext.notify`) to the
        request about to be sent (its last message is the user's: a prompt or tool results)."""
        notices = self._ctx.take_notices()
        if notices:
            self._user_message([TextBlock(text="\n\n".join(notices))], notice=True)

    async def _background_news(self) -> bool:
        """Whether the model, about to end its turn, has news to go on with: notices already queued,
        or, in a run without a person, those left by background work it waited for."""
        while not self.opts.interactive and self._ctx.background:
            await asyncio.gather(*self._ctx.background, return_exceptions=True)
        return self._ctx.has_notices

    def _subagent_fields(self) -> dict[str, Any]:
        """The fields of a sub-agent's ``SubagentStart``/``SubagentStop`` hook events: the parent's
        session and transcript (as Claude Code), the child's id, type and transcript."""
        parent = self.opts.parent
        assert parent is not None
        return {
            "session_id": parent.session_id,
            "transcript_path": parent.transcript_path,
            "agent_id": self._session.id,
            "agent_type": parent.agent_type,
            "agent_transcript_path": str(self._session.path or ""),
        }

    def interrupt(self) -> bool:
        """Stop the running turn at once (stream-json's ``interrupt``): unanswered tool calls are
        answered "not run", the turn ends with an ``error_during_execution`` result and the session
        stays ready for the next prompt. Returns whether a turn was running."""
        if self._turn is None or self._turn.done():
            return False
        self._interrupted = True
        self._turn.cancel()
        return True

    def _close_dangling(self, text: str) -> None:
        """Answer the last response's tool calls that did not finish so the next request is valid."""
        messages = self._session.messages
        uses = messages[-1].tool_uses if messages and messages[-1].role == "assistant" else []
        if uses:
            stopped = lambda u: ToolResultBlock(tool_use_id=u.id, content=text, is_error=True)  # noqa: E731
            reply = Message(role="user", content=[self.finished.get(u.id) or stopped(u) for u in uses])
            self._session.add_message(reply, repaired=True)
            self.renderer.user(reply)  # a client rebuilding the conversation sees every call answered


_OVERFLOW = re.compile(r"too long|context (length|window)|maximum context|too many (input )?tokens", re.I)


def _context_overflow(exc: ApiError) -> bool:
    """Whether the API refused the request for exceeding the model's context window."""
    return exc.status_code in (400, 413) and bool(_OVERFLOW.search(str(exc)))


def _api_message(exc: ApiError) -> str:
    """``anthropic API error 400: invalid_request_error: ...``: the provider and status said once (the
    wire's messages start with both, for the log lines that print them alone)."""
    status = f" {exc.status_code}" if exc.status_code else ""
    who = f"{exc.provider}" if exc.provider else "API"
    text = str(exc).removeprefix(f"{exc.provider}: ") if exc.provider else str(exc)
    return f"{who} API error{status}: {text.removeprefix(status.lstrip() + ' ') if status else text}"
