"""The agent loop through ``claw -p``, against the in-process scripted provider."""

from __future__ import annotations

import json

import pytest
from claw.testing.script import Fault, Reply, Text, ToolCall, Usage


def test_text_answer_streams_to_stdout(claw, loop_env):
    loop_env.script(Reply(Text("hello there")))
    res = claw("-p", "hi").assert_success()
    assert res.stdout == "hello there\n"
    req = loop_env.requests[0]
    assert req["model"] == "default"
    assert req["messages"] == [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]
    assert "You are claw" in req["system"][0]["text"]
    assert {t["name"] for t in req["tools"]} >= {"Echo", "Touch", "Boom", "Nap"}


def test_prompt_positional_and_stdin_are_joined(claw, loop_env):
    loop_env.script(Reply(Text("ok")))
    claw("-p", "explain this", input="some file content\n").assert_success()
    text = loop_env.requests[0]["messages"][0]["content"][0]["text"]
    assert text == "some file content\n\nexplain this"


def test_prompt_on_stdin_alone(claw, loop_env):
    loop_env.script(Reply(Text("ok")))
    claw("-p", input="from stdin").assert_success()
    assert loop_env.requests[0]["messages"][0]["content"][0]["text"] == "from stdin"


def test_prompt_without_p_runs_in_print_mode_off_a_terminal(claw, loop_env):
    loop_env.script(Reply(Text("ok")))
    assert claw("fix it").assert_success().stdout == "ok\n"


def test_command_like_words(claw, loop_env):
    loop_env.script(Reply(Text("about doctor")))
    assert claw("-p", "doctor").assert_success().stdout == "about doctor\n"  # with -p: a prompt
    claw("doctr").assert_failure(2, "did you mean 'doctor'?")  # a typo is not a paid request
    claw("fix", "it").assert_failure(2)


def test_no_prompt_with_p_is_a_usage_error(claw, loop_env):
    claw("-p").assert_failure(2, "no prompt")


def test_subcommands_still_work(claw, loop_env):
    claw("config", "show").assert_success()


def test_multi_turn_tool_calls_in_order_with_one_stash(claw, loop_env, workspace):
    loop_env.script(
        Reply(
            Text("let me look"),
            ToolCall("Echo", {"text": "a", "delay": 0.2}),
            ToolCall("Echo", {"text": "b"}),
        ),
        Reply(ToolCall("Echo", {"text": "c"})),
        Reply(Text("all done")),
    )
    res = claw("-p", "go", "--output-format", "json").assert_success()
    result = res.json()
    assert result["subtype"] == "success" and result["num_turns"] == 3 and result["result"] == "all done"
    assert "errors" not in result  # only on an error result, as Claude Code's
    second = loop_env.requests[1]["messages"]
    assert [m["role"] for m in second] == ["user", "assistant", "user"]
    results = second[2]["content"]
    assert [r["content"] for r in results] == ["echo: a #1", "echo: b #2"]  # order requested, not finished
    third = loop_env.requests[2]["messages"][-1]["content"][0]
    assert third["content"] == "echo: c #3"  # the stash lives for the whole session
    log = (workspace / "tools.log").read_text().splitlines()
    # read-only calls ran in parallel: both started before the slow one ended
    assert log[:2] == ["start a", "start b"] and log.index("end a") > log.index("end b")


def test_write_tools_run_in_order_between_reads(claw, loop_env, workspace):
    loop_env.script(
        Reply(
            ToolCall("Echo", {"text": "r1", "delay": 0.1}),
            ToolCall("Touch", {"name": "f.txt"}),
            ToolCall("Echo", {"text": "r2"}),
        ),
        Reply(Text("done")),
    )
    claw("-p", "go", "--dangerously-skip-permissions").assert_success()
    log = (workspace / "tools.log").read_text().splitlines()
    assert log == ["start r1", "end r1", "touch f.txt", "start r2", "end r2"]
    assert (workspace / "f.txt").read_text() == "touched"


def test_failing_and_unknown_tools_become_error_results(claw, loop_env):
    loop_env.script(Reply(ToolCall("Boom"), ToolCall("NoSuchTool", {})), Reply(Text("recovered")))
    res = claw("-p", "go", "--output-format", "json").assert_success()
    assert res.json()["result"] == "recovered"
    boom, unknown = loop_env.requests[1]["messages"][-1]["content"]
    assert boom["is_error"] and "kaboom" in boom["content"]
    assert unknown["is_error"] and "Unknown tool: NoSuchTool" in unknown["content"]


