"""``--input-format stream-json``: NDJSON user messages on stdin, one turn each, through ``claw -p``."""

from __future__ import annotations

import json

from claw._cli.stream_input import NO_CONTROL
from claw.testing.script import Reply, Text

ARGS = ["-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json"]


def _user(content: object) -> str:
    return json.dumps({"type": "user", "message": {"role": "user", "content": content}}) + "\n"


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_each_message_is_a_turn_of_one_session(claw, loop_env, session_events):
    loop_env.script(Reply(Text("first answer")), Reply(Text("second answer")))
    stdin = _user("hello") + "\n" + _user([{"type": "text", "text": "and then?"}])
    out = _lines(claw(*ARGS, input=stdin).assert_success().stdout)
    kinds = [(o["type"], o.get("subtype")) for o in out]
    assert kinds == [
        ("system", "init"),
        ("assistant", None),
        ("result", "success"),
        ("assistant", None),
        ("result", "success"),
    ]
    assert [o["result"] for o in out if o["type"] == "result"] == ["first answer", "second answer"]
    assert len({o["session_id"] for o in out}) == 1
    second = loop_env.requests[1]["messages"]
    assert [m["role"] for m in second] == ["user", "assistant", "user"]
    assert second[0]["content"] == [{"type": "text", "text": "hello"}]
    assert second[2]["content"] == [{"type": "text", "text": "and then?"}]
    events = session_events(out[0]["session_id"])
    assert [e["type"] for e in events].count("result") == 2


def test_stream_json_input_needs_stream_json_output(claw, loop_env):
    res = claw("-p", "--input-format", "stream-json", input=_user("hi")).assert_failure(2)
    assert (
        res.stderr.strip() == "claw: error: --input-format=stream-json requires --output-format=stream-json"
    )
    res = claw(*ARGS, "a prompt", input=_user("hi")).assert_failure(2)
    assert "prompts come on stdin" in res.stderr
    assert loop_env.requests == []


def test_a_malformed_line_ends_the_run_and_keeps_the_turns_done(claw, loop_env, session_events):
    loop_env.script(Reply(Text("done once")), Reply(Text("never")))
    stdin = _user("one") + "{not json\n" + _user("three")
    res = claw(*ARGS, input=stdin).assert_failure(1)
    last = res.stderr.strip().splitlines()[-1]  # --verbose (needed by stream-json) adds the traceback
    assert last.startswith("claw: error: stdin line 2: invalid JSON")
    out = _lines(res.stdout)
    assert [o["type"] for o in out] == ["system", "assistant", "result"]
    assert len(loop_env.requests) == 1
    events = session_events(out[0]["session_id"])
    assert [e["message"]["content"][0]["text"] for e in events if e["type"] == "user"] == ["one"]
    assert events[-1]["type"] == "session_end"


def test_bad_messages_name_their_line(claw, loop_env):
    cases = {
        json.dumps({"type": "assistant", "message": {}}): 'got "assistant"',
        json.dumps({"type": "user", "message": {"role": "user", "content": 3}}): "must be a string",
        _user([{"type": "tool_result", "tool_use_id": "x"}]).strip(): 'type "tool_result" is not allowed',
        _user([{"type": "text"}]).strip(): "content block 0: text: Field required",
    }
    for line, why in cases.items():
        res = claw(*ARGS, input="\n" + line + "\n").assert_failure(1)
        last = res.stderr.strip().splitlines()[-1]
        assert last.startswith("claw: error: stdin line 2: ") and why in last
    assert loop_env.requests == []


def test_no_message_at_all_is_an_error(claw, loop_env):
    res = claw(*ARGS, input="\n").assert_failure(1)
    assert "stdin held no user message" in res.stderr


