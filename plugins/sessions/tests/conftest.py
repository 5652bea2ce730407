"""Fixtures for the session store's tests: the ``scripted`` model as the default, with an ``Echo`` tool
(so sessions hold tool calls and results), and the events of a session file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ECHO = """
import claw
from claw import Tool, ToolResult, ToolSpec


class Echo(Tool):
    spec = ToolSpec(name="Echo", description="Echo text back.", read_only=True,
                    input_schema={"type": "object", "properties": {"text": {"type": "string"}}})

    async def run(self, input, ctx):
        return ToolResult(content="echo: " + str(input.get("text")))


@claw.hookimpl
def claw_register_tools(register):
    register(Echo())
"""


@pytest.fixture
def loop_env(scripted, plugin_module, claw_env):  # type: ignore[no-untyped-def]
    """The scripted provider as the default model, plus the ``Echo`` tool."""
    plugin_module("session_test_tools", ECHO)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted


@pytest.fixture
def session_events(claw_env, workspace):  # type: ignore[no-untyped-def]
    """``session_events(session_id)``: the events of a session of this workspace."""
    from claw import sessions_dir

    def read(session_id: str) -> list[dict]:
        path = sessions_dir(workspace, claw_env) / f"{session_id}.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    return read
