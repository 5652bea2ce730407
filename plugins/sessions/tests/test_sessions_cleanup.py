"""Settings ``cleanupPeriodDays``, through ``claw -p`` with the scripted model: a session start deletes the
store's session files (and what is kept beside them) inactive for longer than the period, and nothing
else."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from claw import sessions_dir
from claw.testing.script import Reply, Text

DAY = 86400


def _settings(claw_env: dict[str, str], **extra: object) -> Path:
    path = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    path.write_text(json.dumps({"model": "scripted/default", **extra}))
    return path


def _session(directory: Path, days_old: float, *, text: str = "hi") -> Path:
    """A session file last modified ``days_old`` days ago, with the prompt ``text``."""
    directory.mkdir(parents=True, exist_ok=True)
    sid = str(uuid.uuid4())
    path = directory / f"{sid}.jsonl"
    events = [
        {"type": "session_start", "session_id": sid, "ts": "2026-01-01T00:00:00.000Z"},
        {"type": "user", "message": {"role": "user", "content": [{"type": "text", "text": text}]}},
        {"type": "assistant", "message": {"role": "assistant", "content": [{"type": "text", "text": "ok"}]}},
    ]
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    _age(path, days_old)
    return path


def _age(path: Path, days_old: float) -> None:
    then = time.time() - days_old * DAY
    os.utime(path, (then, then))


def test_a_session_start_deletes_sessions_older_than_30_days_by_default(claw, loop_env, claw_env, workspace):
    store = sessions_dir(workspace, claw_env)
    old, recent = _session(store, 31), _session(store, 29)
    checkpoints = store / f"{old.name}.checkpoints"
    (checkpoints / "blobs").mkdir(parents=True)
    (checkpoints / "index.jsonl").write_text("{}\n")
    orphan_old = store / f"{uuid.uuid4()}.jsonl.checkpoints"
    orphan_old.mkdir()
    _age(orphan_old, 40)
    unrelated = store / "notes.txt"
    unrelated.write_text("not a session")
    _age(unrelated, 400)
    loop_env.script(Reply(Text("hello")))
    res = claw("-p", "hi", "--output-format", "json").assert_success()
    new = store / f"{res.json()['session_id']}.jsonl"
    assert sorted(p.name for p in store.iterdir()) == sorted([recent.name, new.name, "notes.txt"])
    assert res.stderr == ""


def test_a_custom_period_is_honoured(claw, loop_env, claw_env, workspace):
    _settings(claw_env, cleanupPeriodDays=7)
    store = sessions_dir(workspace, claw_env)
    old, recent = _session(store, 8), _session(store, 6)
    loop_env.script(Reply(Text("hello")))
    claw("-p", "hi").assert_success()
    assert not old.exists() and recent.exists()


def test_resuming_a_session_older_than_the_period_keeps_it(claw, loop_env, claw_env, workspace):
    _settings(claw_env, cleanupPeriodDays=2)
    store = sessions_dir(workspace, claw_env)
    resumed, other = _session(store, 10, text="remember 42"), _session(store, 10)
    loop_env.script(Reply(Text("42")))
    res = claw("-p", "what was it?", "--resume", resumed.stem, "--output-format", "json").assert_success()
    assert res.json()["session_id"] == resumed.stem and resumed.exists() and not other.exists()
    assert "remember 42" in json.dumps(loop_env.requests[0]["messages"])


def test_forking_an_old_session_keeps_its_parent(claw, loop_env, claw_env, workspace):
    _settings(claw_env, cleanupPeriodDays=2)
    parent = _session(sessions_dir(workspace, claw_env), 10)
    loop_env.script(Reply(Text("forked")))
    claw("-p", "go on", "--resume", parent.stem, "--fork-session").assert_success()
    assert parent.exists()


def test_only_the_stores_directory_is_cleaned(claw, loop_env, claw_env, workspace, tmp_path):
    """A session resumed by path from another folder is continued there; that folder is not the store."""
    elsewhere = tmp_path / "elsewhere"
    resumed, neighbour = _session(elsewhere, 100), _session(elsewhere, 100)
    store_old = _session(sessions_dir(workspace, claw_env), 100)
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi", "--resume", str(resumed)).assert_success()
    assert resumed.exists() and neighbour.exists() and not store_old.exists()


def test_management_commands_and_no_persistence_clean_nothing(claw, loop_env, claw_env, workspace):
    old = _session(sessions_dir(workspace, claw_env), 100)
    claw("sessions", "list").assert_success()
    claw("--help").assert_success()
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi", "--no-session-persistence").assert_success()
    assert old.exists()


def test_files_that_cannot_be_removed_are_one_warning_and_the_run_goes_on(
    claw, loop_env, claw_env, workspace, monkeypatch
):
    """The tests run as root, for whom permissions do not stop an unlink: the refusal is the operating
    system's answer, injected at ``os.unlink``."""
    store = sessions_dir(workspace, claw_env)
    stuck, gone = [_session(store, 100), _session(store, 100)], _session(store, 100)
    unlink = os.unlink

    def refuse(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) in stuck:
            raise PermissionError(13, "Permission denied", str(path))
        return unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refuse)
    loop_env.script(Reply(Text("hello")))
    res = claw("-p", "hi").assert_success()
    assert res.stdout == "hello\n" and all(p.exists() for p in stuck) and not gone.exists()
    first = min(stuck, key=lambda p: p.name)
    assert res.stderr.splitlines() == [
        f"claw: warning: cleanupPeriodDays: cannot remove {first}: Permission denied (and 1 more)"
    ]


def test_invalid_values_are_one_line_errors(claw, loop_env, claw_env):
    for value, why in [
        (0, "Input should be greater than or equal to 1"),
        (-3, "Input should be greater than or equal to 1"),
        ("soon", "Input should be a valid integer, unable to parse string as an integer"),
    ]:
        path = _settings(claw_env, cleanupPeriodDays=value)
        res = claw("-p", "hi").assert_failure(1)
        assert res.stderr.splitlines() == [f"claw: error: {path}: cleanupPeriodDays: {why}"]


def test_an_untrusted_folder_cannot_shorten_the_period(claw, loop_env, claw_env, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"cleanupPeriodDays": 1}))
    store = sessions_dir(workspace, claw_env)
    week_old = _session(store, 7)
    loop_env.script(Reply(Text("hello")), Reply(Text("hello")))
    claw("-p", "hi", "--require-trust").assert_success()
    assert week_old.exists()
    claw("-p", "hi").assert_success()  # -p trusts its folder, as in Claude Code
    assert not week_old.exists()


def test_with_claw_sessions_disabled_the_key_names_the_distribution(claw, loop_env, claw_env):
    _settings(claw_env, cleanupPeriodDays=7)
    claw.env["CLAW_DISABLE_PLUGINS"] = "session_store"
    loop_env.script(Reply(Text("hello")))
    res = claw("-p", "hi").assert_success()
    assert (
        'settings "cleanupPeriodDays" are not used: claw-sessions is not installed or is disabled'
        in res.stderr
    )
