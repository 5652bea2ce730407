"""``Sleep`` (a bounded, cancellable wait) and ``AskUser`` (a question for the person at the keyboard)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import claw

#: The longest one Sleep call may wait.
MAX_SLEEP_MS = 300_000


class SleepTool(claw.Tool):
    spec = claw.ToolSpec(
        name="Sleep",
        description=(
            f"Wait for duration_ms milliseconds (at most {MAX_SLEEP_MS}), e.g. for a background job or a "
            "rate limit. Returns early if the user interrupts. Do not poll in a tight loop."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "duration_ms": {"type": "integer", "minimum": 1, "maximum": MAX_SLEEP_MS},
                "reason": {"type": "string", "description": "What you are waiting for."},
            },
            "required": ["duration_ms"],
            "additionalProperties": False,
        },
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        ms = input["duration_ms"]  # the kernel checked it against the schema (1 to MAX_SLEEP_MS)
        start = time.monotonic()
        end = start + ms / 1000
        # Polled, not awaited: ctx.cancelled may belong to another event loop.
        while (left := end - time.monotonic()) > 0:
            if ctx.cancelled.is_set():
                slept = time.monotonic() - start
                return claw.ToolResult(
                    content=f"Interrupted after {slept:.1f} s.",
                    is_error=True,
                    data={"slept_ms": int(slept * 1000)},
                )
            await asyncio.sleep(min(left, 0.05))
        return claw.ToolResult(content=f"Slept {ms / 1000:g} s.", data={"slept_ms": int(ms)})


class AskUserTool(claw.Tool):
    spec = claw.ToolSpec(
        name="AskUser",
        description=(
            "Ask the user a question and wait for the answer, when you cannot proceed without their "
            "decision. Offer options when the choices are known. In non-interactive runs nobody can answer: "
            "then decide yourself and say what you assumed."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "question": {"type": "string", "minLength": 1},
                "options": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Suggested answers.",
                },
            },
            "required": ["question"],
            "additionalProperties": False,
        },
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        question, options = input["question"], input.get("options")
        if not question.strip():
            raise claw.ToolError("question must not be blank")
        if ctx.ask is None:
            raise claw.ToolError(
                "no one can answer: this run is not interactive. Make a reasonable choice yourself and state the assumption."
            )
        answer = await ctx.ask(question, options or None)
        if answer is None:
            raise claw.ToolError(
                "the user gave no answer; make a reasonable choice yourself and state the assumption"
            )
        return claw.ToolResult(
            content=f"The user answered: {answer}", data={"question": question, "answer": answer}
        )