def test_permission_denial_is_reported_and_the_loop_goes_on(claw, loop_env, workspace, session_events):
    loop_env.script(Reply(ToolCall("Touch", {"name": "x"}, id="toolu_x")), Reply(Text("understood")))
    res = claw("-p", "go", "--output-format", "json").assert_success()
    result = res.json()
    assert result["permission_denials"] == [
        {"tool_name": "Touch", "tool_use_id": "toolu_x", "tool_input": {"name": "x"}}
    ]
    denied = loop_env.requests[1]["messages"][-1]["content"][0]
    assert denied["is_error"] and not (workspace / "x").exists()
    events = session_events(result["session_id"])
    perm = [e for e in events if e["type"] == "permission"]
    assert perm and perm[0]["decision"] == "deny"


def test_disallowed_tool_is_hidden_and_tools_flag_restricts(claw, loop_env):
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    claw("-p", "x", "--disallowedTools", "Boom").assert_success()
    assert "Boom" not in {t["name"] for t in loop_env.requests[0]["tools"]}
    claw("-p", "x", "--tools", "Echo,Nap").assert_success()
    assert {t["name"] for t in loop_env.requests[1]["tools"]} == {"Echo", "Nap"}


def test_allowed_tools_takes_the_rules_that_follow_as_claude_code_does(claw, loop_env, workspace):
    """Claude Code's ``--allowedTools``/``--disallowedTools`` take several words (``--allowedTools
    "Bash(git log *)" Read``, docs/cli.md's example); claw took one and stopped with "unexpected
    argument(s) after the prompt: Read". The words that read as rules join the value; a prompt with
    spaces (or an option) ends it."""
    loop_env.script(
        Reply(ToolCall("Touch", {"name": "x"}), ToolCall("Touch", {"name": "y"})),
        Reply(Text("done")),
        Reply(Text("again")),
    )
    res = claw("-p", "go", "--allowedTools", "Echo", "Touch(x)", "Touch(y)", "--output-format", "json")
    assert res.assert_success().json()["permission_denials"] == []
    assert (workspace / "x").exists() and (workspace / "y").exists()
    claw("--disallowedTools", "Boom", "Nap,Echo", "say hi", "-p").assert_success()
    offered = {t["name"] for t in loop_env.requests[2]["tools"]}
    assert "Touch" in offered and not offered & {"Boom", "Nap", "Echo"}
    assert loop_env.requests[2]["messages"][0]["content"][0]["text"] == "say hi"


STOPPER = """
import claw


@claw.hookimpl
def claw_hook_event(event):
    if event.hook_event_name == "PostToolUse" and (event.tool_input or {}).get("text") == "stop":
        return claw.HookOutcome(keep_going=False, stop_reason="enough for now")
    return None
"""


def test_a_hook_stops_the_turn_it_answers_in_and_says_why(claw, loop_env, plugin_module):
    """A hook's ``continue: false`` (``keep_going=False``) after a tool call stopped that turn without a
    word (its ``stopReason``, which Claude Code shows the user, was dropped), and it stayed set: every
    later turn of the session stopped after its first tool call, answer or not."""
    plugin_module("stopper", STOPPER)
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "stop"})),
        Reply(ToolCall("Echo", {"text": "go on"})),
        Reply(Text("turn two's answer")),
    )
    user = [json.dumps({"type": "user", "message": {"role": "user", "content": c}}) for c in ("one", "two")]
    res = claw(
        "-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json",
        input="\n".join(user) + "\n",
    )  # fmt: skip
    results = [
        line for line in map(json.loads, res.assert_success().stdout.splitlines()) if line["type"] == "result"
    ]
    assert [(r["stop_reason"], r["result"]) for r in results] == [
        ("hook_stop", ""),
        ("end_turn", "turn two's answer"),
    ]
    assert (
        "claw: warning: the run was stopped by a PostToolUse hook: enough for now" in res.stderr.splitlines()
    )


def test_max_turns(claw, loop_env):
    loop_env.script(Reply(ToolCall("Echo", {"text": "1"})), Reply(ToolCall("Echo", {"text": "2"})))
    res = claw("-p", "loop", "--max-turns", "2", "--output-format", "json")
    res.assert_failure(1)
    result = res.json()
    assert result["subtype"] == "error_max_turns" and result["is_error"] and result["num_turns"] == 2
    assert "maximum number of turns (2)" in res.stderr
    assert result["errors"] == ["reached the maximum number of turns (2)"]  # Claude Code's SDKResultError


def test_max_turns_from_settings_and_the_flag_over_it(claw, loop_env):
    """settings ``maxTurns`` bounds a run the command line left open (applied as the loop starts)."""
    calls = [Reply(ToolCall("Echo", {"text": str(n)})) for n in range(4)]
    loop_env.script(*calls)
    res = claw("--settings", '{"maxTurns": 1}', "-p", "loop", "--output-format", "json")
    res.assert_failure(1)
    assert res.json()["subtype"] == "error_max_turns" and res.json()["num_turns"] == 1
    res = claw("--settings", '{"maxTurns": 1}', "-p", "loop", "--max-turns", "3", "--output-format", "json")
    res.assert_failure(1)
    assert res.json()["num_turns"] == 3


