"""``--add-dir`` and the retry / timeout settings, through ``claw -p`` with the scripted model and the
real file tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Fault, Reply, Text, ToolCall


@pytest.fixture
def settings(scripted, claw_env):  # type: ignore[no-untyped-def]
    """Write the user settings (the scripted model plus ``extra``); returns the scripted handle."""
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)

    def write(**extra: object):  # type: ignore[no-untyped-def]
        (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default", **extra}))
        return scripted

    return write


def test_add_dir_lets_tools_write_there(claw, settings, workspace, tmp_path):
    model = settings()
    other = tmp_path / "other"
    other.mkdir()
    target = other / "notes.md"
    write = ToolCall("Write", {"file_path": str(target), "content": "hi\n"})
    model.script(Reply(write), Reply(Text("refused")), Reply(write), Reply(Text("written")))
    args = ["-p", "write a note", "--permission-mode", "acceptEdits", "--output-format", "json"]
    denied = claw(*args).assert_success().json()
    assert [d["tool_name"] for d in denied["permission_denials"]] == ["Write"] and not target.exists()
    allowed = claw(*args, "--add-dir", str(other), "--add-dir", str(workspace)).assert_success().json()
    assert allowed["permission_denials"] == [] and target.read_text() == "hi\n"
    system = model.requests[2]["system"][0]["text"]
    assert f"Additional working directories: {other}, {workspace}\n" in system
    assert "Additional working directories" not in model.requests[0]["system"][0]["text"]


def test_add_dir_must_exist(claw, settings, tmp_path):
    settings()
    res = claw("-p", "hi", "--add-dir", str(tmp_path / "nope")).assert_failure(2)
    assert res.stderr.strip() == f"claw: error: --add-dir: not a directory: {tmp_path / 'nope'}"


def test_retry_settings_apply_and_the_environment_overrides_them(claw, settings):
    model = settings(retry={"maxRetries": 1, "baseDelay": 0, "maxDelay": 0})
    model.script(Fault(status=529), Fault(status=529), Reply(Text("late")))
    claw("-p", "hi").assert_failure(1, "529")
    assert len(model.requests) == 2  # the first try and one retry
    claw.env["CLAW_MAX_RETRIES"] = "3"
    model.script(Fault(status=529), Fault(status=529), Reply(Text("late")))
    assert claw("-p", "hi").assert_success().stdout == "late\n"


def test_stream_idle_timeout_setting_aborts_a_stalled_stream(claw, settings):
    model = settings(streamIdleTimeout=0.2, retry={"maxRetries": 1, "baseDelay": 0})
    model.script(
        Fault(kind="stall", seconds=5, after_events=1, reply=Reply(Text("slow answer"))), Reply(Text("quick"))
    )
    res = claw("-p", "hi").assert_success()
    assert res.stdout.endswith("quick\n") and "stalled (no data for 0.2s)" in res.stderr


def test_bad_retry_setting_is_one_line(claw, settings):
    settings(retry={"maxRetries": -1})
    res = claw("-p", "hi").assert_failure(1)
    [line] = res.stderr.splitlines()
    assert line.endswith("settings.json: retry.maxRetries: Input should be greater than or equal to 0")


SLOW_START = """
import asyncio
import claw


@claw.hookimpl
async def claw_session_start(session):
    await asyncio.sleep(30)
"""


def test_session_start_waits_mcp_timeout_plus_one_second_by_default(claw, settings, plugin_module):
    # at least 5 s: the host waits as long at session end, where a stdio MCP server may take the MCP SDK's
    # 2 s grace to stop (the +1 s is checked in plugins/mcp/tests/test_mcp_cli.py)
    model = settings()
    plugin_module("slow_start", SLOW_START)
    claw.env["MCP_TIMEOUT"] = "200"
    model.script(Reply(Text("ok")), Reply(Text("ok")))
    res = claw("-p", "hi").assert_success()
    assert "did not finish claw_session_start within 5s; going on" in res.stderr
    settings(sessionStartTimeout=0.3)
    res = claw("-p", "hi").assert_success()
    assert "within 0.3s" in res.stderr
