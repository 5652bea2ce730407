"""Concurrent use of one project: several ``claw -p --resume SAME_ID`` at once (one wins, the others
are refused at once with a clear "in use" error and nothing interleaves), and ten sessions started at
once in one project (each complete and separate)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from claw import _paths as paths
from claw.testing.script import Fault, Reply, Text


@pytest.mark.parametrize("n", [2, 10])
def test_one_resume_wins_the_others_are_refused(claw, model, claw_env, workspace: Path, n: int) -> None:  # type: ignore[no-untyped-def]
    model.script(Reply(Text("first answer")))
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    # the winner's answer pauses long enough that every other process starts while it holds the session
    model.script(Fault(kind="stall", after_events=1, seconds=8, reply=Reply(Text("winner's answer"))))
    model.script(*[Reply(Text("a second winner: the lock failed"))] * n)
    procs = [
        claw.popen("-p", f"racer {i}", "--resume", sid, "--output-format", "json", stdin=subprocess.DEVNULL)
        for i in range(n)
    ]
    outs = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    winners = [json.loads(out) for code, out, _ in outs if code == 0]
    assert [w["result"] for w in winners] == ["winner's answer"], outs
    for code, out, err in outs:
        if code != 0:
            assert code == 1 and f"session {sid} is in use by another claw process" in err, err
            assert json.loads(out)["is_error"] is True
    events = [
        json.loads(line)
        for line in (paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl").read_text().splitlines()
    ]
    prompts = [e["prompt"] for e in events if e.get("type") == "user" and e.get("prompt")]
    assert prompts[0] == "first" and len(prompts) == 2 and prompts[1].startswith("racer ")
    starts = [e for e in events if e["type"] == "session_start"]
    assert len(starts) == 2  # the first run and the winner: a refused run writes nothing


def test_ten_sessions_at_once_in_one_project(claw, model, claw_env, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    model.script(*[Reply(Text("answer"))] * 10)
    procs = [
        claw.popen("-p", f"session {i}", "--output-format", "json", stdin=subprocess.DEVNULL)
        for i in range(10)
    ]
    results = []
    for p in procs:
        code = p.wait(timeout=120)
        out, err = p.communicate()
        assert code == 0, err
        results.append(json.loads(out))
    ids = {r["session_id"] for r in results}
    assert len(ids) == 10
    for sid in ids:
        events = [
            json.loads(line)
            for line in (paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl").read_text().splitlines()
        ]
        prompts = [e["prompt"] for e in events if e.get("type") == "user" and e.get("prompt")]
        assert len(prompts) == 1 and prompts[0].startswith("session ")
        assert [e["type"] for e in events].count("session_start") == 1
