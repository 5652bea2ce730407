"""The kernel's side of ``--input-format stream-json``: the flags it checks, and the reader of stdin a
plugin answers (``claw_stream_input``): claw-sdk's (its own tests: plugins/sdk/tests/test_stream_input.py),
another plugin's, or none (claw-sdk disabled: one line naming it)."""

from __future__ import annotations

import json

from claw._cli.stream_input import NO_READER
from claw.testing.script import Reply, Text

ARGS = ["-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json"]


def _user(content: object) -> str:
    return json.dumps({"type": "user", "message": {"role": "user", "content": content}}) + "\n"


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_stream_json_input_needs_stream_json_output(claw, loop_env):
    res = claw("-p", "--input-format", "stream-json", input=_user("hi")).assert_failure(2)
    assert (
        res.stderr.strip() == "claw: error: --input-format=stream-json requires --output-format=stream-json"
    )
    res = claw(*ARGS, "a prompt", input=_user("hi")).assert_failure(2)
    assert "prompts come on stdin" in res.stderr
    assert loop_env.requests == []


def test_on_a_terminal_without_p_stream_json_input_is_still_a_usage_error(claw_env, workspace, loop_env):
    from claw.testing import claw_on_terminal

    with claw_on_terminal(["--input-format", "stream-json"], env=claw_env, cwd=workspace) as (proc, _):
        out, err = proc.communicate(timeout=30)  # no REPL starts, so nothing waits for the terminal
    assert proc.returncode == 2 and out == ""
    assert err.strip() == "claw: error: --input-format=stream-json requires --output-format=stream-json"
    assert loop_env.requests == []


def test_without_claw_sdk_its_flags_are_refused_naming_it(claw, claw_env, loop_env, workspace):
    claw_env["CLAW_DISABLE_PLUGINS"] = "sdk"
    res = claw("-p", "hi", "--max-thinking-tokens", "2000").assert_failure(2)
    assert res.stderr.splitlines()[0] == (
        "claw: error: --max-thinking-tokens needs the claw-sdk plugin, which is not installed or is "
        "disabled (pip install claw-sdk)"
    )
    res = claw(*ARGS, "--permission-prompt-tool", "stdio", input=_user("hi")).assert_failure(1)
    assert res.stderr.strip() == f"claw: error: {NO_READER}"
    claw("-p", "hi", "--no-such-flag").assert_failure(2, "No such option '--no-such-flag'")
    assert loop_env.requests == []
    # Claude Code's own flags stay the kernel's: claw -p runs as before
    (workspace / "system.md").write_text("From a file.")
    loop_env.script(Reply(Text("plain")))
    assert claw("-p", "hi", "--system-prompt-file", "system.md").assert_success().stdout == "plain\n"
    assert loop_env.requests[0]["system"][0]["text"].startswith("From a file.")


def test_without_claw_sdk_stream_json_input_ends_with_one_line_naming_it(claw, claw_env, loop_env):
    claw_env["CLAW_DISABLE_PLUGINS"] = "sdk"
    res = claw(*ARGS, "--replay-user-messages", input=_user("hi")).assert_failure(1)
    assert res.stderr == (
        "claw: error: --input-format=stream-json needs claw-sdk, which is not installed or is disabled "
        "(pip install claw-sdk)\n"
    )
    assert res.stdout == "" and loop_env.requests == []
    # print mode without stream-json input runs as before
    loop_env.script(Reply(Text("plain")))
    assert claw("-p", "hello").assert_success().stdout == "plain\n"


#: A third-party reader: each non-blank stdin line is a plain-text prompt. It meets the contract
#: (``open``, ``prompts``) without claw-sdk or any kernel base class.
PLAIN_LINES = """
import asyncio

import claw


class PlainLines:
    def __init__(self, stdin, options):
        self.stdin = stdin
        self.options = options

    async def open(self, options):
        options.append_system_prompt = "Read by plain_lines."

    async def prompts(self, loop):
        while line := await asyncio.to_thread(self.stdin.readline):
            if line.strip():
                yield line.strip()


@claw.hookimpl
def claw_stream_input(stdin, out, options, replay, permission_prompt):
    return PlainLines(stdin, options)
"""


def test_a_plugin_answers_with_its_own_reader_of_stdin(claw, claw_env, loop_env, plugin_module):
    claw_env["CLAW_DISABLE_PLUGINS"] = "sdk"  # it replaces claw-sdk's reader, not extends it
    plugin_module("plain_lines", PLAIN_LINES)
    loop_env.script(Reply(Text("first answer")), Reply(Text("second answer")))
    out = _lines(claw(*ARGS, input="hello\n\nand then?\n").assert_success().stdout)
    assert [o["result"] for o in out if o["type"] == "result"] == ["first answer", "second answer"]
    assert len({o["session_id"] for o in out}) == 1
    second = loop_env.requests[1]["messages"]
    assert [m["content"][0]["text"] for m in second if m["role"] == "user"] == ["hello", "and then?"]
    assert any("Read by plain_lines." in block["text"] for block in loop_env.requests[0]["system"])


#: A reader that wakes the session itself: ``!notice`` is a notice told (as a background job's end is)
#: and a ``None`` yielded, the contract's woken turn.
WAKING_LINES = PLAIN_LINES.replace(
    "            if line.strip():",
    """            if line.strip() == "!notice":
                loop.ctx.notify("the job ended")
                yield None
            elif line.strip():""",
)


def test_a_reader_yielding_none_wakes_a_turn_of_the_notices(
    claw, claw_env, loop_env, plugin_module, session_events
):  # type: ignore[no-untyped-def]
    claw_env["CLAW_DISABLE_PLUGINS"] = "sdk"
    plugin_module("waking_lines", WAKING_LINES)
    loop_env.script(Reply(Text("first answer")), Reply(Text("noted")))
    out = _lines(claw(*ARGS, input="hello\n!notice\n").assert_success().stdout)
    assert [(o["type"], o.get("result")) for o in out[1:]] == [
        ("assistant", None),
        ("result", "first answer"),
        ("assistant", None),
        ("result", "noted"),
    ]
    told = loop_env.requests[1]["messages"][-1]
    assert told == {"role": "user", "content": [{"type": "text", "text": "the job ended"}]}
    users = [e for e in session_events(out[0]["session_id"]) if e["type"] == "user"]
    assert [(e["message"]["content"][0]["text"], bool(e.get("notice"))) for e in users] == [
        ("hello", False),
        ("the job ended", True),
    ]
