"""The Agent SDK's ``agents`` option (subagents defined in code) against claw through the real Python SDK,
which sends them in ``initialize``: they become claw-agents' ``--agents`` definitions, so the model is
offered them in the ``Agent`` tool and a call runs one with its own prompt and tools, as in Claude Code."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from claude_agent_sdk import AgentDefinition, ClaudeAgentOptions, ResultMessage, query
from claw.testing.script import Reply, Text, ToolCall

CLAW = str(Path(sys.executable).with_name("claw"))


def _run(env: dict[str, str], workspace: Path, **more: Any) -> list[Any]:
    options = ClaudeAgentOptions(cli_path=CLAW, cwd=str(workspace), env=dict(env), **more)

    async def collect() -> list[Any]:
        return [m async for m in query(prompt="review it", options=options)]

    return asyncio.run(collect())


def test_the_sdks_agents_are_offered_and_run(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    call = {"subagent_type": "reviewer", "description": "review", "prompt": "review the diff"}
    scripted_default.script(
        Reply(ToolCall("Agent", call, id="toolu_a")), Reply(Text("looks fine")), Reply(Text("reviewed"))
    )
    reviewer = AgentDefinition(
        description="Reviews a diff for bugs.", prompt="You are a strict reviewer.", tools=["Read"]
    )
    messages = _run(claw_env, workspace, agents={"reviewer": reviewer}, allowed_tools=["Agent"])
    assert isinstance(messages[-1], ResultMessage) and messages[-1].result == "reviewed"
    parent, child, _ = scripted_default.requests
    agent = next(t for t in parent["tools"] if t["name"] == "Agent")
    assert "- reviewer: Reviews a diff for bugs. (Tools: Read)" in agent["description"]
    assert "You are a strict reviewer." in json.dumps(child["system"])
    assert [t["name"] for t in child["tools"]] == ["Read"]


def test_a_malformed_agents_field_is_the_initialize_error(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    """The SDK itself only sends objects; another client's list is refused, naming the field."""
    from claw.testing import ClawRunner

    init = {
        "type": "control_request",
        "request_id": "r1",
        "request": {"subtype": "initialize", "agents": ["x"]},
    }
    user = {"type": "user", "message": {"role": "user", "content": "hi"}}
    stdin = "\n".join(json.dumps(m) for m in (init, user)) + "\n"
    done = ClawRunner(claw_env, workspace).subprocess(
        "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", input=stdin
    )
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    reply = next(a for a in answers if a.get("type") == "control_response")
    assert reply["response"]["subtype"] == "error"
    assert reply["response"]["error"] == 'initialize: "agents" must be an object of agent name -> definition'


def test_without_claw_agents_the_sdks_agents_are_one_warning(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    from claw.testing import ClawRunner

    scripted_default.script(Reply(Text("hi")))
    agents = {"reviewer": {"description": "Reviews.", "prompt": "Review."}}
    init = {
        "type": "control_request",
        "request_id": "r1",
        "request": {"subtype": "initialize", "agents": agents},
    }
    user = {"type": "user", "message": {"role": "user", "content": "hi"}}
    stdin = "\n".join(json.dumps(m) for m in (init, user)) + "\n"
    env = {**claw_env, "CLAW_DISABLE_PLUGINS": "agents-subagents"}
    done = ClawRunner(env, workspace).subprocess(
        "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", input=stdin
    )
    assert done.exit_code == 0
    warning = (
        "claw: warning: the Agent SDK's agents are not offered to the model: claw-agents is not installed"
    )
    assert [line for line in done.stderr.splitlines() if "Agent SDK's agents" in line] == [
        warning + " or is disabled"
    ]