def test_max_budget(claw, loop_env):
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "1"}), usage=Usage(input_tokens=1_000_000, output_tokens=0))
    )
    res = claw("-p", "spend", "--max-budget-usd", "1", "--output-format", "json")
    res.assert_failure(1)
    assert res.json()["subtype"] == "error_max_budget_usd"
    assert res.json()["errors"] == ["reached the budget of $1"]
    assert res.json()["total_cost_usd"] == 3.0
    loop_env.script(Reply(ToolCall("Echo", {"text": "1"}), usage=Usage(input_tokens=10, output_tokens=0)))
    res = claw("-p", "spend", "--max-budget-usd", "0.00001")
    res.assert_failure(1, "reached the budget of $0.00001")


def test_overloaded_then_success_retries(claw, loop_env, session_events):
    loop_env.script(Fault(status=529, message="Overloaded"), Reply(Text("fine now")))
    res = claw("-p", "hi", "--output-format", "stream-json", "--verbose").assert_success()
    lines = res.json_lines()
    assert [(x["type"], x.get("subtype")) for x in lines] == [
        ("system", "init"),
        ("system", "api_retry"),
        ("assistant", None),
        ("result", "success"),
    ]
    retry = lines[1]
    assert retry["attempt"] == 1 and retry["error_status"] == 529 and retry["error"] == "overloaded"
    assert set(retry) >= {"max_retries", "retry_delay_ms", "session_id", "uuid"}
    events = session_events(lines[0]["session_id"])
    assert [e["status"] for e in events if e["type"] == "api_retry"] == [529]


def test_bad_request_fails_fast_with_the_servers_message(claw, loop_env):
    loop_env.script(
        Fault(status=400, message="messages: text content blocks must be non-empty"), Reply(Text("x"))
    )
    res = claw("-p", "hi")
    res.assert_failure(1, "messages: text content blocks must be non-empty")
    assert len(loop_env.requests) == 1
    err_lines = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    assert len(err_lines) == 1 and "400" in err_lines[0]


def test_json_error_result_on_api_failure(claw, loop_env):
    loop_env.script(Fault(status=401, message="invalid x-api-key"))
    res = claw("-p", "hi", "--output-format", "json")
    res.assert_failure(1, "invalid x-api-key")
    result = res.json()
    assert result["subtype"] == "error_during_execution" and result["is_error"]
    assert result["api_error_status"] == 401


def test_fallback_to_a_second_model(claw, loop_env, claw_env, session_events):
    claw_env["CLAW_MAX_RETRIES"] = "1"
    loop_env.script(Fault(status=529), Fault(status=529), Reply(Text("from backup")))
    res = claw("-p", "hi", "--fallback-model", "scripted/backup", "--output-format", "json").assert_success()
    result = res.json()
    assert result["result"] == "from backup" and result["model"] == "scripted/backup"
    assert [r["model"] for r in loop_env.requests] == ["default", "default", "backup"]
    assert "falling back to scripted/backup" in res.stderr
    switch = [e for e in session_events(result["session_id"]) if e["type"] == "model_switch"]
    assert (
        switch == [switch[0]]
        and switch[0]["from"] == "scripted/default"
        and switch[0]["to"] == "scripted/backup"
    )


def test_fallback_lacking_a_needed_capability_is_skipped(claw, loop_env, claw_env, session_events):
    claw_env["CLAW_MAX_RETRIES"] = "0"
    loop_env.script(Fault(status=529), Reply(Text("from backup")))
    res = claw("-p", "hi", "--fallback-model", "scripted/notools,scripted/backup", "--output-format", "json")
    result = res.assert_success().json()
    assert result["result"] == "from backup" and result["model"] == "scripted/backup"
    assert [r["model"] for r in loop_env.requests] == ["default", "backup"]
    notices = [line for line in res.stderr.splitlines() if "skipping fallback" in line]
    assert notices == ["claw: warning: skipping fallback scripted/notools: does not support tool use"]
    assert "falling back to scripted/backup" in res.stderr
    events = session_events(result["session_id"])
    assert [e["model"] for e in events if e["type"] == "model_skip"] == ["scripted/notools"]
    assert [(e["from"], e["to"]) for e in events if e["type"] == "model_switch"] == [
        ("scripted/default", "scripted/backup")
    ]


def test_no_fallback_able_to_serve_is_one_clear_error(claw, loop_env, claw_env):
    claw_env["CLAW_MAX_RETRIES"] = "0"
    loop_env.script(Fault(status=529, message="Overloaded"))
    res = claw("-p", "hi", "--fallback-model", "scripted/notools", "--output-format", "json")
    res.assert_failure(
        1, "no fallback model can serve this request: scripted/notools does not support tool use"
    )
    assert "Overloaded" in res.stderr and len(loop_env.requests) == 1
    result = res.json()
    assert result["is_error"] and "scripted/notools does not support tool use" in result["result"]
    assert result["api_error_status"] == 529


