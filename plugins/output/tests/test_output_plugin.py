"""The ``renderers`` plugin (claw-output): listed as the default answer to ``claw_output_renderer``; disabled,
``claw -p`` still prints its answers in text while the JSON formats stop with one line naming
claw-output; and a third-party plugin replaces a format by answering the hook first."""

from __future__ import annotations

import json

import pytest
from claw.testing.script import Fault, Reply, Text, ToolCall

#: A text renderer that prints only the result, in capitals; other formats stay claw-output's.
LOUD_TEXT = """
import claw


class Loud(claw.Renderer):
    def __init__(self, out):
        self.out = out

    def result(self, data):
        self.out.write("LOUD: " + data["result"].upper() + "\\n")


@claw.hookimpl(tryfirst=True)
def claw_output_renderer(format, partial, out):
    return Loud(out) if format == "text" else None
"""

#: A ``json`` renderer of its own: the result's text and its turns, as a smaller object.
SMALL_JSON = """
import json
import claw


class Small(claw.Renderer):
    def __init__(self, out):
        self.out = out

    def result(self, data):
        self.out.write(json.dumps({"answer": data["result"], "turns": data["num_turns"]}) + "\\n")


@claw.hookimpl
def claw_output_renderer(format, partial, out):
    return Small(out) if format == "json" else None
"""


def test_the_plugin_is_listed_under_the_old_builtins_name(claw):
    (record,) = [p for p in claw("plugins", "--json").assert_success().json() if p["name"] == "renderers"]
    assert record["distribution"] == "claw-output" and record["status"] == "loaded"
    assert record["module"] == "claw_output.plugin"


def test_disabled_text_still_prints_each_answer_whole(claw, claw_env, loop_env):
    claw_env["CLAW_DISABLE_PLUGINS"] = "renderers"
    loop_env.script(
        Reply(Text("Looking."), ToolCall("Echo", {"text": "q"})),
        Fault(kind="cut", after_events=1, reply=Reply(Text("All done."))),  # half streamed, then retried
        Reply(Text("All done.")),
    )
    res = claw("-p", "hello").assert_success()
    assert res.stdout == "Looking.\nAll done.\n"
    assert "retrying after" in res.stderr


@pytest.mark.parametrize("fmt", ["json", "stream-json"])
def test_disabled_the_json_formats_name_the_distribution(claw, claw_env, loop_env, fmt):
    settings = json.dumps({"plugins": {"disabled": ["renderers"]}})
    failed = claw("--settings", settings, "-p", "hello", "--output-format", fmt, "--verbose")
    assert failed.exit_code == 1 and failed.stdout == ""
    assert failed.stderr.splitlines() == [
        f"claw: error: --output-format {fmt} needs claw-output, which is not installed or is disabled "
        "(pip install claw-output)"
    ]
    assert loop_env.requests == []  # stopped before the session asked the model anything


def test_a_plugin_replaces_the_text_renderer_and_leaves_json_to_the_default(claw, loop_env, plugin_module):
    plugin_module("loud_text", LOUD_TEXT)
    loop_env.script(Reply(Text("quiet words")), Reply(Text("quiet words")))
    assert claw("-p", "hi").assert_success().stdout == "LOUD: QUIET WORDS\n"
    assert claw("-p", "hi", "--output-format", "json").assert_success().json()["result"] == "quiet words"


def test_a_plugin_renders_json_in_claw_outputs_place(claw, claw_env, loop_env, plugin_module):
    plugin_module("small_json", SMALL_JSON)
    loop_env.script(Reply(Text("first")), Reply(Text("second")))
    assert claw("-p", "hi", "--output-format", "json").assert_success().json() == {
        "answer": "first",
        "turns": 1,
    }
    claw_env["CLAW_DISABLE_PLUGINS"] = "renderers"  # the replacement does not need the default
    assert claw("-p", "hi", "--output-format", "json").assert_success().json() == {
        "answer": "second",
        "turns": 1,
    }


#: A ``json`` renderer that prints the session's start facts (``Renderer.init``), not Claude Code's message.
INIT_FACTS = """
import json
import claw


class Facts(claw.Renderer):
    def __init__(self, out):
        self.out = out

    def init(self, facts):
        self.out.write(json.dumps(sorted(facts)) + " " + facts["permissionMode"] + "\\n")


@claw.hookimpl
def claw_output_renderer(format, partial, out):
    return Facts(out) if format == "json" else None
"""


def test_stream_json_prints_the_start_facts_in_claude_codes_init_and_a_renderer_gets_them(
    claw, loop_env, plugin_module
):
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    res = claw("-p", "hi", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits")
    init = res.assert_success().json_lines()[0]
    assert list(init) == [
        "type",
        "subtype",
        "cwd",
        "session_id",
        "tools",
        "mcp_servers",
        "model",
        "permissionMode",
        "slash_commands",
        "apiKeySource",
        "output_style",
        "agents",
        "skills",
        "plugins",
        "claude_code_version",
        "claw_version",
        "sandbox",
        "uuid",
    ]
    assert init["permissionMode"] == "acceptEdits" and init["claude_code_version"] == "2.0.0"
    plugin_module("init_facts", INIT_FACTS)
    out = (
        claw("-p", "hi", "--output-format", "json", "--permission-mode", "acceptEdits")
        .assert_success()
        .stdout
    )
    keys, mode = out.rsplit(" ", 1)
    loop = {"apiKeySource", "cwd", "mcp_servers", "model", "permissionMode", "plugins", "sandbox"}
    loop |= {"session_id", "slash_commands", "tools"}
    # and what the installed plugins reported (claw-prompt, claw-agents, claw-tools-workflow when there)
    reported = {"output_style", "available_output_styles", "agents", "skills"}
    assert loop <= set(json.loads(keys)) <= loop | reported and mode == "acceptEdits\n"
