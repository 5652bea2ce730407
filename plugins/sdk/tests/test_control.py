"""Claude Code's stream-json control protocol through a real ``claw -p`` process: a driver writes NDJSON
to its stdin and reads its stdout, as the Claude Agent SDK does (interrupt, can_use_tool,
set_permission_mode, set_model, unknown and malformed requests, ``--replay-user-messages``)."""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import threading
from collections.abc import Callable
from typing import Any

from claw.testing.script import Fault, Reply, Text, ToolCall

ARGS = ["-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json"]


def _user(content: object) -> dict[str, Any]:
    return {"type": "user", "message": {"role": "user", "content": content}}


def _request(request_id: str, subtype: str, **fields: Any) -> dict[str, Any]:
    return {"type": "control_request", "request_id": request_id, "request": {"subtype": subtype, **fields}}


class Driver:
    """``claw`` with pipes: ``send`` a message, read lines ``until`` one matches, ``finish`` by closing
    stdin. A thread reads stdout so a test that waits for a line that never comes fails on a timeout;
    leaving the ``with`` block kills a process that is still running."""

    def __init__(self, claw: Any, *args: str) -> None:
        self.proc = claw.popen(*ARGS, *args, stdin=subprocess.PIPE)
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)

    def send(self, data: dict[str, Any] | str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((data if isinstance(data, str) else json.dumps(data)) + "\n")
        self.proc.stdin.flush()

    def until(self, match: Callable[[dict[str, Any]], bool], timeout: float = 30) -> list[dict[str, Any]]:
        """The lines read up to and including the first that ``match``es."""
        got: list[dict[str, Any]] = []
        while True:
            try:
                line = json.loads(self._lines.get(timeout=timeout))
            except queue.Empty:
                raise AssertionError(f"no matching line within {timeout}s; got {got}") from None
            got.append(line)
            self.seen.append(line)
            if match(line):
                return got

    def result(self) -> dict[str, Any]:
        return self.until(lambda o: o["type"] == "result")[-1]

    def asked(self) -> dict[str, Any]:
        """The next control request claw sends the client (a permission question, a hook callback)."""
        return self.until(lambda o: o["type"] == "control_request")[-1]

    def answer(self, request: dict[str, Any], response: Any = None, *, error: str | None = None) -> None:
        """Answer claw's control ``request`` as a client does: ``response``, or the ``error`` it failed with."""
        body = (
            {"subtype": "success", "response": response}
            if error is None
            else {"subtype": "error", "error": error}
        )
        self.send({"type": "control_response", "response": {**body, "request_id": request["request_id"]}})

    def response(self, request_id: str) -> dict[str, Any]:
        return self.until(lambda o: o["type"] == "control_response" and _rid(o) == request_id)[-1]["response"]

    def finish(self) -> str:
        """Close stdin, as a client that is done does, and check the run ends with exit code 0 (nothing
        the client asked for, an interruption or a denial, is a failure of the run); its stderr."""
        assert self.proc.stdin is not None and self.proc.stderr is not None
        self.proc.stdin.close()
        err = self.proc.stderr.read()
        code = self.proc.wait(timeout=30)
        while not self._lines.empty():
            self.seen.append(json.loads(self._lines.get()))
        assert code == 0, err
        return err

    def __enter__(self) -> Driver:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()


def _rid(line: dict[str, Any]) -> str | None:
    return (line.get("response") or {}).get("request_id")


def _touching(claw: Any, loop_env: Any, *names: str, last: str = "done") -> Driver:
    """``claw`` asking the client about each tool call (``--permission-prompt-tool stdio``), its model
    scripted to ``Touch`` each of ``names`` in turn (``toolu_1``, ``toolu_2``...) and then say ``last``."""
    calls = [Reply(ToolCall("Touch", {"name": name}, id=f"toolu_{i}")) for i, name in enumerate(names, 1)]
    loop_env.script(*calls, Reply(Text(last)))
    return Driver(claw, "--permission-prompt-tool", "stdio")


def test_interrupt_stops_the_stream_at_once_and_the_session_resumes_consistently(
    claw, loop_env, session_events
):
    loop_env.script(
        Fault(kind="stall", after_events=1, seconds=60, reply=Reply(Text("once upon a time, far away"))),
        Reply(ToolCall("Nap", {"seconds": 60}, id="toolu_nap")),
        Reply(Text("back again")),
    )
    with Driver(claw, "--include-partial-messages") as driver:
        driver.send(_user("tell me a story"))
        driver.until(
            lambda o: o["type"] == "stream_event" and "delta" in o["event"]
        )  # streaming, then silent
        driver.send(_request("int-1", "interrupt"))
        assert driver.response("int-1") == {"subtype": "success", "request_id": "int-1", "response": {}}
        first = driver.result()
        assert first["subtype"] == "error_during_execution" and first["is_error"]
        session_id = first["session_id"]

        driver.send(_user("have a nap"))  # the same process goes on: a tool call, interrupted mid-run
        driver.until(lambda o: o["type"] == "assistant")
        driver.send(_request("int-2", "interrupt"))
        assert driver.response("int-2")["subtype"] == "success"
        lines = driver.until(lambda o: o["type"] == "result")
        assert lines[-1]["subtype"] == "error_during_execution"
        # the call left unanswered is answered on stdout too, as in the session, before the result
        (answered,) = [b for o in lines if o["type"] == "user" for b in o["message"]["content"]]
        assert answered["tool_use_id"] == "toolu_nap" and answered["is_error"]
        assert answered["content"] == "interrupted by the user; the call may or may not have taken effect"
        driver.finish()  # the client asked for the interruptions: not a failure of the run

    res = claw("-p", "--resume", session_id, "go on", "--output-format", "json").assert_success()
    assert res.json()["result"] == "back again"
    messages = loop_env.requests[2]["messages"]
    roles = [m["role"] for m in messages]
    assert all(a != b for a, b in itertools.pairwise(roles)), roles  # a valid history
    texts = json.dumps(messages)
    assert "tell me a story" in texts and "have a nap" in texts and "go on" in texts
    assert "once upon" not in texts  # the interrupted answer was never completed, so never recorded
    nap_result = next(
        b
        for m in messages
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_result" and b["tool_use_id"] == "toolu_nap"
    )
    assert "interrupted by the user" in json.dumps(nap_result["content"])
    events = session_events(session_id)
    assert [e["type"] for e in events].count("interrupted") == 2


def test_can_use_tool_asks_the_client_which_allows_rewrites_or_denies(claw, loop_env, workspace):
    answers = [
        {"behavior": "allow", "updatedInput": {"name": "allowed.txt"}},
        {"behavior": "allow", "updatedInput": {"name": "rewritten.txt"}},
        {"behavior": "deny", "message": "not that one"},
    ]
    asked = []
    with _touching(claw, loop_env, "allowed.txt", "asked.txt", "denied.txt") as driver:
        driver.send(_user("make files"))
        for answer in answers:
            request = driver.asked()
            asked.append(request["request"])
            driver.answer(request, answer)
        result = driver.result()
        driver.finish()
    assert [(r["subtype"], r["tool_name"], r["input"], r["tool_use_id"]) for r in asked] == [
        ("can_use_tool", "Touch", {"name": "allowed.txt"}, "toolu_1"),
        ("can_use_tool", "Touch", {"name": "asked.txt"}, "toolu_2"),
        ("can_use_tool", "Touch", {"name": "denied.txt"}, "toolu_3"),
    ]
    assert asked[0]["permission_suggestions"] == [
        {"type": "addRules", "rules": [{"toolName": "Touch"}], "behavior": "allow", "destination": "session"}
    ]
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["allowed.txt", "rewritten.txt"]
    assert result["permission_denials"] == [
        {"tool_name": "Touch", "tool_use_id": "toolu_3", "tool_input": {"name": "denied.txt"}}
    ]
    denied = loop_env.requests[3]["messages"][-1]["content"][0]
    assert denied["is_error"] and denied["content"] == "not that one"


def test_a_malformed_or_failed_client_answer_denies(claw, loop_env, workspace):
    with _touching(claw, loop_env, "a.txt", "b.txt") as driver:
        driver.send(_user("make files"))
        driver.answer(driver.asked(), {"ok": 1})
        driver.answer(driver.asked(), error="callback broke")
        driver.result()
        driver.finish()
    assert not list(workspace.glob("*.txt"))
    results = [
        b["content"]
        for m in loop_env.requests[2]["messages"]
        for b in m["content"]
        if b["type"] == "tool_result" and b["is_error"]
    ]
    assert results == [
        'the stream-json client gave an invalid answer: "behavior" must be "allow" or "deny", got null',
        "the stream-json client could not decide: callback broke",
    ]


def test_set_permission_mode_set_model_initialize_and_unknown_requests(claw, loop_env, workspace):
    loop_env.script(Reply(ToolCall("Touch", {"name": "made.txt"})), Reply(Text("done")))
    with Driver(claw) as driver:
        driver.send(_request("init", "initialize", hooks=None))
        driver.send(_request("bad-mode", "set_permission_mode", mode="yolo"))
        driver.send(_request("mode", "set_permission_mode", mode="acceptEdits"))
        driver.send(_request("mode2", "set_permission_mode", mode="bypassPermissions"))
        driver.send(_request("model", "set_model", model="scripted/backup"))
        driver.send(_request("bad-model", "set_model", model="nosuch/model"))
        driver.send(_request("what", "frobnicate"))
        driver.send(_request("rewind", "rewind_files", user_message_id="x"))
        driver.send(_request("stop", "stop_task", task_id="t1"))
        driver.send(_request("status", "mcp_status"))
        init = driver.response("init")
        assert init["subtype"] == "success" and init["response"]["pid"] > 0
        assert isinstance(init["response"]["commands"], list)
        bad_mode = driver.response("bad-mode")
        assert bad_mode["subtype"] == "error" and "yolo" in bad_mode["error"]
        assert driver.response("mode")["subtype"] == "success"
        assert driver.response("mode2")["subtype"] == "success"
        assert driver.response("model")["subtype"] == "success"
        bad_model = driver.response("bad-model")
        assert bad_model["subtype"] == "error" and "nosuch" in bad_model["error"]
        assert driver.response("what") == {
            "subtype": "error",
            "request_id": "what",
            "error": "unsupported control request subtype: frobnicate",
        }
        # (mcp_toggle is claw-mcp's to answer: tests/test_agent_sdk_mcp_control.py, with the plugin installed)
        errors = [driver.response(r)["error"] for r in ("rewind", "stop")]
        assert errors == [
            "rewind_files: file checkpointing is not enabled (the SDK's enable_file_checkpointing, "
            "CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING=true)",
            'stop_task: no background task "t1" in this session',
        ]
        assert driver.response("status") == {
            "subtype": "success",
            "request_id": "status",
            "response": {"mcpServers": []},
        }
        driver.send(_user("make a file"))  # the session went on, in the new mode with the new model
        result = driver.result()
        driver.finish()
    assert result["subtype"] == "success" and result["permission_denials"] == []
    assert (workspace / "made.txt").read_text() == "touched"
    assert [r["model"] for r in loop_env.requests] == ["backup", "backup"]


def test_set_max_thinking_tokens_sets_the_effort_of_the_next_requests(claw, loop_env):
    """The SDK's ``setMaxThinkingTokens``: a budget maps to an effort as ``--max-thinking-tokens`` does,
    ``null`` puts back the session's own; a budget that is not a number is an error response."""
    loop_env.script(Reply(Text("1")), Reply(Text("2")), Reply(Text("3")))
    with Driver(claw, "--effort", "medium") as driver:
        driver.send(_user("one"))
        driver.result()
        for request_id, tokens in (("t1", 40000), ("t2", "lots")):
            driver.send(_request(request_id, "set_max_thinking_tokens", max_thinking_tokens=tokens))
        assert driver.response("t1")["subtype"] == "success"
        assert "must be a whole number or null" in driver.response("t2")["error"]
        driver.send(_user("two"))
        driver.result()
        driver.send(_request("t3", "set_max_thinking_tokens", max_thinking_tokens=None))
        driver.response("t3")
        driver.send(_user("three"))
        driver.result()
        driver.finish()
    assert [r["reasoning_effort"] for r in loop_env.requests] == ["medium", "xhigh", "medium"]


def test_a_malformed_control_message_is_one_error_and_loses_nothing(claw, loop_env, session_events):
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    with Driver(claw) as driver:
        driver.send(_user("first"))
        driver.send({"type": "control_request", "request": {"subtype": "interrupt"}})  # no request_id
        driver.send({"type": "control_request", "request_id": "r1", "request": "interrupt"})
        driver.send(_user("second"))
        assert driver.response("r1") == {
            "subtype": "error",
            "request_id": "r1",
            "error": '"request" must be an object with a "subtype"',
        }
        err = driver.finish()
    # a warning, not an error: the run goes on and exits 0
    assert "claw: warning: stdin line 2: control_request without a request_id; skipped" in err.splitlines()
    assert not [line for line in err.splitlines() if line.startswith("claw: error:")]
    results = [o for o in driver.seen if o["type"] == "result"]
    assert [r["result"] for r in results] == ["one", "two"]
    events = session_events(results[0]["session_id"])
    assert [e["message"]["content"][0]["text"] for e in events if e["type"] == "user"] == ["first", "second"]


def test_replay_user_messages_echoes_each_message_before_its_turn(claw, loop_env):
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    stdin = "".join(
        json.dumps(m) + "\n"
        for m in (
            {**_user("hello"), "uuid": "11111111-1111-4111-8111-111111111111", "parent_tool_use_id": None},
            _user([{"type": "text", "text": "again"}]),
        )
    )
    out = claw(*ARGS, "--replay-user-messages", input=stdin).assert_success().json_lines()
    kinds = [(o["type"], o.get("subtype") or o.get("isReplay")) for o in out]
    assert kinds == [
        ("system", "init"),
        ("user", True),
        ("assistant", None),
        ("result", "success"),
        ("user", True),
        ("assistant", None),
        ("result", "success"),
    ]
    first, second = out[1], out[4]
    assert first["message"] == {"role": "user", "content": "hello"}
    assert first["uuid"] == "11111111-1111-4111-8111-111111111111"
    assert first["session_id"] == out[0]["session_id"] and first["parent_tool_use_id"] is None
    assert second["message"]["content"] == [{"type": "text", "text": "again"}] and second["uuid"]


def test_replay_and_stdio_prompt_tool_need_stream_json_input(claw, loop_env):
    claw("-p", "hi", "--replay-user-messages").assert_failure(
        2, "--replay-user-messages requires --input-format=stream-json"
    )
    claw("-p", "hi", "--permission-prompt-tool", "stdio").assert_failure(
        2, "--permission-prompt-tool stdio requires --input-format=stream-json"
    )
    assert loop_env.requests == []


def _allow_the_first_touch(
    claw: Any, loop_env: Any, updates: Callable[[dict[str, Any]], list[dict[str, Any]]]
) -> dict[str, Any]:
    """Two ``Touch`` calls (``one.txt``, ``two.txt``); the client allows the first with ``updates(request)``
    as its ``updatedPermissions`` and is not asked about the second. The run's result."""
    with _touching(claw, loop_env, "one.txt", "two.txt") as driver:
        driver.send(_user("make files"))
        request = driver.asked()
        permissions = updates(request["request"])
        answer = {"behavior": "allow", "updatedInput": {"name": "one.txt"}, "updatedPermissions": permissions}
        driver.answer(request, answer)
        result = driver.result()
        driver.finish()
    assert [o["request_id"] for o in driver.seen if o["type"] == "control_request"] == [request["request_id"]]
    return result


def test_an_allow_with_updated_permissions_is_remembered(claw, loop_env, workspace):
    def saved(asked: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**s, "destination": "localSettings"} for s in asked["permission_suggestions"]]

    _allow_the_first_touch(claw, loop_env, saved)  # the second Touch was not asked about
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["one.txt", "two.txt"]
    local = json.loads((workspace / ".claw" / "settings.local.json").read_text())
    assert local["permissions"]["allow"] == ["Touch"]


