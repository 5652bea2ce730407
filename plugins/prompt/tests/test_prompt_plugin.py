"""claw-prompt is a plugin like any other: the entry point ``prompt`` answering ``claw_system_prompt``;
without it ``-p`` and ``claw print-system-prompt`` still run with the flags' text alone and one line says
what to install; a third-party plugin adds a section or replaces claw's instructions through the hook."""

from __future__ import annotations

from typing import Any

from claw.testing.script import Reply, Text

NO_PROMPT = (
    "claw: warning: claw's instructions and CLAUDE.md files need claw-prompt, which is not installed or is "
    "disabled (pip install claw-prompt)"
)

#: A third-party plugin adding its own section, its text from the workspace it is given.
TEAM = """
import claw

@claw.hookimpl
def claw_system_prompt(workspace):
    return {"team": "TEAM RULES for " + workspace.name}
"""

#: A third-party plugin replacing claw's own instructions, keeping the other sections.
BOB = """
import claw

@claw.hookimpl
def claw_system_prompt():
    return {"instructions": "You are Bob."}
"""


def _system(request: dict[str, Any]) -> str:
    return "".join(block["text"] for block in request["system"])


def test_the_prompt_is_the_prompt_entry_point_of_claw_prompt(claw):
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    assert (records["prompt"]["distribution"], records["prompt"]["status"]) == ("claw-prompt", "loaded")


def test_disabled_p_and_print_system_prompt_run_with_the_flags_text_only(claw, claw_env, loop_env, workspace):
    claw_env["CLAW_DISABLE_PLUGINS"] = "prompt"
    (workspace / "CLAUDE.md").write_text("PROJECT RULES")
    loop_env.script(Reply(Text("bare")), Reply(Text("flagged")))
    bare = claw("-p", "hello").assert_success()
    assert bare.stdout == "bare\n" and loop_env.requests[0]["system"] == []
    assert bare.stderr.splitlines() == [NO_PROMPT]
    flags = ["--system-prompt", "Be terse.", "--append-system-prompt", "THE END"]
    flagged = claw(*flags, "-p", "hello").assert_success()
    assert flagged.stdout == "flagged\n" and _system(loop_env.requests[1]) == "Be terse.\n\nTHE END"
    assert flagged.stderr.splitlines() == [NO_PROMPT]
    printed = claw(*flags, "print-system-prompt").assert_success()
    assert printed.stdout == "Be terse.\n\nTHE END\n" and printed.stderr.splitlines() == [NO_PROMPT]


def test_a_plugin_adds_a_section_after_claws_and_before_the_appended_text(
    claw, loop_env, plugin_module, workspace
):
    plugin_module("team_prompt", TEAM)
    (workspace / "CLAUDE.md").write_text("PROJECT RULES")
    loop_env.script(Reply(Text("ok")))
    claw("--append-system-prompt", "THE END", "-p", "hi").assert_success()
    sent = _system(loop_env.requests[0])
    order = [
        "You are claw",
        "Working directory:",
        "PROJECT RULES",
        f"TEAM RULES for {workspace.name}",
        "THE END",
    ]
    positions = [sent.index(s) for s in order]
    assert positions == sorted(positions) and sent.endswith("\n\nTHE END")
    printed = claw("--append-system-prompt", "THE END", "print-system-prompt").assert_success()
    assert printed.stdout.rstrip("\n") == sent and printed.stderr == ""


def test_a_plugin_replaces_claws_instructions_and_the_flag_still_wins(
    claw, claw_env, plugin_module, workspace
):
    plugin_module("bob_prompt", BOB)
    (workspace / "CLAUDE.md").write_text("PROJECT RULES")
    printed = claw("print-system-prompt").assert_success().stdout
    assert printed.startswith("You are Bob.\n\n<env>") and "You are claw" not in printed
    assert "PROJECT RULES" in printed
    flagged = claw("--system-prompt", "Be terse.", "print-system-prompt").assert_success().stdout
    assert flagged.startswith("Be terse.\n\n<env>") and "You are Bob." not in flagged
    # it replaces claw-prompt altogether: no environment, no CLAUDE.md, and nothing to warn about
    claw_env["CLAW_DISABLE_PLUGINS"] = "prompt"
    alone = claw("print-system-prompt").assert_success()
    assert (alone.stdout, alone.stderr) == ("You are Bob.\n", "")


def test_an_answer_that_is_no_dict_of_texts_is_ignored_in_one_line(claw, plugin_module):
    plugin_module(
        "bad_prompt",
        "import claw\n@claw.hookimpl\ndef claw_system_prompt():\n    return ['not', 'a', 'dict']\n",
    )
    done = claw("print-system-prompt").assert_success()
    assert done.stdout.startswith("You are claw")
    assert done.stderr.splitlines() == [
        'claw: warning: plugin "bad_prompt" answered claw_system_prompt with no dict of texts; ignored'
    ]