def test_three_overloaded_answers_in_a_row_move_to_the_fallback_at_once(claw, loop_env, claw_env):
    """As Claude Code: a model overloaded three times in a row hands the request to the fallback
    instead of spending its whole retry schedule (529 forever took 154 s to give up)."""
    claw_env["CLAW_RETRY_BASE_DELAY"] = "0.01"
    loop_env.script(*[Fault(status=529)] * 3, Reply(Text("from backup")))
    res = claw("-p", "hi", "--fallback-model", "scripted/backup", "--output-format", "json").assert_success()
    assert res.json()["result"] == "from backup"
    assert [r["model"] for r in loop_env.requests] == ["default"] * 3 + ["backup"]


def test_overloaded_without_a_fallback_keeps_retrying(claw, loop_env, claw_env):
    claw_env["CLAW_RETRY_BASE_DELAY"] = "0.01"
    loop_env.script(*[Fault(status=529)] * 4, Reply(Text("came back")))
    assert claw("-p", "hi", "--output-format", "json").assert_success().json()["result"] == "came back"


def test_the_summed_retry_waits_are_bounded(claw, loop_env, claw_env):
    """``retry.maxElapsed``: once the waits of one request would add up past it, the request ends
    with the last error and says why, however many attempts are left."""
    claw_env.update(CLAW_RETRY_BASE_DELAY="0.2", CLAW_RETRY_MAX_DELAY="32", CLAW_RETRY_MAX_ELAPSED="0.8")
    loop_env.script(*[Fault(status=503)] * 10)
    res = claw("-p", "hi")
    res.assert_failure(1, "503")
    assert "gave up after 2 retries" in res.stderr
    assert len(loop_env.requests) == 3  # waits of ~0.2 and ~0.4 (with jitter): a third (~0.8) would pass 0.8


def test_a_retry_after_longer_than_the_budget_ends_the_request(claw, loop_env, claw_env):
    claw_env["CLAW_RETRY_MAX_ELAPSED"] = "5"
    loop_env.script(Fault(status=429, retry_after=60), Reply(Text("never")))
    res = claw("-p", "hi")
    res.assert_failure(1, "the server asked to wait 60s")
    assert len(loop_env.requests) == 1


def test_retries_exhausted_without_fallback_fail(claw, loop_env, claw_env):
    claw_env["CLAW_MAX_RETRIES"] = "2"
    loop_env.script(Fault(status=503), Fault(status=503), Fault(status=503))
    claw("-p", "hi").assert_failure(1, "503")
    assert len(loop_env.requests) == 3


def test_cut_stream_is_retried(claw, loop_env):
    loop_env.script(
        Fault(kind="cut", after_events=1, reply=Reply(Text("partial answer"))), Reply(Text("whole"))
    )
    res = claw("-p", "hi", "--output-format", "json").assert_success()
    assert res.json()["result"] == "whole"


def test_stalled_stream_is_aborted_by_the_watchdog(claw, loop_env, claw_env):
    claw_env["CLAW_STREAM_IDLE_TIMEOUT"] = "0.2"
    loop_env.script(Fault(kind="stall", after_events=1, seconds=30), Reply(Text("after stall")))
    res = claw("-p", "hi", "--output-format", "json").assert_success()
    assert res.json()["result"] == "after stall"
    assert "stalled" in res.stderr


def test_stream_json_requires_verbose(claw, loop_env):
    claw("-p", "hi", "--output-format", "stream-json").assert_failure(1, "requires --verbose")


def test_stream_json_shapes(claw, loop_env, workspace):
    loop_env.script(Reply(ToolCall("Echo", {"text": "q"}, id="toolu_1")), Reply(Text("end")))
    res = claw("-p", "hi", "--output-format", "stream-json", "--verbose").assert_success()
    init, assistant, user, final, result = res.json_lines()
    assert init["type"] == "system" and init["subtype"] == "init"
    for key in (
        "cwd",
        "session_id",
        "tools",
        "mcp_servers",
        "model",
        "permissionMode",
        "slash_commands",
        "plugins",
        "claude_code_version",
        "claw_version",
        "apiKeySource",
        "output_style",
    ):
        assert key in init
    assert init["cwd"] == str(workspace.resolve()) and "Echo" in init["tools"] and init["model"] == "default"
    assert assistant["type"] == "assistant" and assistant["parent_tool_use_id"] is None
    msg = assistant["message"]
    assert msg["role"] == "assistant" and msg["type"] == "message" and msg["stop_reason"] == "tool_use"
    assert msg["content"] == [{"type": "tool_use", "id": "toolu_1", "name": "Echo", "input": {"text": "q"}}]
    assert set(msg["usage"]) == {
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
    }
    assert user["type"] == "user" and user["message"]["content"][0]["tool_use_id"] == "toolu_1"
    assert final["message"]["content"][0]["text"] == "end"
    assert result["type"] == "result" and result["session_id"] == init["session_id"]


