"""Kill anywhere: ``kill -9`` at a random moment of a scripted multi-turn session with tool calls
(mid-stream, mid-tool, between writes of the session file), 100 trials. After each, ``--resume``
loads the session and its next request must hold every completed turn, the killed prompt once,
nothing twice, and a history the provider accepts (every tool_use answered).

Each trial is one test (spread over the xdist workers); the moment is drawn from a fixed seed, so a
failing trial is reproduced by its number."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from claw import _paths as paths
from claw.testing.script import Fault, Reply, Text, ToolCall

TRIALS = 100
#: How long the killed run takes when left alone, about: the kill moment is drawn from [0, SPAN].
SPAN = 2.0


def _killed_run_script() -> list[Any]:
    """The second run: a slow tool, a stream that pauses mid-answer, a quick tool, then the answer."""
    return [
        Reply(Text("Let me look."), ToolCall("Bash", {"command": "sleep 0.3; echo slept"}, id="toolu_sleep")),
        Fault(
            kind="stall",
            after_events=1,
            seconds=0.3,
            reply=Reply(Text("Now the word."), ToolCall("Lookup", {"word": "claw"}, id="toolu_look")),
        ),
        Reply(ToolCall("Note", {"text": "a claw grips"}, id="toolu_note")),
        Reply(Text("All done.")),
    ]


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [b["text"] for m in messages if m["role"] == "user" for b in m["content"] if b["type"] == "text"]


@pytest.mark.parametrize("trial", range(TRIALS))
def test_kill_9_anywhere_then_resume(claw, model, api_valid, claw_env, workspace: Path, trial: int) -> None:  # type: ignore[no-untyped-def]
    moment = random.Random(trial).uniform(0, SPAN)
    model.script(Reply(Text("first answer")))
    first = claw("-p", "first prompt", "--output-format", "json").assert_success().json()
    sid = first["session_id"]

    model.script(*_killed_run_script())
    proc = claw.popen(
        "-p", "second prompt", "--resume", sid, "--dangerously-skip-permissions", stdin=subprocess.DEVNULL
    )
    try:
        time.sleep(moment)
        proc.kill()
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()

    # whatever the killed run did not ask the model for, the resumed run does not get either
    del model.steps[len(model.requests) :]
    model.script(Reply(Text("resumed answer")))
    res = claw(
        "-p", "third prompt", "--resume", sid, "--output-format", "json", "--dangerously-skip-permissions"
    )
    assert res.exit_code == 0, (trial, moment, res.stderr)
    assert res.json()["result"] == "resumed answer"

    messages = model.requests[-1]["messages"]
    api_valid(messages)
    texts = _texts(messages)
    assert texts[0] == "first prompt" and texts[-1] == "third prompt", texts
    assert Counter(texts)["second prompt"] <= 1, texts  # never twice
    # the killed prompt is kept unless the kill came before claw recorded it
    events = [json.loads(line) for line in _session(claw_env, workspace, sid).read_text().splitlines()]
    recorded = any(e.get("type") == "user" and e.get("prompt") == "second prompt" for e in events)
    assert ("second prompt" in texts) == recorded, (texts, recorded)
    assistant = [
        b["text"] for m in messages if m["role"] == "assistant" for b in m["content"] if b["type"] == "text"
    ]
    assert "first answer" in assistant
    uses = [b["id"] for m in messages for b in m["content"] if b["type"] == "tool_use"]
    assert len(uses) == len(set(uses)), uses  # no tool call twice


def _session(claw_env: dict[str, str], workspace: Path, sid: str) -> Path:
    return paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"


def test_kill_9_while_a_subagent_runs_then_continue(
    claw, model, api_valid, claw_env, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    """The sub-agent's transcript is the newest file once its parent is killed: ``--continue`` must
    still go on with the parent's conversation (as Claude Code's skips sidechains), not the child's."""
    model.script(Reply(Text("first answer")))
    sid = claw("-p", "first prompt", "--output-format", "json").assert_success().json()["session_id"]
    model.script(
        Reply(ToolCall("Agent", {"description": "wait", "prompt": "child task"}, id="toolu_agent")),
        Reply(ToolCall("Bash", {"command": "sleep 3"}, id="toolu_child_sleep")),
    )
    proc = claw.popen(
        "-p", "second prompt", "--continue", "--dangerously-skip-permissions", stdin=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while len(model.requests) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the child's Bash call is running (and its transcript was written last)
    finally:
        proc.kill()
        proc.wait(timeout=20)
    assert len(model.requests) == 3

    model.script(Reply(Text("resumed answer")))
    res = claw("-p", "third prompt", "--continue", "--output-format", "json").assert_success()
    assert res.json()["session_id"] == sid
    messages = model.requests[-1]["messages"]
    api_valid(messages)
    assert _texts(messages)[0] == "first prompt" and "child task" not in _texts(messages)
    interrupted = messages[-1]["content"][0]
    assert interrupted["tool_use_id"] == "toolu_agent" and interrupted["is_error"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_command_stops_the_command_too(claw, model, workspace: Path, sig: int) -> None:  # type: ignore[no-untyped-def]
    """SIGHUP (a closed terminal) as SIGTERM: the Bash call's process does not run on, orphaned."""
    model.script(Reply(ToolCall("Bash", {"command": "echo $$ > shell.pid; sleep 60"}, id="toolu_sleep")))
    proc = claw.popen("-p", "wait", "--dangerously-skip-permissions", stdin=subprocess.DEVNULL)
    pid_file = workspace / "shell.pid"
    try:
        deadline = time.monotonic() + 20
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(sig)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + sig
    shell = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(shell) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(shell)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
