"""``claw -p --disable-slash-commands``: Claude Code's "Disable all skills". As Claude Code's, the run
offers no skill or custom slash command (``/greet`` is then claw's one-line "unknown slash command"
error) and the model gets no Skill tool; the rest of the folder (CLAUDE.md, other tools) is as always."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text
from customized_folder import customize, init_event

pytestmark = pytest.mark.usefixtures("trusted_workspace")


@pytest.fixture
def folder(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    customize(workspace, claw_env, kinds=("commands", "skills"), hook_and_server=False)
    return scripted


@pytest.mark.parametrize("disabled", [False, True])
def test_no_skill_no_custom_command_no_skill_tool(claw, folder, disabled: bool) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    flags = ["--disable-slash-commands"] if disabled else []
    res = claw.subprocess(
        "-p", "hello", "--output-format", "stream-json", "--verbose", *flags
    ).assert_success()
    init = init_event(res.stdout)
    request = folder.requests[-1]
    tools = {t["name"] for t in request.get("tools") or []}
    assert ("greet" in init["slash_commands"]) is not disabled
    assert ("tidy" in init["slash_commands"]) is not disabled
    assert ("Skill" in tools) is not disabled
    assert "BANANA-CASE" in json.dumps(request["system"]) and "Read" in tools


def test_a_custom_command_typed_is_unknown(claw, folder) -> None:  # type: ignore[no-untyped-def]
    folder.script(Reply(Text("done")))
    claw.subprocess("-p", "/greet").assert_success()
    assert "GREETING-BODY" in json.dumps(folder.requests[-1]["messages"])
    res = claw.subprocess("-p", "/greet", "--disable-slash-commands")
    res.assert_failure(1, "claw: error: unknown slash command /greet")