def test_json_result_shape(claw, loop_env):
    loop_env.script(
        Reply(Text("x"), usage=Usage(input_tokens=100, output_tokens=20, cache_read_input_tokens=50))
    )
    result = claw("-p", "hi", "--output-format", "json").assert_success().json()
    for key in (
        "type",
        "subtype",
        "is_error",
        "duration_ms",
        "duration_api_ms",
        "num_turns",
        "result",
        "session_id",
        "stop_reason",
        "total_cost_usd",
        "usage",
        "modelUsage",
        "permission_denials",
        "cache_stats",
    ):
        assert key in result
    assert result["usage"]["cache_read_input_tokens"] == 50
    # 100 in at $3/M, 20 out at $15/M, 50 cache reads at 10 % of input
    assert abs(result["total_cost_usd"] - (100 * 3 + 20 * 15 + 50 * 0.3) / 1e6) < 1e-12
    mu = result["modelUsage"]["default"]
    assert (
        mu["inputTokens"] == 100
        and mu["cacheReadInputTokens"] == 50
        and mu["costUSD"] == result["total_cost_usd"]
    )
    assert result["cache_stats"] == {"hits": 1, "misses": 0, "writes": 0, "unexpected_breaks": 0}


def test_price_override_from_settings(claw, loop_env, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(
        json.dumps({"prices": {"scripted/default": {"output": 0}}})
    )
    loop_env.script(Reply(Text("x"), usage=Usage(input_tokens=1_000_000, output_tokens=1_000_000)))
    assert claw("-p", "hi", "--output-format", "json").assert_success().json()["total_cost_usd"] == 3.0


def test_cache_break_is_detected(claw, loop_env, session_events):
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "a"}), usage=Usage(cache_creation_input_tokens=500)),
        Reply(ToolCall("Echo", {"text": "b"}), usage=Usage(cache_read_input_tokens=500)),
        Reply(Text("done"), usage=Usage(cache_read_input_tokens=0, cache_creation_input_tokens=520)),
    )
    result = claw("-p", "hi", "--output-format", "json").assert_success().json()
    assert result["cache_stats"] == {"hits": 1, "misses": 2, "writes": 2, "unexpected_breaks": 1}
    assert [e["type"] for e in session_events(result["session_id"])].count("cache_break") == 1


def test_hooks_block_modify_and_stop(claw, loop_env, plugin_module, claw_env):
    plugin_module(
        "loop_test_hooks",
        """
        import claw
        from claw import HookOutcome

        @claw.hookimpl
        def claw_hook_event(event):
            if event.hook_event_name == "PreToolUse" and event.tool_input.get("text") == "secret":
                return HookOutcome(action="block", reason="secrets stay secret", system_message="hook: secret blocked")
            if event.hook_event_name == "PreToolUse" and event.tool_input.get("text") == "rewrite":
                return HookOutcome(action="modify", updated_input={"text": "rewritten"})
            if event.hook_event_name == "Stop" and not event.stop_hook_active:
                return HookOutcome(action="block", reason="run the checks first")
            if event.hook_event_name == "UserPromptSubmit":
                return HookOutcome(action="allow", additional_context="context from a hook")
        """,
    )
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "secret"}), ToolCall("Echo", {"text": "rewrite"})),
        Reply(Text("first stop")),
        Reply(Text("second stop")),
    )
    res = claw("-p", "go", "--output-format", "json").assert_success()
    result = res.json()
    assert "claw: warning: hook: secret blocked" in res.stderr
    assert result["result"] == "second stop" and result["num_turns"] == 3
    first = loop_env.requests[0]["messages"][0]["content"]
    assert first[-1]["text"] == "context from a hook"
    blocked, modified = loop_env.requests[1]["messages"][-1]["content"]
    assert blocked["is_error"] and blocked["content"] == "secrets stay secret"
    assert modified["content"].startswith("echo: rewritten")
    assert result["permission_denials"][0]["tool_input"] == {"text": "secret"}
    assert loop_env.requests[2]["messages"][-1]["content"][-1]["text"] == "run the checks first"