def test_stdin_closed_mid_turn_finishes_the_turn_and_saves_the_session(
    claw, loop_env, workspace, session_events
):
    with _touching(claw, loop_env, "asked.txt", last="finished without the client") as driver:
        driver.send(_user("make a file"))
        driver.asked()  # the client is asked, and goes away
        driver.finish()
    result = [o for o in driver.seen if o["type"] == "result"][-1]
    assert result["result"] == "finished without the client"
    assert result["permission_denials"][0]["tool_use_id"] == "toolu_1"
    assert not (workspace / "asked.txt").exists()
    events = session_events(result["session_id"])
    assert [e["type"] for e in events][-2:] == ["result", "session_end"]
    denied = loop_env.requests[-1]["messages"][-1]["content"][0]
    assert denied["is_error"] and "stdin ended before the client answered" in denied["content"]


def test_a_question_after_stdin_closed_is_denied_at_once_not_waited_for(claw, loop_env, workspace):
    """The client sent its message and closed stdin before claw had anything to ask: the question has
    no one to answer it, so the call is denied at once and the turn ends (it used to wait forever)."""
    loop_env.script(Reply(ToolCall("Touch", {"name": "late.txt"}, id="toolu_1")), Reply(Text("gave up")))
    stdin = json.dumps(_user("make a file")) + "\n"
    done = claw.subprocess(*ARGS, "--permission-prompt-tool", "stdio", input=stdin, timeout=60)
    result = [o for o in done.assert_success().json_lines() if o["type"] == "result"][-1]
    assert result["result"] == "gave up" and result["permission_denials"][0]["tool_use_id"] == "toolu_1"
    denied = loop_env.requests[-1]["messages"][-1]["content"][0]
    assert denied["is_error"] and "stdin ended before the client answered" in denied["content"]
    assert not (workspace / "late.txt").exists()


