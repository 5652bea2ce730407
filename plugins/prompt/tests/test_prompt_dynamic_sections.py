"""``--exclude-dynamic-system-prompt-sections``, as Claude Code's: the per-machine sections (environment,
CLAUDE.md files) leave the system prompt for a ``<system-reminder>`` leading the first user message of every
request, never stored in the session; ignored with ``--system-prompt``; ``claw print-system-prompt`` shows
the smaller prompt."""

from __future__ import annotations

import json
from typing import Any

from claw import _paths as paths
from claw.testing.script import Reply, Text, ToolCall

FLAG = "--exclude-dynamic-system-prompt-sections"


def _system(request: dict[str, Any]) -> str:
    return "".join(block["text"] for block in request["system"])


def _first(request: dict[str, Any]) -> list[str]:
    return [block.get("text", block.get("type")) for block in request["messages"][0]["content"]]


def test_the_per_machine_sections_lead_the_first_user_message_of_each_request(
    claw, claw_env, loop_env, workspace
):
    (workspace / "CLAUDE.md").write_text("PROJECT RULES")
    loop_env.script(Reply(ToolCall("Touch", {"name": "a.txt"})), Reply(Text("done")), Reply(Text("plain")))
    flagged = claw(FLAG, "-p", "hello", "--allowedTools", "Touch", "--output-format", "json").assert_success()
    plain = claw("-p", "hello").assert_success()
    assert plain.stdout == "plain\n"
    moved, whole = loop_env.requests[0], loop_env.requests[2]
    # the whole prompt is the smaller one and the moved sections, nothing lost
    system = _system(moved)
    assert system.startswith("You are claw") and "Working directory" not in system
    assert "PROJECT RULES" not in system and "<env>" in _system(whole) and "PROJECT RULES" in _system(whole)
    reminder, prompt = _first(moved)
    assert (
        reminder.startswith("<system-reminder>\n<env>\nWorking directory: ") and "PROJECT RULES" in reminder
    )
    assert reminder.endswith("</system-reminder>") and prompt == "hello"
    assert reminder.removeprefix("<system-reminder>\n").removesuffix("\n</system-reminder>") == (
        _system(whole).removeprefix(system).strip()
    )
    # the next request of the turn (after the tool call) carries it again, before the same prompt
    assert _first(loop_env.requests[1]) == [reminder, "hello"] and _system(loop_env.requests[1]) == system
    # and the session keeps only what the user said
    sid = flagged.json()["session_id"]
    stored = (paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl").read_text()
    assert "system-reminder" not in stored and "PROJECT RULES" not in stored
    assert json.loads(stored.splitlines()[1])["message"]["content"][0]["text"] == "hello"


def test_ignored_with_system_prompt_and_shown_by_print_system_prompt(claw, loop_env, workspace):
    (workspace / "CLAUDE.md").write_text("PROJECT RULES")
    loop_env.script(Reply(Text("ok")))
    claw(FLAG, "--system-prompt", "Be terse.", "-p", "hello").assert_success()
    sent = loop_env.requests[0]
    assert _system(sent).startswith("Be terse.\n\n<env>") and "PROJECT RULES" in _system(sent)
    assert _first(sent) == ["hello"]
    whole = claw("print-system-prompt", "--date", "2026-01-02").assert_success().stdout
    smaller = claw(FLAG, "print-system-prompt", "--date", "2026-01-02").assert_success().stdout
    assert "<env>" in whole and "PROJECT RULES" in whole
    assert (
        whole.startswith(smaller.rstrip("\n")) and "<env>" not in smaller and "PROJECT RULES" not in smaller
    )
    kept = claw(FLAG, "--system-prompt", "X", "print-system-prompt").assert_success().stdout
    assert kept.startswith("X\n\n<env>")
