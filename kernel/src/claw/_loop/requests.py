"""Model requests: one provider instance per provider, the request built for a route (tools, effort,
capabilities) and a call with its cost counted and reported."""

from __future__ import annotations

import time
from typing import Any

from claw import _routing as routing
from claw._errors import ApiError
from claw._loop.retry import ModelCaller, RetryPolicy
from claw._loop.tool_calls import ToolCalls
from claw._messages import ImageBlock, Message, TextBlock, ToolResultBlock
from claw._providers import ModelInfo, ModelRequest, ModelResponse
from claw._routing import Route

#: Output tokens a :attr:`claw.ToolContext.complete` answer may use (a page summary, a short verdict).
COMPLETE_MAX_TOKENS = 4096


class ModelRequests(ToolCalls):
    """Building, sending and accounting for the model requests of one session's loop."""

    def _provider(self, route: Route) -> Any:
        """The provider serving ``route``: one instance (one client) per provider for the session."""
        name = route.provider_cls.name
        if name not in self._providers:
            self._providers[name] = routing.instantiate(route.provider_cls, self.app.settings.data, self.env)
        return self._providers[name]

    def _caller(self, chain: list[Route], policy: RetryPolicy) -> ModelCaller:
        """A caller for ``chain`` that reports retries, switches and skipped fallbacks to this session."""
        return ModelCaller(chain, self._provider, policy, self._on_retry, self._on_switch, self._on_skip)

    async def _complete(self, model: str, system: str, prompt: str) -> str:
        """:attr:`claw.ToolContext.complete`: one request to ``model`` through the session's providers
        and retry policy (no fallback chain, no tools, no prompt cache); its cost is counted."""
        route = routing.resolve(model, self.app.providers)

        def build(r: Route) -> ModelRequest:
            info = self._info(r)
            return ModelRequest(
                model=info.id,
                info=info,
                system=[TextBlock(text=system)],
                messages=[Message.user(prompt)],
                max_tokens=min(COMPLETE_MAX_TOKENS, info.max_output_tokens),
                cache=False,
            )

        response, used = await self._caller([route], self.caller.policy).call(build, lambda _event: None)
        self.costs.add(self._info(used), response.usage)
        return response.to_message().text

    def _info(self, route: Route) -> ModelInfo:
        """What ``route``'s model can do, as its configured provider says (settings-declared models
        included), asked once per model."""
        described = self._described.get(route.address)
        if described is None:
            described = self._described[route.address] = route.described(self._provider(route))
        return described.info

    def _request(self, route: Route, messages: list[Message]) -> ModelRequest:
        info = self._info(route)
        if self.first_context:  # sent with every request, never stored (the first message is the user's)
            first = Message(role="user", content=[*self.first_context, *messages[0].content])
            messages = [first, *messages[1:]]
        specs = [t.spec for t in self._tool_list]
        images = any(_has_image(m.content) for m in messages)
        routing.check_capabilities(info, tools=bool(specs), images=images)
        return ModelRequest(
            model=info.id,
            info=info,
            system=self.system,
            messages=messages,
            tools=specs,
            max_tokens=min(info.max_output_tokens, 32_000),
            reasoning_effort=self.opts.reasoning_effort,
            metadata={"session_id": self.session.id if self.session else ""},
        )

    async def _call(self, messages: list[Message], *, shown: bool = True) -> tuple[ModelResponse, Route]:
        """One model request, offering the session's tools (a compaction's too); ``shown=False`` keeps its
        stream from the output (a compaction's summary is no answer)."""
        self._refresh_tools()
        self._emit("model_request", model=self.caller.route.address)
        show = self.renderer.stream_event if shown else None
        started = time.perf_counter()
        first: list[float] = []  # when the first stream event arrived (time to first token)

        def on_event(event: Any) -> None:
            if not first:
                first.append(time.perf_counter())
            if show is not None:
                show(event)

        try:
            response, route = await self.caller.call(lambda r: self._request(r, messages), on_event)
        except ApiError as exc:
            failed = self.caller.route
            self._emit(
                "api_error",
                model=failed.address,
                provider=failed.provider_cls.name,
                request_model=failed.info.id,
                status=exc.status_code,
                error=exc.kind,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            raise
        cost = self.costs.add(self._info(route), response.usage)
        if self._runtime_impls:
            u = response.usage
            self._emit(
                "model_response",
                model=route.address,
                provider=route.provider_cls.name,
                request_model=self._info(route).id,
                response_model=response.model,
                response_id=response.id,
                stop_reason=response.stop_reason,
                input_tokens=u.input_tokens,
                output_tokens=u.output_tokens,
                cache_read_input_tokens=u.cache_read_input_tokens,
                cache_creation_input_tokens=u.cache_creation_input_tokens,
                cost_usd=cost,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                ttft_ms=round((first[0] - started) * 1000, 2) if first else None,
                purpose="turn" if shown else "compaction",
            )
        return response, route


def _has_image(content: list[Any]) -> bool:
    """Whether ``content`` holds an image, also inside a tool result."""
    return any(
        isinstance(b, ImageBlock)
        or (isinstance(b, ToolResultBlock) and isinstance(b.content, list) and _has_image(b.content))
        for b in content
    )
