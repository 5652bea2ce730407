"""claw-sessions is a plugin like any other: the entry point ``session_store`` (the name of the kernel
built-in it replaced, so ``CLAW_DISABLE_PLUGINS=session_store`` still switches it off), without which
runs keep nothing and resuming names the distribution, and whose listing a replacing store takes over."""

from __future__ import annotations

from claw import sessions_dir
from claw.testing.script import Reply, Text

#: A store that keeps nothing but lists one made-up session: ``claw sessions list`` asks the store the
#: hook answers, not claw's JSONL files.
LISTING_STORE = """
from pathlib import Path
import claw


class Listing:
    def resume(self, spec):
        raise claw.ClawError("nothing to resume")

    def open(self, *, resume, fork, session_id, start):
        raise claw.ClawError("read-only")

    def list(self):
        return [claw.SessionSummary("elsewhere-1", Path("/nowhere/elsewhere-1"), None,
                                    "2026-01-02T03:04:05Z", "scripted/default", 3, "kept elsewhere", None)]


@claw.hookimpl
def claw_session_store(directory, persist):
    return Listing()
"""


def test_the_store_is_the_session_store_entry_point_of_claw_sessions(claw):
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    store = records["session_store"]
    assert (store["distribution"], store["status"]) == ("claw-sessions", "loaded")
    assert store["registers"]["commands"] == ["sessions", "timeline"]


def test_disabled_runs_keep_nothing_and_resuming_says_what_to_install(claw, loop_env, claw_env, workspace):
    claw_env["CLAW_DISABLE_PLUGINS"] = "session_store"
    loop_env.script(Reply(Text("unkept")))
    assert claw("-p", "hi").assert_success().stdout == "unkept\n"
    assert not sessions_dir(workspace, claw_env).exists()
    for args in (("-p", "hi", "--continue"), ("-p", "hi", "--resume", "latest")):
        failed = claw(*args)
        assert failed.exit_code == 1
        assert failed.stderr.strip().splitlines() == [
            "claw: error: cannot resume session 'latest': no session store is installed or enabled "
            "(pip install claw-sessions, or enable its session_store plugin)"
        ]
    for command in ("sessions", "timeline"):
        missing = claw(command)
        assert missing.exit_code == 2
        assert f"claw {command} comes with claw-sessions" in missing.stderr
        assert "pip install claw-sessions" in missing.stderr
    assert len(loop_env.requests) == 1


def test_sessions_list_shows_what_a_replacing_store_lists(claw, loop_env, plugin_module):
    loop_env.script(Reply(Text("kept as jsonl")))
    claw("-p", "hi").assert_success()  # a JSONL session the replacing store does not list
    plugin_module("listing_store", LISTING_STORE)
    rows = claw("sessions", "list", "--json").assert_success().json()
    assert [(r["session_id"], r["num_turns"], r["title"]) for r in rows] == [
        ("elsewhere-1", 3, "kept elsewhere")
    ]
