"""A full disk under the session directory: one clear error naming the file and the reason, the JSON
result still printed, and no half-written line left in the session file (a 64 KB tmpfs the test
mounts; mounting needs root, as the README's test command does)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, unmounted afterwards."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*sudo, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    os.chmod(mount, 0o777)
    try:
        yield mount
    finally:
        subprocess.run([*sudo, "umount", "-l", str(mount)], check=False)


def _fill(mount: Path, leave: int) -> None:
    """Fill ``mount`` until about ``leave`` bytes are free."""
    free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
    (mount / "filler").write_bytes(b"x" * max(0, free - leave))


def _lines_are_whole(directory: Path) -> None:
    for file in directory.glob("*.jsonl"):
        for line in file.read_bytes().splitlines():
            assert isinstance(json.loads(line), dict), (file, line[:80])


def test_a_full_disk_is_one_clear_error_with_a_json_result(claw, loop_env, tiny_fs) -> None:  # type: ignore[no-untyped-def]
    sessions = tiny_fs / "sessions"
    sessions.mkdir()
    _fill(tiny_fs, 0)
    loop_env.script(Reply(Text("hello")))
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--session-dir", sessions)
    assert res.exit_code == 1
    assert "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and str(sessions) in errors[0]
    result = json.loads(res.stdout)
    assert result["is_error"] is True and "No space left on device" in result["result"]
    _lines_are_whole(sessions)


def test_a_disk_that_fills_mid_run_leaves_no_torn_line(claw, loop_env, tiny_fs) -> None:  # type: ignore[no-untyped-def]
    sessions = tiny_fs / "sessions"
    sessions.mkdir()
    _fill(tiny_fs, 12_000)
    big = "y" * 20_000  # the tool result that no longer fits
    loop_env.script(Reply(ToolCall("Echo", {"text": big})), Reply(Text("never reached")))
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--session-dir", sessions)
    assert res.exit_code == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert "No space left on device" in json.loads(res.stdout)["result"]
    _lines_are_whole(sessions)
    (session,) = sessions.glob("*.jsonl")
    types = [json.loads(line)["type"] for line in session.read_bytes().splitlines()]
    assert types[:2] == ["session_start", "user"]  # what was written before the disk filled is kept
