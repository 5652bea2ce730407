"""The state directory under stress: a full disk (one clear error naming the file and the reason, the
JSON result still printed, no half-written line), a read-only one, one deleted while claw runs, and a
settings file edited while claw runs. The small filesystems are tmpfs mounts the tests make (mounting
needs root, as the README's test command does)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from claw import _paths as paths
from claw.testing.script import Fault, Reply, Text, ToolCall


def _fill(mount: Path, leave: int) -> None:
    """Fill ``mount`` until about ``leave`` bytes are free."""
    free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
    (mount / "filler").write_bytes(b"x" * max(0, free - leave))


def _lines_are_whole(directory: Path) -> None:
    for file in directory.glob("*.jsonl"):
        for line in file.read_bytes().splitlines():
            assert isinstance(json.loads(line), dict), (file, line[:80])


def test_a_full_disk_is_one_clear_error_with_a_json_result(claw, model, tiny_fs) -> None:  # type: ignore[no-untyped-def]
    sessions = tiny_fs / "sessions"
    sessions.mkdir()
    _fill(tiny_fs, 0)
    model.script(Reply(Text("hello")))
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--session-dir", sessions)
    assert res.exit_code == 1
    assert "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and str(sessions) in errors[0]
    result = json.loads(res.stdout)
    assert result["is_error"] is True and "No space left on device" in result["result"]
    _lines_are_whole(sessions)


def test_a_disk_that_fills_mid_run_leaves_no_torn_line(claw, model, tiny_fs) -> None:  # type: ignore[no-untyped-def]
    sessions = tiny_fs / "sessions"
    sessions.mkdir()
    _fill(tiny_fs, 12_000)
    big = "y" * 20_000  # the tool result that no longer fits
    model.script(Reply(ToolCall("Note", {"text": big})), Reply(Text("never reached")))
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--session-dir", sessions)
    assert res.exit_code == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert "No space left on device" in json.loads(res.stdout)["result"]
    _lines_are_whole(sessions)
    (session,) = sessions.glob("*.jsonl")
    types = [json.loads(line)["type"] for line in session.read_bytes().splitlines()]
    assert types[:2] == ["session_start", "user"]  # what was written before the disk filled is kept


def test_a_read_only_state_directory_is_one_clear_error(claw, model, tiny_fs, remounter) -> None:  # type: ignore[no-untyped-def]
    sessions = tiny_fs / "sessions"
    sessions.mkdir()
    remounter(tiny_fs, "ro")
    model.script(Reply(Text("hello")))
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--session-dir", sessions)
    assert res.exit_code == 1 and "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    assert len(errors) == 1 and "Read-only file system" in errors[0] and str(sessions) in errors[0]
    assert json.loads(res.stdout)["is_error"] is True


def _stalled_run(claw, model, *args: str) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    """A ``claw -p`` whose answer pauses for 3 s, started once it has recorded its prompt."""
    model.script(Fault(kind="stall", after_events=1, seconds=3, reply=Reply(Text("finished anyway"))))
    proc = claw.popen("-p", "slow", "--output-format", "json", *args, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(model.requests) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def test_the_session_directory_deleted_mid_run(claw, model, claw_env, workspace) -> None:  # type: ignore[no-untyped-def]
    proc = _stalled_run(claw, model)
    shutil.rmtree(paths.sessions_dir(workspace, claw_env))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["result"] == "finished anyway"
    assert "Traceback" not in err
    assert "was removed while claw ran" in err  # said, not lost silently


def test_settings_edited_mid_run(claw, model, claw_env, workspace) -> None:  # type: ignore[no-untyped-def]
    settings = workspace / ".claw" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(json.dumps({"permissions": {"allow": ["Lookup"]}}))
    proc = _stalled_run(claw, model)
    settings.write_text('{"permissions": {"allow": [')  # broken while the run goes on
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["result"] == "finished anyway"  # read once at start: the run is unaffected
    res = claw("-p", "again")
    assert res.exit_code == 1 and str(settings) in res.stderr  # the next run names the broken file
