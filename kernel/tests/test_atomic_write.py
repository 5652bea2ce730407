"""``claw.atomic_write``: the one helper every former copy (settings, tokens, records, edits) uses."""

from __future__ import annotations

import os
import stat

import claw
import pytest


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_replaces_content_keeps_bits_and_leaves_no_temp(tmp_path):
    target = tmp_path / "deep" / "dir" / "f.txt"
    claw.atomic_write(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()
    os.chmod(target, 0o640)
    claw.atomic_write(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes" and _mode(target) == 0o640
    assert os.listdir(target.parent) == ["f.txt"]


def test_new_file_follows_umask_and_explicit_mode_wins(tmp_path):
    old = os.umask(0o027)
    try:
        claw.atomic_write(tmp_path / "a", "x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a") == 0o640
    secret = tmp_path / "token.json"
    secret.write_text("old")
    os.chmod(secret, 0o644)
    claw.atomic_write(secret, "{}", mode=0o600)
    assert _mode(secret) == 0o600 and secret.read_text() == "{}"


def test_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        claw.atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["keep.txt"]
