"""End to end: ``claw -p`` sessions (the scripted model, a tool call, a retried 500) exporting to real
OTLP receivers started here, over gRPC and OTLP/HTTP protobuf."""

from __future__ import annotations

from claw.testing.script import Reply, Text
from otlp_support import API_KEY, PROMPT, TOOL_SECRET, attributes, otlp_env


def test_session_exports_linked_spans_metrics_and_events(session, receiver):
    result, _ = session(otlp_env(receiver))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "a pincer is a claw"
    assert "telemetry" not in result.stderr

    spans = receiver.spans()
    by_name: dict[str, list] = {}
    for span in spans:
        by_name.setdefault(span.name, []).append(span)
    (root,) = by_name["claw.session"]
    (turn,) = by_name["claw.turn"]
    chats = sorted(by_name["chat default"], key=lambda s: s.start_time_unix_nano)
    (tool,) = by_name["execute_tool Lookup"]
    assert len(chats) == 2
    assert {s.trace_id for s in spans} == {root.trace_id}
    assert root.parent_span_id == b""
    assert turn.parent_span_id == root.span_id
    assert all(s.parent_span_id == turn.span_id for s in [*chats, tool])
    assert root.start_time_unix_nano <= turn.start_time_unix_nano <= chats[0].start_time_unix_nano
    assert chats[0].end_time_unix_nano <= tool.start_time_unix_nano <= tool.end_time_unix_nano
    assert tool.end_time_unix_nano <= chats[1].end_time_unix_nano <= turn.end_time_unix_nano

    first, second = attributes(chats[0]), attributes(chats[1])
    assert first["gen_ai.system"] == "scripted"
    assert first["gen_ai.request.model"] == "default"
    assert first["gen_ai.operation.name"] == "chat"
    assert first["gen_ai.usage.input_tokens"] == 10 and first["gen_ai.usage.output_tokens"] == 5
    assert first["gen_ai.usage.cache_read.input_tokens"] == 0
    assert first["gen_ai.response.finish_reasons"].values[0].string_value == "tool_use"
    assert first["gen_ai.server.time_to_first_token"] > 0
    assert [e.name for e in chats[0].events] == []
    assert [e.name for e in chats[1].events] == ["api_retry"]
    assert attributes(chats[1].events[0])["http.response.status_code"] == 500
    assert second["gen_ai.response.finish_reasons"].values[0].string_value == "end_turn"

    tool_attrs = attributes(tool)
    assert tool_attrs["gen_ai.tool.name"] == "Lookup"
    assert tool_attrs["claw.tool.decision"] == "allow" and tool_attrs["claw.tool.decision.source"]
    assert "claw.tool.input" not in tool_attrs
    assert attributes(turn)["claw.turn.result"] == "success"
    assert "claw.prompt" not in attributes(turn)

    resource = receiver.resources()[0]
    assert resource["service.name"] == "claw-ci"
    assert resource["deployment.environment"] == "ci" and resource["team"] == "agents"

    metrics = receiver.metrics()
    tokens = {
        (attributes(p)["type"], attributes(p)["model"]): p.as_int
        for m in metrics["claw.token.usage"]
        for p in m.sum.data_points
    }
    assert tokens[("input", "scripted/default")] == 20
    assert tokens[("output", "scripted/default")] == 10
    retries = [p for m in metrics["claw.api.retry.count"] for p in m.sum.data_points]
    assert [(attributes(p)["http.response.status_code"], p.as_int) for p in retries] == [(500, 1)]
    calls = [p for m in metrics["claw.tool.call.count"] for p in m.sum.data_points]
    assert [(attributes(p)["tool_name"], attributes(p)["success"], p.as_int) for p in calls] == [
        ("Lookup", True, 1)
    ]
    durations = [p for m in metrics["gen_ai.client.operation.duration"] for p in m.histogram.data_points]
    assert sum(p.count for p in durations) == 2
    assert sum(p.as_int for m in metrics["claw.session.count"] for p in m.sum.data_points) == 1

    logs = receiver.logs()
    names = [r.event_name for r in logs]
    assert names.count("claw.user_prompt") == 1
    assert names.count("claw.tool_decision") == 1
    assert names.count("claw.api_request") == 2
    prompt_event = next(r for r in logs if r.event_name == "claw.user_prompt")
    assert attributes(prompt_event)["prompt_length"] == len(PROMPT)
    assert "prompt" not in attributes(prompt_event)
    assert prompt_event.trace_id == root.trace_id and prompt_event.span_id == turn.span_id


NOTICE_FRONT_END = """
import asyncio
import claw


@claw.hookimpl
def claw_interactive(context, options, initial):
    async def woken():
        loop = context.agent_loop(options, context.renderer())
        await loop.start()
        try:
            await loop.run_prompt(initial)
            await loop.run_notices(["<task-notification>a job ended</task-notification>"])
        finally:
            await loop.close("prompt_input_exit")
        return 0

    return asyncio.run(woken())
"""