def test_session_plugins_hooks_and_runtime_events(claw, loop_env, plugin_module, claw_env, workspace):
    plugin_module(
        "loop_test_session_plugin",
        """
        import asyncio, json
        import claw
        from claw import Tool, ToolResult, ToolSpec

        class Live(Tool):
            spec = ToolSpec(name="Live", description="session tool", read_only=True)
            async def run(self, input, ctx):
                return ToolResult(content=str(len(ctx.session.available_tools)))

        @claw.hookimpl
        def claw_session_start(session):
            async def start():
                await asyncio.sleep(0)
                session.add_tool(Live())
                session.set_status("srv", "connected")
            return start()

        @claw.hookimpl
        def claw_session_end(session):
            (session.workspace / "ended").write_text(session.session_id)

        @claw.hookimpl
        def claw_runtime_event(event):
            with open("events.log", "a") as fh:
                fh.write(json.dumps({"type": event.type, **event.data}, default=str) + "\\n")
        """,
    )
    loop_env.script(Reply(ToolCall("Live")), Reply(Text("ok")))
    lines = claw("-p", "go", "--output-format", "stream-json", "--verbose").assert_success().json_lines()
    init = lines[0]
    assert "Live" in init["tools"] and init["mcp_servers"] == [{"name": "srv", "status": "connected"}]
    assert (workspace / "ended").read_text() == init["session_id"]
    events = [json.loads(line) for line in (workspace / "events.log").read_text().splitlines()]
    types = [e["type"] for e in events]
    assert types[0] == "session_start" and types[-1] == "session_end"
    assert {"model_request", "tool_call", "permission_decision"} <= set(types)
    # What telemetry needs: a turn's bounds, each response's usage, finish reason and time to first token.
    assert types.index("turn_start") < types.index("model_response") < types.index("turn_end")
    turn_start = events[types.index("turn_start")]
    assert turn_start["prompt"] == "go" and turn_start["prompt_length"] == 2
    responses = [e for e in events if e["type"] == "model_response"]
    assert [r["stop_reason"] for r in responses] == ["tool_use", "end_turn"]
    assert all(
        r["ttft_ms"] > 0 and r["input_tokens"] == 10 and r["provider"] == "scripted" for r in responses
    )
    tool = events[types.index("tool_call")]
    assert tool["tool_name"] == "Live" and tool["tool_input"] == {} and tool["error"] is None
    assert events[types.index("turn_end")]["subtype"] == "success"


def test_failing_session_start_plugin_is_reported_not_fatal(claw, loop_env, plugin_module, claw_env):
    plugin_module(
        "loop_test_bad_start",
        """
        import claw

        @claw.hookimpl
        def claw_session_start(session):
            async def start():
                raise RuntimeError("server exploded")
            return start()
        """,
    )
    loop_env.script(Reply(Text("still fine")))
    res = claw("-p", "go").assert_success()
    assert res.stdout == "still fine\n" and "server exploded" in res.stderr


def test_json_schema_structured_output(claw, loop_env):
    schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}, "required": ["n"]}
    loop_env.script(
        Reply(ToolCall("StructuredOutput", {"n": -3})),
        Reply(ToolCall("StructuredOutput", {"n": 3})),
    )
    res = claw("-p", "count", "--json-schema", json.dumps(schema), "--output-format", "json").assert_success()
    result = res.json()
    assert result["structured_output"] == {"n": 3} and result["num_turns"] == 2
    first = loop_env.requests[0]["tools"]
    assert any(t["name"] == "StructuredOutput" and t["input_schema"] == schema for t in first)
    invalid = loop_env.requests[1]["messages"][-1]["content"][0]
    assert invalid["is_error"] and invalid["content"] == (
        "InputValidationError: StructuredOutput failed due to the following issue: "
        "the parameter `n` must be at least 0 but provided as `-3`"
    )


def test_json_schema_reminds_the_model_then_reports_the_output_missing(claw, loop_env):
    """A model that ends without calling StructuredOutput is reminded twice; the third time the run
    ends in an error result; a reminder that works ends the run with the output."""
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    loop_env.script(Reply(Text("three")), Reply(Text("still three")), Reply(Text("3")))
    res = claw("-p", "count", "--json-schema", json.dumps(schema), "--output-format", "json")
    result = res.json()
    assert res.exit_code == 1 and result["subtype"] == "error_during_execution" and result["is_error"]
    assert result["result"] == "the model did not produce the structured output"
    assert result["num_turns"] == 3 and "structured_output" not in result
    reminder = "Give your final answer by calling the StructuredOutput tool."
    assert loop_env.requests[2]["messages"][-1]["content"][-1]["text"] == reminder
    loop_env.script(Reply(Text("three")), Reply(ToolCall("StructuredOutput", {"n": 3})))
    res = claw("-p", "count", "--json-schema", json.dumps(schema), "--output-format", "json").assert_success()
    assert res.json()["structured_output"] == {"n": 3} and res.json()["num_turns"] == 2


