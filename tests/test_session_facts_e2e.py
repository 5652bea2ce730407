"""What ``system/init`` and the Agent SDK's ``initialize`` answer say of the session's output style, sub-agents
and skills: the facts claw-prompt, claw-agents and claw-tools-workflow report
(:attr:`claw.SessionContext.facts`), printed by claw-output and claw-sdk, as Claude Code's
(``output_style``, ``agents`` names and ``skills`` in ``system/init``; ``output_style``,
``available_output_styles`` and ``agents`` as ``AgentInfo`` in the ``initialize`` answer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text

pytestmark = pytest.mark.usefixtures("trusted_workspace")


@pytest.fixture
def customised(workspace: Path, claw_env: dict[str, str]) -> Path:
    """A workspace with a custom output style chosen in its settings, an agent and a skill."""
    claw_dir = workspace / ".claw"
    (claw_dir / "output-styles").mkdir(parents=True)
    (claw_dir / "output-styles" / "terse.md").write_text("---\nname: Terse\n---\nAnswer in one line.\n")
    (claw_dir / "agents").mkdir()
    (claw_dir / "agents" / "reviewer.md").write_text(
        "---\nname: reviewer\ndescription: Reviews diffs.\nmodel: haiku\n---\nReview.\n"
    )
    (claw_dir / "skills" / "deploy").mkdir(parents=True)
    (claw_dir / "skills" / "deploy" / "SKILL.md").write_text("---\ndescription: Deploys.\n---\nDeploy it.\n")
    (claw_dir / "commands").mkdir()
    (claw_dir / "commands" / "hello.md").write_text("Say hello.\n")
    (claw_dir / "settings.json").write_text(json.dumps({"outputStyle": "terse"}))
    return workspace


def test_init_reports_the_active_output_style_the_agents_and_the_skills(
    claw: Any, loop_env: Any, customised: Path
) -> None:
    loop_env.script(Reply(Text("ok")))
    init = claw("-p", "hi", "--output-format", "stream-json", "--verbose").assert_success().json_lines()[0]
    assert init["output_style"] == "Terse"
    assert {"general-purpose", "reviewer"} <= set(init["agents"])
    assert init["skills"] == ["deploy"]  # the command ``hello`` is a slash command, not a skill
    assert {"deploy", "hello"} <= set(init["slash_commands"])


def test_init_without_settings_reports_claude_codes_default_style(claw: Any, loop_env: Any) -> None:
    loop_env.script(Reply(Text("ok")))
    init = claw("-p", "hi", "--output-format", "stream-json", "--verbose").assert_success().json_lines()[0]
    assert init["output_style"] == "default" and init["skills"] == []
    assert init["agents"] == ["general-purpose"]


def test_the_initialize_answer_carries_the_styles_and_the_agents(
    claw: Any, loop_env: Any, customised: Path
) -> None:
    loop_env.script(Reply(Text("ok")))
    init = {"type": "control_request", "request_id": "r1", "request": {"subtype": "initialize"}}
    user = {"type": "user", "message": {"role": "user", "content": "hi"}}
    stdin = "\n".join(json.dumps(m) for m in (init, user)) + "\n"
    done = claw(
        "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", input=stdin
    ).assert_success()
    (reply,) = [m for m in done.json_lines() if m["type"] == "control_response"]
    answer = reply["response"]["response"]
    assert answer["output_style"] == "Terse"
    assert answer["available_output_styles"] == ["default", "Explanatory", "Learning", "Terse"]
    reviewer = next(a for a in answer["agents"] if a["name"] == "reviewer")
    assert reviewer == {"name": "reviewer", "description": "Reviews diffs.", "model": "haiku"}