def test_a_turn_for_notices_is_a_turn_but_no_user_prompt(claw, scripted, plugin_module, http_receiver):
    # A front end waking the model for background news (AgentLoop.run_notices): as in Claude Code, that
    # is no user prompt.
    plugin_module("otlp_notice_front_end", NOTICE_FRONT_END)
    http_receiver.protocol = "http/protobuf"
    scripted.script(Reply(Text("started")), Reply(Text("noted")))
    claw.env.update({**otlp_env(http_receiver), "CLAW_DISABLE_PLUGINS": "tui"})
    result = claw.subprocess("--repl", PROMPT, "--model", "scripted/default", timeout=60)
    assert result.exit_code == 0, result.stderr
    assert [s.name for s in http_receiver.spans()].count("claw.turn") == 2
    assert [r.event_name for r in http_receiver.logs()].count("claw.user_prompt") == 1


def test_nothing_secret_reaches_the_collector(session, receiver, tmp_path):
    # Defaults: no prompt text, tool input, file contents or API key anywhere in the received bytes.
    result, _ = session(otlp_env(receiver))
    assert result.exit_code == 0, result.stderr
    received = receiver.everything()
    assert receiver.count >= 3 and b"claw.session" in received  # the search below looks at real data
    for secret in (PROMPT, "PROMPT-SECRET", TOOL_SECRET, "FILE-CONTENT-SECRET", API_KEY, "API-KEY-SECRET"):
        assert secret.encode() not in received, secret


def test_prompts_and_tool_details_are_exported_when_switched_on(session, http_receiver):
    http_receiver.protocol = "http/protobuf"
    env = {**otlp_env(http_receiver), "OTEL_LOG_USER_PROMPTS": "1", "OTEL_LOG_TOOL_DETAILS": "1"}
    result, _ = session(env)
    assert result.exit_code == 0, result.stderr
    turn = next(s for s in http_receiver.spans() if s.name == "claw.turn")
    assert attributes(turn)["claw.prompt"] == PROMPT
    tool = next(s for s in http_receiver.spans() if s.name == "execute_tool Lookup")
    assert TOOL_SECRET in attributes(tool)["claw.tool.input"]
    assert API_KEY.encode() not in http_receiver.everything()


def test_headers_service_version_and_the_seed_variables(session, grpc_receiver):
    env = {
        "CLAWD_OTLP_GRPC_ENDPOINT": grpc_receiver.url.removeprefix("http://"),
        "CLAWD_OTLP_GRPC_INSECURE": "true",
        "CLAWD_OTLP_GRPC_HEADERS": "x-team=agents,authorization=Bearer%20tok-1",
        "CLAWD_SERVICE_NAME": "claw-seed",
        "CLAWD_SERVICE_VERSION": "9.9.9",
    }
    result, _ = session(env)
    assert result.exit_code == 0, result.stderr
    assert grpc_receiver.requests["traces"] and grpc_receiver.requests["metrics"]
    assert all(
        h["x-team"] == "agents" and h["authorization"] == "Bearer tok-1" for h in grpc_receiver.headers
    )
    resource = grpc_receiver.resources()[0]
    assert resource["service.name"] == "claw-seed" and resource["service.version"] == "9.9.9"
    # The authorization header goes to the collector as a header, never into the data.
    assert all(b"tok-1" not in raw for raw in grpc_receiver.raw)


def test_settings_env_configures_telemetry_and_traceparent_joins_a_parent_trace(
    session, http_receiver, claw_env
):
    import json
    from pathlib import Path

    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(
        json.dumps(
            {"env": {"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_EXPORTER_OTLP_ENDPOINT": http_receiver.url}}
        )
    )
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    result, _ = session({"TRACEPARENT": parent})
    assert result.exit_code == 0, result.stderr
    root = next(s for s in http_receiver.spans() if s.name == "claw.session")
    assert root.trace_id.hex() == "0af7651916cd43dd8448eb211c80319c"
    assert root.parent_span_id.hex() == "b7ad6b7169203331"


def test_telemetry_is_off_unless_configured(session, http_receiver):
    result, _ = session({"CLAWD_UNRELATED": http_receiver.url})
    assert result.exit_code == 0, result.stderr
    result, _ = session(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": http_receiver.url, "CLAUDE_CODE_ENABLE_TELEMETRY": "0"}
    )
    assert result.exit_code == 0, result.stderr
    assert http_receiver.count == 0


def test_unsupported_protocol_is_one_warning_and_the_session_goes_on(session, http_receiver):
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": http_receiver.url, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}
    result, _ = session(env)
    assert result.exit_code == 0 and result.stdout.strip() == "a pincer is a claw"
    warnings = [line for line in result.stderr.splitlines() if "telemetry" in line]
    assert warnings == [
        "claw: warning: telemetry is off: OTEL_EXPORTER_OTLP_PROTOCOL=http/json is not supported "
        "(the OpenTelemetry Python SDK has no OTLP/JSON exporter); use grpc or http/protobuf"
    ]
    assert http_receiver.count == 0