def test_initialize_registers_hook_callbacks_that_the_client_answers(claw, loop_env, workspace):
    loop_env.script(Reply(ToolCall("Touch", {"name": "no.txt"}, id="toolu_1")), Reply(Text("done")))
    with Driver(claw, "--include-hook-events", "--permission-mode", "bypassPermissions") as driver:
        hooks = {"PreToolUse": [{"matcher": "Touch", "hookCallbackIds": ["cb_1"], "timeout": 5}]}
        driver.send(_request("init", "initialize", hooks=hooks))
        assert driver.response("init")["response"]["hooks_applied"] is True
        driver.send(_user("make a file"))
        asked = driver.asked()
        assert asked["request"]["subtype"] == "hook_callback" and asked["request"]["callback_id"] == "cb_1"
        assert asked["request"]["input"]["tool_input"] == {"name": "no.txt"}
        assert asked["request"]["tool_use_id"] == "toolu_1"
        block = {"decision": "block", "reason": "not today"}
        driver.answer(asked, block)
        result = driver.result()
        driver.send(_request("late", "initialize", hooks=hooks))  # after the start: cannot register
        late = driver.response("late")
        driver.finish()
    assert result["result"] == "done" and not (workspace / "no.txt").exists()
    assert "not today" in loop_env.requests[-1]["messages"][-1]["content"][0]["content"]
    hook_events = [
        (o["subtype"], o["hook_event"]) for o in driver.seen if o.get("subtype", "").startswith("hook_")
    ]
    assert hook_events == [("hook_started", "PreToolUse"), ("hook_response", "PreToolUse")]
    assert late == {
        "subtype": "error",
        "request_id": "late",
        "error": "initialize must be the first message to register hooks (the session has started)",
    }


