"""One session's telemetry: runtime events in, OpenTelemetry spans, metrics and log events out.

Everything here runs on the loop's thread and only records: the SDK's batch processors and periodic
metric reader export from their own daemon threads, so a collector that is slow, down or refusing
never holds up a turn. The final flush at the end of the session is bounded by
``TelemetryConfig.flush_timeout`` (2 s by default) however the collector behaves.

Spans follow the OpenTelemetry GenAI semantic conventions where they define a name (``chat <model>``,
``execute_tool <tool>``, ``gen_ai.*`` attributes); claw's own attributes are ``claw.*``. Spans of things
that already finished when their event arrives (a model request, a tool call, a hook) are recorded with
their real start time (the event's ``duration_ms`` before it).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

import claw

from claw_otlp._config import TelemetryConfig
from claw_otlp._exporters import exporters

if TYPE_CHECKING:
    from claw import RuntimeEvent

_OTEL_LOGGER = "opentelemetry"


class _Warner(logging.Handler):
    """Turns the SDK's export complaints (connection refused, timeouts, HTTP 500) into a single claw
    warning per session; the SDK would otherwise log one per batch and retry."""

    def __init__(self, where: str) -> None:
        super().__init__(logging.WARNING)
        self.where = where
        #: Set once a problem was reported: the final flush then stops waiting for a collector that failed.
        self.failed = threading.Event()
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        self.warn(record.getMessage().splitlines()[0][:300])

    def warn(self, problem: str) -> None:
        with self._lock:
            if self.failed.is_set():
                return
            self.failed.set()
        claw.warn(
            f"telemetry to {self.where}: {problem}; the session goes on (no further telemetry warnings)",
            once=False,
        )


def _quiet_sdk() -> logging.Logger:
    """The SDK's logger, kept from printing on its own (claw reports through :class:`_Warner`)."""
    logger = logging.getLogger(_OTEL_LOGGER)
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return logger


def _ns(seconds: float) -> int:
    return int(seconds * 1e9)


def _clean(attributes: dict[str, Any]) -> dict[str, Any]:
    """OpenTelemetry attributes cannot be ``None``."""
    return {k: v for k, v in attributes.items() if v is not None}