def test_hooks_are_spans_without_their_command_lines(session, http_receiver, claw_env):
    import json
    from pathlib import Path

    http_receiver.protocol = "http/protobuf"
    hook = {"type": "command", "command": "echo HOOK-SECRET-5150 >/dev/null"}
    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"hooks": {"PreToolUse": [{"matcher": "Lookup", "hooks": [hook]}]}}))
    result, _ = session(otlp_env(http_receiver))
    assert result.exit_code == 0, result.stderr
    spans = http_receiver.spans()
    turn = next(s for s in spans if s.name == "claw.turn")
    (hook_span,) = [s for s in spans if s.name == "hook PreToolUse"]
    assert hook_span.parent_span_id == turn.span_id
    hook_attrs = attributes(hook_span)
    assert hook_attrs["claw.hook.kind"] == "command" and hook_attrs["claw.hook.exit_code"] == 0
    assert hook_attrs["claw.hook.outcome"] == "continue"
    tool = next(s for s in spans if s.name == "execute_tool Lookup")
    assert hook_span.end_time_unix_nano <= tool.end_time_unix_nano
    assert b"HOOK-SECRET" not in http_receiver.everything()


def test_a_failed_request_is_an_error_span_a_metric_and_an_event(session, grpc_receiver):
    from claw.testing.script import Fault

    grpc_receiver.protocol = "grpc"
    result, _ = session(otlp_env(grpc_receiver), steps=(Fault(400, message="bad request"),))
    assert result.exit_code == 1
    spans = grpc_receiver.spans()
    (chat,) = [s for s in spans if s.name == "chat default"]
    assert chat.status.code == chat.status.STATUS_CODE_ERROR
    assert attributes(chat)["http.response.status_code"] == 400
    turn = next(s for s in spans if s.name == "claw.turn")
    assert turn.status.code == turn.status.STATUS_CODE_ERROR
    assert attributes(turn)["claw.turn.result"] == "error_during_execution"
    errors = [p for m in grpc_receiver.metrics()["claw.api.error.count"] for p in m.sum.data_points]
    assert [(attributes(p)["http.response.status_code"], p.as_int) for p in errors] == [(400, 1)]
    (event,) = [r for r in grpc_receiver.logs() if r.event_name == "claw.api_error"]
    assert attributes(event)["status_code"] == 400


def test_compaction_is_a_span_event_and_a_log_event(session, http_receiver, claw_env):
    import json
    from pathlib import Path

    from claw.testing.script import Reply, Text, ToolCall, Usage

    http_receiver.protocol = "http/protobuf"
    settings = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"compaction": {"threshold": 0.0001, "keepRecentTurns": 1}}))
    steps = (
        Reply(ToolCall("Lookup", {"word": "x"}), usage=Usage(input_tokens=500)),
        Reply(ToolCall("Lookup", {"word": "y"}), usage=Usage(input_tokens=500)),
        Reply(Text("Summary: looked up x.")),
        Reply(Text("done"), usage=Usage(input_tokens=10)),
    )
    result, _ = session(otlp_env(http_receiver), steps=steps)
    assert result.exit_code == 0, result.stderr
    spans = http_receiver.spans()
    turn = next(s for s in spans if s.name == "claw.turn")
    assert [e.name for e in turn.events] == ["compaction"]
    assert attributes(turn.events[0])["trigger"] == "auto"
    purposes = [attributes(s)["claw.request.purpose"] for s in spans if s.name == "chat default"]
    assert sorted(purposes) == ["compaction", "turn", "turn", "turn"]
    assert [r.event_name for r in http_receiver.logs()].count("claw.compaction") == 1


PATCHING_TOOL = """
import claw


@claw.tool()
def Patch(path: str) -> claw.ToolResult:
    \"\"\"Pretend to edit a file, answering with Claude Code's structuredPatch.\"\"\"
    hunk = {"lines": [" keep", "-old", "+new", "+more"]}
    return claw.ToolResult(content="patched", data={"filePath": path, "structuredPatch": [hunk]})


@claw.hookimpl
def claw_register_tools(register):
    register(Patch)
"""


def test_a_file_edit_counts_its_lines_of_code(claw, scripted, plugin_module, http_receiver):
    from claw.testing.script import ToolCall

    plugin_module("otlp_patching_tool", PATCHING_TOOL)
    http_receiver.protocol = "http/protobuf"
    scripted.script(Reply(ToolCall("Patch", {"path": "a.py"})), Reply(Text("done")))
    claw.env.update(otlp_env(http_receiver))
    result = claw.subprocess(
        "-p", PROMPT, "--model", "scripted/default", "--permission-mode", "bypassPermissions", timeout=60
    )
    assert result.exit_code == 0, result.stderr
    lines = [p for m in http_receiver.metrics()["claw.lines_of_code.count"] for p in m.sum.data_points]
    assert {(attributes(p)["type"], attributes(p)["tool_name"], p.as_int) for p in lines} == {
        ("added", "Patch", 2),
        ("removed", "Patch", 1),
    }