@pytest.mark.parametrize(
    ("schema", "error"),
    [
        ("[1, 2]", "the schema must be a JSON object, not list"),
        ('{"type": "array"}', 'the schema must describe an object ("type": "object"), not "array"'),
        (
            '{"type": "object", "properties": {"n": {"type": "bogus"}}}',
            "not a valid JSON Schema: 'bogus' is not valid under any of the given schemas "
            "(at properties.n.type)",
        ),
    ],
)
def test_json_schema_that_no_answer_can_match_is_refused_before_the_run(claw, loop_env, schema, error):
    """A schema the StructuredOutput tool can never accept is one usage line, before anything is sent:
    it used to cost three paid requests and end in "did not produce the structured output" (a list
    schema also made the built-in raise in claw_session_start)."""
    (claw.workspace / "schema.json").write_text(schema)
    for value in ("schema.json", schema) if schema.startswith("{") else ("schema.json",):
        res = claw("-p", "count", "--json-schema", value)
        assert res.exit_code == 2
        assert res.stderr.splitlines() == [f"claw: error: --json-schema: {error}"]
    assert loop_env.requests == []


def test_a_closed_stdout_ends_the_run_quietly(claw, loop_env, session_events):
    """``claw -p ... | head -c 10``: the reader of stdout goes away mid-answer. That was reported as a bug
    (``claw: error: internal error: BrokenPipeError``); now the run ends as a closed pipe ends other
    commands, with no line on stderr and exit 1, and the session file says what happened."""
    sid = "0a5b3f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    loop_env.script(Reply(Text("word " * 200_000)))
    proc = claw.popen("-p", "hello", "--session-id", sid)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == "word word "
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert err == ""
    assert [e["type"] for e in session_events(sid)][-2:] == ["output_closed", "session_end"]


def test_tool_input_is_checked_against_the_schema(claw, loop_env):
    loop_env.script(
        Reply(
            ToolCall("Touch", {}),
            ToolCall("Echo", {"text": 3}),
            ToolCall("Echo", {"text": "ok", "delay": True}),
        ),
        Reply(Text("fixed")),
    )
    claw("-p", "x", "--dangerously-skip-permissions").assert_success()
    missing, wrong, boolean = loop_env.requests[1]["messages"][-1]["content"]
    assert missing["is_error"] and missing["content"] == (
        "InputValidationError: Touch failed due to the following issue: the required parameter `name` is missing"
    )
    assert (
        wrong["is_error"]
        and "`text` type is expected as `string` but provided as `integer`" in wrong["content"]
    )
    assert (
        boolean["is_error"]
        and "`delay` type is expected as `number` but provided as `boolean`" in boolean["content"]
    )


def test_retry_after_is_honoured_and_spend_caps_are_fatal(claw, loop_env, session_events):
    loop_env.script(
        Fault(status=429, message="slow down", retry_after=0.3),
        Reply(Text("ok")),
        Fault(status=429, message="you exceeded your quota", error_code="insufficient_quota"),
    )
    sid = claw("-p", "a", "--output-format", "json").assert_success().json()["session_id"]
    (retry,) = [e for e in session_events(sid) if e["type"] == "api_retry"]
    assert retry["delay_ms"] >= 300 and retry["error"] == "rate_limit"
    claw("-p", "b").assert_failure(1, "you exceeded your quota")
    assert len(loop_env.requests) == 3


def test_bad_permission_mode_fails_before_a_session_exists(claw, loop_env, claw_env, workspace):
    from claw import _paths as paths

    claw("-p", "x", "--permission-mode", "bogus").assert_failure(2, "unknown permission mode 'bogus'")
    assert not paths.sessions_dir(workspace, claw_env).exists() and loop_env.requests == []


@pytest.mark.parametrize(
    ("typed", "meant"), [("acceptedits", "acceptEdits"), ("bypassPermission", "bypassPermissions")]
)
def test_a_mistyped_permission_mode_names_the_one_meant(claw, loop_env, typed, meant):
    """A mode typed in the wrong case or one letter off was refused with the list of thirteen names and
    no pointer to the one meant; the line now says it first, as click does for a mistyped option."""
    res = claw("-p", "x", "--permission-mode", typed).assert_failure(2, f"did you mean {meant!r}?")
    assert res.stderr.count("\n") == 1 and loop_env.requests == []


def test_pause_turn_is_continued(claw, loop_env):
    loop_env.script(Reply(Text("part one"), stop_reason="pause_turn"), Reply(Text("part two")))
    result = claw("-p", "long job", "--output-format", "json").assert_success().json()
    assert result["result"] == "part two" and result["num_turns"] == 2
    assert loop_env.requests[1]["messages"][-1] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "part one"}],
    }


def test_a_failed_request_is_a_runtime_event(claw, loop_env, plugin_module, workspace):
    plugin_module(
        "loop_test_api_error_events",
        """
        import json
        import claw

        @claw.hookimpl
        def claw_runtime_event(event):
            with open("events.log", "a") as fh:
                fh.write(json.dumps({"type": event.type, **event.data}) + "\\n")
        """,
    )
    loop_env.script(Fault(400, message="bad request"))
    claw("-p", "go")
    events = [json.loads(line) for line in (workspace / "events.log").read_text().splitlines()]
    (error,) = [e for e in events if e["type"] == "api_error"]
    assert error["status"] == 400 and error["model"] == "scripted/default" and error["duration_ms"] >= 0
    assert [e["type"] for e in events if e["type"].startswith("turn")] == ["turn_start", "turn_end"]
    assert events[[e["type"] for e in events].index("turn_end")]["is_error"] is True


