"""claw-sdk's reader of ``--input-format stream-json``: NDJSON user messages on stdin, one turn each,
through ``claw -p``. (The kernel's side, a plugin's own reader and claw-sdk disabled:
kernel/tests/test_cli_stream_input.py.)"""

from __future__ import annotations

import json

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
