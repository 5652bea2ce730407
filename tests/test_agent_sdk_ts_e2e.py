"""claw as the CLI behind the real TypeScript Claude Agent SDK (``@anthropic-ai/claude-agent-sdk``):
``tests/agent_sdk_ts/driver.mjs`` runs ``query()`` with ``pathToClaudeCodeExecutable`` pointing at claw
(a one-shot prompt, a multi-turn streaming session, ``canUseTool`` allowing, rewriting and denying Bash
calls) and prints what the SDK yielded; the scripted model's requests and the file system show what
claw did.

The SDK is installed by ``tests/setup.d/mcp-servers.sh`` (``.ci/run`` runs it); nothing is fetched at
test time. Without it these tests fail and say how to install it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall

ROOT = Path(__file__).resolve().parent
DRIVER = ROOT / "agent_sdk_ts" / "driver.mjs"
SDK = ROOT / ".npm" / "node_modules" / "@anthropic-ai" / "claude-agent-sdk" / "sdk.mjs"
SETUP = "bash tests/setup.d/mcp-servers.sh"
CLAW = str(Path(sys.executable).with_name("claw"))


@pytest.fixture
def drive(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    """``drive(scenario)``: run the driver with the scripted model as the default; returns its JSON."""
    if not SDK.exists():
        pytest.fail(f"@anthropic-ai/claude-agent-sdk is not installed in tests/.npm; run: {SETUP}")
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH; install Node.js 20+ and run: {SETUP}")
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))

    def run(scenario: str) -> dict[str, Any]:
        done = subprocess.run(
            [node, str(DRIVER), scenario, CLAW, str(workspace)],
            env=claw_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def test_query_one_shot(drive, scripted):  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("hello from claw")))
    messages = drive("one-shot")["messages"]
    assert [(m["type"], m.get("subtype")) for m in messages] == [
        ("system", "init"),
        ("assistant", None),
        ("result", "success"),
    ]
    assert messages[-1]["result"] == "hello from claw" and messages[-1]["num_turns"] == 1
    assert messages[-1]["session_id"] == messages[0]["session_id"]
    assert scripted.requests[0]["system"][0]["text"].startswith("Be brief.")  # from initialize


def test_multi_turn_in_one_session(drive, scripted):  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("first answer")), Reply(Text("second answer")))
    results = [m for m in drive("multi-turn")["messages"] if m["type"] == "result"]
    assert [r["result"] for r in results] == ["first answer", "second answer"]
    assert results[0]["session_id"] == results[1]["session_id"]
    texts = [m["content"][0]["text"] for m in scripted.requests[1]["messages"]]
    assert texts == ["one", "first answer", "two"]


def test_can_use_tool_allows_rewrites_and_denies_bash(drive, scripted, workspace: Path):  # type: ignore[no-untyped-def]
    scripted.script(
        Reply(ToolCall("Bash", {"command": "touch allowed.txt"}, id="toolu_1")),
        Reply(ToolCall("Bash", {"command": "touch asked.txt"}, id="toolu_2")),
        Reply(ToolCall("Bash", {"command": "touch denied.txt"}, id="toolu_3")),
        Reply(Text("done")),
    )
    out = drive("can-use-tool")
    assert [(a["toolName"], a["command"], a["toolUseID"]) for a in out["asked"]] == [
        ("Bash", "touch allowed.txt", "toolu_1"),
        ("Bash", "touch asked.txt", "toolu_2"),
        ("Bash", "touch denied.txt", "toolu_3"),
    ]
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["allowed.txt", "rewritten.txt"]
    result = out["messages"][-1]
    assert result["result"] == "done"
    assert [d["tool_use_id"] for d in result["permission_denials"]] == ["toolu_3"]