def test_add_dir_and_tools_take_the_words_that_follow_as_claude_code_does(claw, loop_env, tmp_path):
    """Claude Code's ``--add-dir <directories...>`` and ``--tools <tools...>`` are variadic (``claude
    --add-dir ../apps ../lib``); claw took one value and stopped with "unexpected argument(s) after the
    prompt". Words that read as paths (or tool names) join the value; the prompt after them stays the
    prompt, and a slash command as prompt is not taken for a directory."""
    apps, lib = tmp_path / "apps", tmp_path / "lib"
    apps.mkdir(), lib.mkdir()
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    claw("--add-dir", str(apps), str(lib), "--tools", "Echo", "Nap", "look around", "-p").assert_success()
    request = loop_env.requests[0]
    system = "".join(block["text"] for block in request["system"])
    assert str(apps) in system and str(lib) in system
    assert {t["name"] for t in request["tools"]} == {"Echo", "Nap"}
    assert request["messages"][0]["content"][0]["text"] == "look around"
    assert "unknown slash command /review" in claw("-p", "--add-dir", str(apps), "/review").stderr


def test_a_rule_with_an_unbalanced_parenthesis_is_a_usage_error(claw, loop_env, workspace):
    """``--allowedTools "Touch(x"`` (a closing parenthesis forgotten) read as the rule ``Touch`` and the
    word ``x``: every Touch call was allowed, without a word. Each of the three rule flags refuses it."""
    loop_env.script(Reply(ToolCall("Touch", {"name": "y"})), Reply(Text("ok")))
    res = claw("-p", "go", "--allowedTools", "Touch(x")
    assert res.exit_code == 2 and not (workspace / "y").exists()
    assert res.stderr == "claw: error: --allowed-tools: unbalanced parenthesis in 'Touch(x'\n"
    assert "--disallowed-tools: unbalanced" in claw("-p", "go", "--disallowedTools", "Touch)").stderr
    assert "--tools: unbalanced" in claw("-p", "go", "--tools", "Echo,Nap(").stderr
    assert not loop_env.requests


def test_number_flags_say_what_they_take(claw, loop_env):
    """``--max-budget-usd abc`` said "'abc' is not a valid float range" and ``claw --help`` listed
    ``--max-turns INTEGER RANGE``: click's type names, not what a person types."""
    claw("-p", "x", "--max-budget-usd", "abc").assert_failure(2, "'abc' is not a valid number.")
    claw("-p", "x", "--max-turns", "abc").assert_failure(2, "'abc' is not a valid integer.")
    claw("-p", "x", "--max-turns", "-1").assert_failure(2, "-1 is not in the range x>=1")
    out = claw("--help").assert_success().stdout
    assert "--max-turns N " in out and "--max-budget-usd USD " in out and "RANGE" not in out
    assert "-r, --resume [ID|NAME|latest|PATH]" in out  # a session's name (-n) resumes it too
    assert loop_env.requests == []


def test_an_options_value_that_is_another_option_is_a_value_forgotten(claw, loop_env):
    """``claw -p hi --append-system-prompt --verbose`` sent "--verbose" as the appended instructions (a
    paid run, nothing said), and ``claw --model -p hi`` asked for a model named "-p" (exit 1). A value
    that is one of claw's options is the usage error click gives for a value missing at the end."""
    loop_env.script(Reply(Text("ok")))
    res = claw("-p", "hi", "--append-system-prompt", "--verbose")
    res.assert_failure(2, "Option '--append-system-prompt' requires an argument (--verbose is an option).")
    claw("--model", "-p", "hi").assert_failure(2, "Option '--model' requires an argument (-p is an option).")
    assert loop_env.requests == []
    claw("-p", "hi", "--append-system-prompt", "-- not an option").assert_success()


def test_deny_globs_after_the_value_are_rules_too(claw, loop_env):
    """Claude Code's deny rules take globs (``"mcp__*"``, ``"*"``); ``--disallowedTools Boom "mcp__*"
    "say hi"`` took the glob for the prompt and stopped at "unexpected argument(s) after the prompt"."""
    loop_env.script(Reply(Text("ok")))
    claw("--disallowedTools", "Boom", "mcp__*", "say hi", "-p").assert_success()
    assert "Boom" not in {t["name"] for t in loop_env.requests[0]["tools"]}
    assert loop_env.requests[0]["messages"][0]["content"][0]["text"] == "say hi"
