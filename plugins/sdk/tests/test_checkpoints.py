"""claw-sdk's file checkpoints on their own: the append-only store read back by a new process (a torn
last line skipped), a dry run that reports without changing, and the first state kept per message."""

from __future__ import annotations

from pathlib import Path

import pytest
from claw import ClawError
from claw_sdk.checkpoints import Checkpoints, enabled


def test_a_reloaded_store_rewinds_and_a_dry_run_changes_nothing(tmp_path: Path) -> None:
    transcript, work = tmp_path / "s.jsonl", tmp_path / "work"
    work.mkdir()
    a, b = work / "a.txt", work / "sub" / "b.txt"
    a.write_text("1\n2\n3\n")
    store = Checkpoints(transcript)
    store.message("m1")
    store.before_change(a)
    a.write_text("1\nTWO\n3\n4\n")
    store.before_change(a)  # a second change in the same message keeps the first state
    a.write_text("changed again\n")
    store.message("m2")
    store.before_change(b)
    b.parent.mkdir()
    b.write_text("new\n")
    with (transcript.parent / "s.jsonl.checkpoints" / "index.jsonl").open("a") as f:
        f.write('{"message": "m3", "pa')  # a crash mid-line

    reloaded = Checkpoints(transcript)
    preview = reloaded.rewind("m1", dry_run=True)
    assert preview == {
        "canRewind": True,
        "filesChanged": [str(a), str(b)],
        "insertions": 3,
        "deletions": 2,
    }
    assert a.read_text() == "changed again\n" and b.exists(), "a dry run changes nothing"
    assert reloaded.rewind("m2")["filesChanged"] == [str(b)]
    assert not b.exists() and a.read_text() == "changed again\n"
    reloaded.rewind("m1")
    assert a.read_text() == "1\n2\n3\n"
    assert reloaded.rewind("m1")["filesChanged"] == [], "nothing left to change"
    with pytest.raises(ClawError, match='no file checkpoint for user message "m3"'):
        reloaded.rewind("m3")


def test_the_sdk_switch() -> None:
    assert enabled({"CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING": "true"})
    assert not enabled({"CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING": "false"}) and not enabled({})


def test_a_lost_kept_state_changes_nothing_and_says_why(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a\n")
    b.write_text("b\n")
    store = Checkpoints(tmp_path / "s.jsonl")
    store.message("m1")
    store.before_change(a)
    store.before_change(b)
    a.write_text("A\n")
    b.write_text("B\n")
    blob = next(p for p in (tmp_path / "s.jsonl.checkpoints" / "blobs").iterdir() if p.read_bytes() == b"b\n")
    blob.unlink()
    with pytest.raises(ClawError, match=r"rewind_files: failed to rewind: .*No such file"):
        store.rewind("m1")
    assert (a.read_text(), b.read_text()) == ("A\n", "B\n"), "nothing was restored"


def test_a_fork_starts_with_its_parents_checkpoints_once(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("parent's\n")
    parent = Checkpoints(tmp_path / "p.jsonl")
    parent.message("m1")
    parent.before_change(a)
    a.write_text("changed\n")
    kept = (tmp_path / "p.jsonl.checkpoints" / "index.jsonl").read_bytes()

    fork = Checkpoints(tmp_path / "f.jsonl", parent=tmp_path / "p.jsonl")
    fork.message("m2")
    fork.before_change(a)
    a.write_text("fork's\n")
    reloaded = Checkpoints(tmp_path / "f.jsonl", parent=tmp_path / "p.jsonl")
    assert reloaded.rewind("m2", dry_run=True)["filesChanged"] == [str(a)], "not copied over again"
    assert reloaded.rewind("m1")["filesChanged"] == [str(a)]
    assert a.read_text() == "parent's\n", "the fork rewound to a message from before it"
    assert (tmp_path / "p.jsonl.checkpoints" / "index.jsonl").read_bytes() == kept, "the parent's unchanged"
    orphan = Checkpoints(tmp_path / "o.jsonl", parent=tmp_path / "none.jsonl")  # a parent that kept none
    with pytest.raises(ClawError, match='no file checkpoint for user message "m1"'):
        orphan.rewind("m1")