def test_a_malformed_initialize_is_an_error_response_and_the_session_goes_on(claw, loop_env):
    loop_env.script(Reply(Text("still here")))
    with Driver(claw) as driver:
        driver.send(_request("init", "initialize", hooks={"PreToolUse": "nope"}))
        assert driver.response("init") == {
            "subtype": "error",
            "request_id": "init",
            "error": 'initialize: hooks["PreToolUse"] must be a list of matchers',
        }
        driver.send(_user("hi"))
        result = driver.result()
        driver.finish()
    assert result["result"] == "still here"


def test_permission_updates_of_an_allow_apply_to_the_session(claw, loop_env, workspace):
    updates = [
        {"type": "setMode", "mode": "bypassPermissions", "destination": "session"},
        {"type": "addRules", "rules": [{"toolName": "Touch"}], "behavior": "deny", "destination": "session"},
    ]
    # Not asked again (bypassPermissions), but the session's new deny rule stopped the second call.
    result = _allow_the_first_touch(claw, loop_env, lambda asked: updates)
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["one.txt"]
    assert [d["tool_use_id"] for d in result["permission_denials"]] == ["toolu_2"]
    assert not (workspace / ".claw" / "settings.local.json").exists()  # session updates are not saved


CONTROL_PLUGIN = """
import asyncio
import claw

@claw.hookimpl
def claw_control_request(subtype, request, session):
    if subtype == "echo":
        return {"echo": request["text"], "tools": len(session.session_tools)}
    if subtype == "refuse":
        return "refused: " + request["why"]
    if subtype == "slow":
        async def later():
            await asyncio.sleep(0.5)
            return {"slept": True}
        return later()
    if subtype == "broken":
        async def fail():
            raise RuntimeError("boom")
        return fail()
    return None
"""


