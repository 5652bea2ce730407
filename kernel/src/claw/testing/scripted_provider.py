"""``scripted``: a real :class:`claw.Provider` that plays :mod:`claw.testing.script` steps in-process.

Loop tests and benchmarks use it instead of a wire-level mock when the wire format is not what is
under test: it streams the same events a provider plugin yields and raises the same
:class:`claw.ApiError` for faults, with no sockets. Enable it with the ``scripted`` fixture (or load
this module as a plugin: ``CLAW_PLUGIN_MODULES=claw.testing.scripted_provider``) and address
``scripted/<model>``.

Where the steps come from, in order:

1. the JSON script file named by ``CLAW_SCRIPT`` (or settings ``providers.scripted.script``): step *n*
   answers the *n*-th request ever logged next to it (``<script>.log.jsonl``, one request per line),
   so consecutive runs, subprocesses included, continue the same script;
2. :data:`RESPONDER`, a function from the request to a step (in-process only: long sessions, benchmarks).

Models: ``default``, ``backup`` (for fallback chains), ``tiny`` (a 2,000-token window, for
compaction), ``notools``, ``noimages`` and ``effort`` (low/high only).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from claw import hookimpl
from claw._errors import ApiError
from claw._messages import TextBlock, ThinkingBlock, ToolUseBlock
from claw._messages import Usage as MsgUsage
from claw._providers import (
    CredentialStatus,
    ModelInfo,
    ModelRequest,
    ModelResponse,
    Pricing,
    Provider,
    ResponseComplete,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseStart,
)
from claw.testing.script import Fault, Reply, Step, Text, Thinking, ToolCall, Usage

#: In-process responder used when no script file is configured (or it is exhausted).
RESPONDER: Callable[[ModelRequest], Step] | None = None

_PRICE = Pricing(input=3.0, output=15.0)


def step_to_json(step: Step) -> dict[str, Any]:
    def reply(r: Reply) -> dict[str, Any]:
        blocks: list[dict[str, Any]] = []
        for b in r.blocks:
            if isinstance(b, Text):
                blocks.append({"text": b.text})
            elif isinstance(b, Thinking):
                blocks.append({"thinking": b.thinking, "signature": b.signature})
            else:
                blocks.append({"tool_call": {"name": b.name, "input": b.input, "id": b.id}})
        return {"blocks": blocks, "usage": vars(r.usage), "stop_reason": r.stop_reason, "model": r.model}

    if isinstance(step, Reply):
        return {"reply": reply(step)}
    data = {k: v for k, v in vars(step).items() if k != "reply"}
    data["reply"] = reply(step.reply) if step.reply else None
    return {"fault": data}


def step_from_json(data: dict[str, Any]) -> Step:
    def reply(d: dict[str, Any]) -> Reply:
        blocks: list[Text | Thinking | ToolCall] = []
        for b in d["blocks"]:
            if "text" in b:
                blocks.append(Text(b["text"]))
            elif "thinking" in b:
                blocks.append(Thinking(b["thinking"], b.get("signature", "")))
            else:
                blocks.append(ToolCall(**b["tool_call"]))
        return Reply(
            *blocks, usage=Usage(**d["usage"]), stop_reason=d.get("stop_reason"), model=d.get("model")
        )

    if "reply" in data:
        return reply(data["reply"])
    f = dict(data["fault"])
    f["reply"] = reply(f["reply"]) if f.get("reply") else None
    return Fault(**f)


def write_script(path: Path, steps: list[Step]) -> None:
    path.write_text(json.dumps([step_to_json(s) for s in steps]), encoding="utf-8")


class ScriptedProvider(Provider):
    name = "scripted"
    model_prefixes = ("scripted-",)

    @classmethod
    def models(cls) -> list[ModelInfo]:
        base = {
            "provider": cls.name,
            "pricing": _PRICE,
            "supports_images": True,
            "supports_prompt_cache": True,
        }
        return [
            ModelInfo(id="default", **base),
            ModelInfo(id="backup", **base),
            ModelInfo(id="tiny", **{**base, "context_window": 2000}),
            ModelInfo(id="notools", **{**base, "supports_tools": False}),
            ModelInfo(id="noimages", **{**base, "supports_images": False}),
            ModelInfo(id="effort", effort_levels=("low", "high"), **base),
        ]

    def credentials(self) -> CredentialStatus:
        return CredentialStatus(present=True, source="none needed")

    def _script_path(self) -> Path | None:
        value = self.settings.get("script") or self.env.get("CLAW_SCRIPT")
        return Path(value) if value else None

    def _next(self, request: ModelRequest) -> Step:
        path = self._script_path()
        index = 0
        if path is not None and path.exists():
            log = path.with_name(path.name + ".log.jsonl")
            index = sum(1 for _ in log.open("rb")) if log.exists() else 0
            with log.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(request.model_dump(mode="json")) + "\n")
            steps = json.loads(path.read_text(encoding="utf-8"))
            if index < len(steps):
                return step_from_json(steps[index])
        if RESPONDER is not None:
            return RESPONDER(request)
        raise ApiError(
            f"scripted provider: no step left for request #{index + 1}",
            status_code=400,
            kind="invalid_request",
            provider=self.name,
        )

    async def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        step = self._next(request)
        if isinstance(step, Fault) and step.kind == "status":
            raise ApiError.from_status(
                step.status,
                step.message,
                retry_after=step.retry_after,
                error_code=step.error_code,
                provider=self.name,
            )
        reply = step if isinstance(step, Reply) else (step.reply or Reply(Text("this reply is cut off")))
        events, content = _events(reply)
        for i, event in enumerate(events):
            if isinstance(step, Fault) and i == step.after_events:
                if step.kind == "stream_error":
                    raise ApiError.from_status(step.status, step.message, provider=self.name)
                if step.kind == "cut":
                    raise ApiError(
                        "stream ended before the response was complete",
                        retryable=True,
                        kind="server_error",
                        provider=self.name,
                    )
                await asyncio.sleep(step.seconds)
            yield event
        u = reply.usage
        yield ResponseComplete(
            response=ModelResponse(
                id="msg_scripted",
                model=reply.model or request.model,
                content=content,
                stop_reason=reply.stop_reason,  # type: ignore[arg-type]
                usage=MsgUsage(
                    input_tokens=u.input_tokens,
                    output_tokens=u.output_tokens,
                    cache_read_input_tokens=u.cache_read_input_tokens,
                    cache_creation_input_tokens=u.cache_creation_input_tokens,
                ),
            )
        )


def _events(reply: Reply) -> tuple[list[StreamEvent], list[Any]]:
    events: list[StreamEvent] = []
    content: list[Any] = []
    for i, b in enumerate(reply.blocks):
        if isinstance(b, Text):
            half = len(b.text) // 2
            events += [TextDelta(index=i, text=b.text[:half]), TextDelta(index=i, text=b.text[half:])]
            content.append(TextBlock(text=b.text))
        elif isinstance(b, Thinking):
            events.append(ThinkingDelta(index=i, thinking=b.thinking))
            content.append(ThinkingBlock(thinking=b.thinking, signature=b.signature))
        else:
            events += [
                ToolUseStart(index=i, id=b.id, name=b.name),
                ToolInputDelta(index=i, partial_json=json.dumps(b.input)),
            ]
            content.append(ToolUseBlock(id=b.id, name=b.name, input=b.input))
    return events, content


@hookimpl
def claw_register_providers(register: Callable[[type[Provider]], None]) -> None:
    register(ScriptedProvider)