def test_a_driver_talks_turn_by_turn_and_sigterm_while_waiting_saves_the_session(
    claw, loop_env, session_events
):
    import signal
    import subprocess

    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    proc = claw.popen(*ARGS, stdin=subprocess.PIPE)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        results = []
        for prompt in ("first", "second"):
            proc.stdin.write(_user(prompt))
            proc.stdin.flush()  # the next message is written only after the previous result is read
            while (line := json.loads(proc.stdout.readline()))["type"] != "result":
                session_id = line["session_id"]
            results.append(line["result"])
        proc.send_signal(signal.SIGTERM)  # waiting for a third message, stdin still open
        assert proc.stderr is not None  # not communicate(): closing stdin would end the input first
        err = proc.stderr.read()  # until the process exits
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert results == ["one", "two"]
    assert proc.returncode == 143 and "terminated by SIGTERM" in err
    events = session_events(session_id)
    assert [e["message"]["content"][0]["text"] for e in events if e["type"] == "user"] == ["first", "second"]
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "interrupted"


def test_on_a_terminal_without_p_stream_json_input_is_still_a_usage_error(claw_env, workspace, loop_env):
    from claw.testing import claw_on_terminal

    with claw_on_terminal(["--input-format", "stream-json"], env=claw_env, cwd=workspace) as (proc, _):
        out, err = proc.communicate(timeout=30)  # no REPL starts, so nothing waits for the terminal
    assert proc.returncode == 2 and out == ""
    assert err.strip() == "claw: error: --input-format=stream-json requires --output-format=stream-json"
    assert loop_env.requests == []


def test_without_claw_sdk_user_messages_run_and_control_requests_get_an_error_naming_it(
    claw, claw_env, loop_env
):
    claw_env["CLAW_DISABLE_PLUGINS"] = "sdk"
    loop_env.script(Reply(Text("answered")))
    request = {"type": "control_request", "request_id": "r1", "request": {"subtype": "interrupt"}}
    stdin = json.dumps(request) + "\n" + _user("hi")
    res = claw(*ARGS, "--replay-user-messages", input=stdin).assert_success()
    out = _lines(res.stdout)
    assert out[0] == {
        "type": "control_response",
        "response": {"subtype": "error", "request_id": "r1", "error": NO_CONTROL},
    }
    assert [o["type"] for o in out[1:]] == ["system", "user", "assistant", "result"]
    assert out[2]["isReplay"] is True and out[-1]["result"] == "answered"
    assert res.stderr.count("pip install claw-sdk") == 1


def test_without_claw_sdk_its_flags_are_refused_naming_it(claw, claw_env, loop_env, workspace):
    claw_env["CLAW_DISABLE_PLUGINS"] = "sdk"
    res = claw("-p", "hi", "--max-thinking-tokens", "2000").assert_failure(2)
    assert res.stderr.splitlines()[0] == (
        "claw: error: --max-thinking-tokens needs the claw-sdk plugin, which is not installed or is "
        "disabled (pip install claw-sdk)"
    )
    res = claw(*ARGS, "--permission-prompt-tool", "stdio", input=_user("hi")).assert_failure(2)
    assert res.stderr.strip() == f"claw: error: --permission-prompt-tool stdio: {NO_CONTROL}"
    claw("-p", "hi", "--no-such-flag").assert_failure(2, "No such option '--no-such-flag'")
    assert loop_env.requests == []
    # Claude Code's own flags stay the kernel's: claw -p runs as before
    (workspace / "system.md").write_text("From a file.")
    loop_env.script(Reply(Text("plain")))
    assert claw("-p", "hi", "--system-prompt-file", "system.md").assert_success().stdout == "plain\n"
    assert loop_env.requests[0]["system"][0]["text"].startswith("From a file.")


REPLACEMENT = """
import claw


class Pinging(claw.StreamJsonInput):
    def control(self, data, number):
        self.respond(data["request_id"], {"pong": data["request"]["subtype"]})


@claw.hookimpl
def claw_stream_input(stdin, out, options, replay, permission_prompt):
    return Pinging(stdin, out, replay=replay)
"""


def test_a_plugin_replaces_the_reader_of_stdin(claw, loop_env, plugin_module):
    plugin_module("pinging_input", REPLACEMENT)
    loop_env.script(Reply(Text("answered")))
    request = {"type": "control_request", "request_id": "r1", "request": {"subtype": "initialize"}}
    out = _lines(claw(*ARGS, input=json.dumps(request) + "\n" + _user("hi")).assert_success().stdout)
    assert out[0] == {
        "type": "control_response",
        "response": {"subtype": "success", "request_id": "r1", "response": {"pong": "initialize"}},
    }
    assert out[-1]["result"] == "answered"