class Telemetry:
    """The providers, instruments and open spans of one session."""

    def __init__(self, config: TelemetryConfig, session_id: str) -> None:
        from opentelemetry.sdk.resources import Resource

        self.config = config
        self.session_id = session_id
        where = ", ".join(sorted({t.describe() for t in config.targets.values()}))
        self.warner = _Warner(where)
        self._sdk_logger = _quiet_sdk()
        self._sdk_logger.addHandler(self.warner)
        resource = Resource.create(
            {
                **config.resource,
                "service.name": config.service_name,
                **({"service.version": config.service_version} if config.service_version else {}),
            }
        )
        made = exporters(config.targets)
        self._providers: list[Any] = []
        self._tracer = self._traces(resource, made.get("traces"))
        self._meter = self._metrics(resource, made.get("metrics"))
        self._logger = self._logs(resource, made.get("logs"))
        self._instruments()
        self._session_span: Any = None
        self._turn_span: Any = None
        #: ``api_retry`` events of the request in flight (its span is made when it ends).
        self._retries: list[tuple[float, dict[str, Any]]] = []
        #: tool_use_id -> (decision, who decided), until the call's ``tool_call`` event.
        self._decisions: dict[str, tuple[str, str]] = {}
        self._closed = False

    # -- providers -------------------------------------------------------------------------------

    def _traces(self, resource: Any, exporter: Any) -> Any:
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        if exporter is None:
            return trace.NoOpTracer()
        provider = TracerProvider(resource=resource, shutdown_on_exit=False)
        provider.add_span_processor(BatchSpanProcessor(exporter))
        self._providers.append(provider)
        return provider.get_tracer("claw")

    def _metrics(self, resource: Any, exporter: Any) -> Any:
        from opentelemetry.metrics import NoOpMeter
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

        if exporter is None:
            return NoOpMeter("claw")
        reader = PeriodicExportingMetricReader(
            exporter, export_interval_millis=self.config.metric_interval_ms
        )
        provider = MeterProvider(resource=resource, metric_readers=[reader], shutdown_on_exit=False)
        self._providers.append(provider)
        return provider.get_meter("claw")

    def _logs(self, resource: Any, exporter: Any) -> Any:
        from opentelemetry.sdk._logs import LoggerProvider
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor

        if exporter is None:
            return None
        provider = LoggerProvider(resource=resource, shutdown_on_exit=False)
        provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
        self._providers.append(provider)
        return provider.get_logger("claw")

    def _instruments(self) -> None:
        """Metric names follow Claude Code's (``claude_code.token.usage`` -> ``claw.token.usage``) and
        the GenAI conventions' latency histograms."""
        m = self._meter
        self.m_sessions = m.create_counter("claw.session.count", "1", "Sessions started")
        self.m_tokens = m.create_counter("claw.token.usage", "tokens", "Tokens used, by type and model")
        self.m_cost = m.create_counter("claw.cost.usage", "USD", "Cost of the model requests")
        self.m_tools = m.create_counter("claw.tool.call.count", "1", "Tool calls run")
        self.m_decisions = m.create_counter("claw.tool.decision", "1", "Permission decisions on tool calls")
        self.m_errors = m.create_counter("claw.api.error.count", "1", "Model requests that failed")
        self.m_retries = m.create_counter("claw.api.retry.count", "1", "Model request attempts retried")
        self.m_lines = m.create_counter("claw.lines_of_code.count", "1", "Lines added and removed by tools")
        self.m_duration = m.create_histogram(
            "gen_ai.client.operation.duration", "s", "Duration of model requests"
        )
        self.m_ttft = m.create_histogram("gen_ai.server.time_to_first_token", "s", "Time to first token")

    # -- events ----------------------------------------------------------------------------------

    def handle(self, event: RuntimeEvent) -> None:
        handler = getattr(self, f"_on_{event.type}", None)
        if handler is not None and not self._closed:
            handler(event, event.data)

    def _context(self) -> Any:
        from opentelemetry import trace

        span = self._turn_span or self._session_span
        return trace.set_span_in_context(span) if span is not None else None

    def _log(
        self, name: str, event: RuntimeEvent, attributes: dict[str, Any], *, error: bool = False
    ) -> None:
        if self._logger is None:
            return
        from opentelemetry._logs import SeverityNumber

        self._logger.emit(
            timestamp=_ns(event.ts),
            context=self._context(),
            event_name=name,
            body=name,
            severity_number=SeverityNumber.ERROR if error else SeverityNumber.INFO,
            attributes=_clean({"session.id": self.session_id, "event.name": name, **attributes}),
        )

    def _finished_span(
        self, name: str, event: RuntimeEvent, attributes: dict[str, Any], *, kind: Any = None
    ) -> Any:
        """A span for something that took ``duration_ms`` and ended when ``event`` was sent."""
        from opentelemetry.trace import SpanKind

        end = _ns(event.ts)
        start = end - int(float(event.data.get("duration_ms") or 0) * 1e6)
        span = self._tracer.start_span(
            name,
            context=self._context(),
            kind=kind or SpanKind.INTERNAL,
            attributes=_clean(attributes),
            start_time=start,
        )
        return span, end

    def _on_session_start(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        parent = None
        if self.config.traceparent:
            parent = TraceContextTextMapPropagator().extract({"traceparent": self.config.traceparent})
        self._session_span = self._tracer.start_span(
            "claw.session",
            context=parent,
            start_time=_ns(event.ts),
            attributes=_clean(
                {
                    "session.id": self.session_id,
                    "gen_ai.conversation.id": self.session_id,
                    "claw.model": data.get("model"),
                    "claw.session.source": data.get("source"),
                }
            ),
        )
        self.m_sessions.add(1, {"session.id": self.session_id})

    def _on_turn_start(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        prompt = data.get("prompt") if self.config.log_user_prompts else None
        attributes = {"claw.prompt.length": data.get("prompt_length"), "claw.prompt": prompt}
        self._turn_span = self._tracer.start_span(
            "claw.turn", context=self._context(), start_time=_ns(event.ts), attributes=_clean(attributes)
        )
        if not data.get("notice"):  # a turn an idle UI started for background news: nobody's prompt
            self._log(
                "claw.user_prompt", event, {"prompt_length": data.get("prompt_length"), "prompt": prompt}
            )

    def _on_turn_end(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        span, self._turn_span = self._turn_span, None
        if span is None:
            return
        from opentelemetry.trace import Status, StatusCode

        span.set_attributes(
            _clean(
                {
                    "claw.turn.result": data.get("subtype"),
                    "claw.turn.requests": data.get("num_turns"),
                    "claw.turn.stop_reason": data.get("stop_reason"),
                    "claw.cost_usd": data.get("total_cost_usd"),
                }
            )
        )
        if data.get("is_error"):
            span.set_status(Status(StatusCode.ERROR, data.get("subtype")))
        span.end(_ns(event.ts))

    def _request_attributes(self, data: dict[str, Any]) -> dict[str, Any]:
        provider = data.get("provider") or str(data.get("model", "")).partition("/")[0]
        return {
            "gen_ai.operation.name": "chat",
            "gen_ai.system": provider,
            "gen_ai.provider.name": provider,
            "gen_ai.request.model": data.get("request_model") or data.get("model"),
            "claw.model": data.get("model"),
        }

    def _request_span(self, event: RuntimeEvent, attributes: dict[str, Any]) -> tuple[Any, int]:
        from opentelemetry.trace import SpanKind

        span, end = self._finished_span(
            f"chat {attributes['gen_ai.request.model']}", event, attributes, kind=SpanKind.CLIENT
        )
        for ts, retry in self._retries:
            span.add_event("api_retry", _clean(retry), _ns(ts))
        self._retries = []
        return span, end

    def _on_model_response(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        base = self._request_attributes(data)
        cached, created = data.get("cache_read_input_tokens", 0), data.get("cache_creation_input_tokens", 0)
        ttft = data.get("ttft_ms")
        span, end = self._request_span(
            event,
            {
                **base,
                "gen_ai.response.model": data.get("response_model") or None,
                "gen_ai.response.id": data.get("response_id") or None,
                "gen_ai.response.finish_reasons": [data["stop_reason"]] if data.get("stop_reason") else None,
                # The conventions count cached tokens in input_tokens and report them apart as well.
                "gen_ai.usage.input_tokens": data.get("input_tokens", 0) + cached + created,
                "gen_ai.usage.output_tokens": data.get("output_tokens", 0),
                "gen_ai.usage.cache_read.input_tokens": cached,
                "gen_ai.usage.cache_creation.input_tokens": created,
                "gen_ai.server.time_to_first_token": ttft / 1000 if ttft is not None else None,
                "claw.cost_usd": data.get("cost_usd"),
                "claw.request.purpose": data.get("purpose"),
            },
        )
        span.end(end)
        model = {"model": data.get("model"), "session.id": self.session_id}
        for kind, key in (
            ("input", "input_tokens"),
            ("output", "output_tokens"),
            ("cacheRead", "cache_read_input_tokens"),
            ("cacheCreation", "cache_creation_input_tokens"),
        ):
            if data.get(key):
                self.m_tokens.add(data[key], {**model, "type": kind})
        if data.get("cost_usd"):
            self.m_cost.add(data["cost_usd"], model)
        histogram = {k: base[k] for k in ("gen_ai.operation.name", "gen_ai.system", "gen_ai.request.model")}
        self.m_duration.record(float(data.get("duration_ms") or 0) / 1000, _clean(histogram))
        if ttft is not None:
            self.m_ttft.record(ttft / 1000, _clean(histogram))
        self._log(
            "claw.api_request",
            event,
            {
                "model": data.get("model"),
                "input_tokens": data.get("input_tokens"),
                "output_tokens": data.get("output_tokens"),
                "cache_read_tokens": cached,
                "cache_creation_tokens": created,
                "cost_usd": data.get("cost_usd"),
                "duration_ms": data.get("duration_ms"),
            },
        )

    def _on_api_retry(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        retry = {"attempt": data.get("attempt"), "http.response.status_code": data.get("status")}
        self._retries.append((event.ts, {**retry, "error.type": data.get("error")}))
        self.m_retries.add(1, _clean({"model": data.get("model"), "session.id": self.session_id, **retry}))

    def _on_api_error(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        from opentelemetry.trace import Status, StatusCode

        error = {"error.type": data.get("error"), "http.response.status_code": data.get("status")}
        span, end = self._request_span(event, {**self._request_attributes(data), **error})
        span.set_status(Status(StatusCode.ERROR, str(data.get("error"))))
        span.end(end)
        self.m_errors.add(1, _clean({"model": data.get("model"), "session.id": self.session_id, **error}))
        self._log(
            "claw.api_error",
            event,
            {"model": data.get("model"), "status_code": data.get("status"), "error": data.get("error")},
            error=True,
        )

    def _on_permission_decision(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        decision, source = str(data.get("decision")), str(data.get("source"))
        attributes = {"tool_name": data.get("tool_name"), "decision": decision, "source": source}
        self.m_decisions.add(1, _clean({**attributes, "session.id": self.session_id}))
        self._log("claw.tool_decision", event, attributes)
        if decision == "allow":
            self._decisions[str(data.get("tool_use_id"))] = (decision, source)
            return
        span, end = self._finished_span(
            f"execute_tool {data.get('tool_name')}", event, self._tool_attributes(data, decision, source)
        )
        span.end(end)

    def _tool_attributes(self, data: dict[str, Any], decision: str, source: str) -> dict[str, Any]:
        name = str(data.get("tool_name"))
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": name,
            "gen_ai.tool.call.id": data.get("tool_use_id"),
            "claw.tool.decision": decision,
            "claw.tool.decision.source": source,
        }
        if name.startswith("mcp__"):  # an MCP call: mcp__<server>__<tool>
            server, _, tool = name[len("mcp__") :].partition("__")
            attributes.update(
                {"mcp.server.name": server, "mcp.tool.name": tool, "mcp.method.name": "tools/call"}
            )
        return attributes

    def _on_tool_call(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        from opentelemetry.trace import Status, StatusCode

        decision, source = self._decisions.pop(str(data.get("tool_use_id")), ("allow", ""))
        details = self.config.log_tool_details
        attributes = self._tool_attributes(data, decision, source)
        if details:
            attributes["claw.tool.input"] = _json(data.get("tool_input"))
        failed = bool(data.get("is_error"))
        if failed:
            attributes["error.type"] = "tool_error"
        span, end = self._finished_span(f"execute_tool {data.get('tool_name')}", event, attributes)
        if failed:
            span.set_status(Status(StatusCode.ERROR, str(data.get("error")) if details else "tool error"))
        span.end(end)
        tool = {"tool_name": data.get("tool_name"), "session.id": self.session_id}
        self.m_tools.add(1, {**tool, "success": not failed})
        for kind, count in lines_changed(data.get("tool_response") or {}).items():
            if count:
                self.m_lines.add(count, {**tool, "type": kind})
        self._log(
            "claw.tool_result",
            event,
            {
                "tool_name": data.get("tool_name"),
                "success": not failed,
                "duration_ms": data.get("duration_ms"),
                "decision": decision,
                "source": source,
                "tool_input": attributes.get("claw.tool.input"),
            },
        )

    def _on_hook_run(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        from opentelemetry.trace import Status, StatusCode

        attributes = {
            "claw.hook.event": data.get("event"),
            "claw.hook.kind": data.get("kind"),
            "claw.hook.source": data.get("source"),
            "claw.hook.outcome": data.get("outcome"),
            "claw.hook.exit_code": data.get("exit_code"),
            # A command line may carry a token: only with OTEL_LOG_TOOL_DETAILS=1.
            "claw.hook.command": data.get("hook") if self.config.log_tool_details else None,
        }
        span, end = self._finished_span(f"hook {data.get('event')}", event, attributes)
        if data.get("error") or data.get("outcome") == "timeout":
            span.set_status(Status(StatusCode.ERROR, str(data.get("outcome"))))
        span.end(end)

    def _on_compaction(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        attributes = {"trigger": data.get("trigger"), "pre_tokens": data.get("pre_tokens")}
        span = self._turn_span or self._session_span
        if span is not None:
            span.add_event("compaction", _clean(attributes), _ns(event.ts))
        self._log("claw.compaction", event, attributes)

    def _on_model_switch(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        span = self._turn_span or self._session_span
        if span is not None:
            span.add_event(
                "model_switch", _clean({"from": data.get("from"), "to": data.get("to")}), _ns(event.ts)
            )

    def _on_session_end(self, event: RuntimeEvent, data: dict[str, Any]) -> None:
        end = _ns(event.ts)
        if self._turn_span is not None:  # a turn cut short (Ctrl-C)
            self._turn_span.end(end)
            self._turn_span = None
        if self._session_span is not None:
            self._session_span.set_attribute("claw.session.end_reason", str(data.get("reason")))
            self._session_span.end(end)
        self.shutdown()

    # -- trace context and the end -----------------------------------------------------------------

    def traceparent(self) -> str | None:
        """The W3C ``traceparent`` of the current turn (else the session): what a sub-agent or a
        background task started now should carry so its spans join this trace."""
        span = self._turn_span or self._session_span
        if span is None:
            return None
        ctx = span.get_span_context()
        if not ctx.is_valid:
            return None
        return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{int(ctx.trace_flags):02x}"

    def shutdown(self) -> None:
        """Flush and stop every provider, waiting at most ``flush_timeout`` seconds in all, and not at
        all once an export has failed (the collector is down or refusing: waiting would only delay the
        exit); what is not sent by then is dropped. The export threads are daemons: they never keep the
        process alive."""
        if self._closed:
            return
        self._closed = True
        threads = [
            threading.Thread(target=_shutdown, args=(p,), name="claw-otlp-flush", daemon=True)
            for p in self._providers
        ]
        for t in threads:
            t.start()
        import time

        deadline = time.monotonic() + self.config.flush_timeout
        while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
            if self.warner.failed.wait(0.01):
                break
        if any(t.is_alive() for t in threads):
            self.warner.warn(
                f"the final export did not finish within {self.config.flush_timeout:g}s; the rest is dropped"
            )
        self._sdk_logger.removeHandler(self.warner)


def _shutdown(provider: Any) -> None:
    try:
        provider.shutdown()
    except Exception as exc:  # the SDK's own failure must not reach the user as a traceback
        logging.getLogger(_OTEL_LOGGER).warning("shutting down failed: %s", exc)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, default=str, ensure_ascii=False)


def lines_changed(data: dict[str, Any]) -> dict[str, int]:
    """Lines ``added``/``removed`` by a file-editing tool, from its result's data (the ``tool_call``
    event's ``tool_response``: Claude Code's ``structuredPatch`` hunks, or a new file's ``content``), for
    ``claw.lines_of_code.count``; empty for other tools."""
    patch = data.get("structuredPatch")
    if not isinstance(patch, list):
        return {}
    added = removed = 0
    for hunk in patch:
        for line in hunk.get("lines", []) if isinstance(hunk, dict) else []:
            if isinstance(line, str) and line.startswith("+"):
                added += 1
            elif isinstance(line, str) and line.startswith("-"):
                removed += 1
    content = data.get("content")
    if data.get("type") == "create" and isinstance(content, str):
        added = len(content.splitlines())
    return {"added": added, "removed": removed}