def test_plugins_answer_control_requests_the_kernel_does_not_own(claw, loop_env, plugin_module):
    plugin_module("control_plugin", CONTROL_PLUGIN)
    loop_env.script(Reply(Text("done")))
    with Driver(claw) as driver:
        driver.send(_request("init", "initialize"))
        driver.send(_request("slow", "slow"))
        driver.send(_request("echo", "echo", text="hi"))
        driver.send(_request("refuse", "refuse", why="not now"))
        driver.send(_request("broken", "broken"))
        driver.send(_request("none", "nobody-owns-this"))
        answers = {
            _rid(o): o["response"]
            for o in driver.until(lambda o: _rid(o) == "slow")
            if o["type"] == "control_response"
        }
        driver.send(_user("hello"))  # the session went on
        result = driver.result()
        err = driver.finish()
    assert result["result"] == "done"
    assert answers["echo"]["response"] == {"echo": "hi", "tools": 0}
    assert answers["refuse"] == {"subtype": "error", "request_id": "refuse", "error": "refused: not now"}
    assert answers["slow"]["response"] == {"slept": True}
    order = [_rid(o) for o in driver.seen if o["type"] == "control_response"]
    assert order.index("echo") < order.index("slow"), "a slow answer holds up no other request"
    assert answers["broken"]["error"] == "plugin control_plugin failed on broken"
    assert "RuntimeError: boom" in err
    assert answers["none"]["error"] == "unsupported control request subtype: nobody-owns-this"


def test_context_usage_says_whether_the_compactor_compacts_automatically(claw, loop_env, claw_env, workspace):
    settings = workspace / ".claw" / "settings.json"
    settings.parent.mkdir()
    enabled = []
    loop_env.script(*[Reply(Text("ok"))] * 3)
    for auto, disabled in ((True, ""), (False, ""), (True, "compaction")):
        settings.write_text(json.dumps({"compaction": {"auto": auto}}))
        claw_env["CLAW_DISABLE_PLUGINS"] = disabled  # no claw-compaction: nothing compacts
        with Driver(claw) as driver:
            driver.send(_request("usage", "get_context_usage"))
            usage = driver.response("usage")["response"]
            driver.send(_user("hi"))
            assert driver.result()["result"] == "ok"
            driver.finish()
        assert usage["maxTokens"] == 200_000
        enabled.append(usage["isAutoCompactEnabled"])
    assert enabled == [True, False, False]
