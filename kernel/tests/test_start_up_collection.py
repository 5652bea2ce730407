"""The console script pauses the cyclic garbage collector while claw starts (``claw._cli.main``): for a
print run the pause lasts past its agent loop's start, until the run first waits for I/O (the first
request) or its first turn ends; for everything else until the plugins are loaded. Collection then
resumes with the start-up objects frozen out of it."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text

RECORDER = """
import gc
import json
import os

import claw


def _record(moment):
    with open(os.environ["GC_LOG"], "a") as log:
        log.write(json.dumps([moment, gc.isenabled(), gc.get_freeze_count() > 0]) + "\\n")


@claw.hookimpl
def claw_session_start(session):
    _record("session start")


@claw.hookimpl
def claw_session_end(session):
    _record("session end")


@claw.hookimpl
def claw_doctor_checks(settings, env):
    _record("doctor")
    return []
"""


def _log(claw_env, tmp_path, plugin_module):
    plugin_module("gc_recorder", RECORDER)
    log = tmp_path / "gc.jsonl"
    claw_env["GC_LOG"] = str(log)
    return log


def test_a_print_run_collects_again_once_its_start_is_over(claw, scripted, claw_env, tmp_path, plugin_module):
    log = _log(claw_env, tmp_path, plugin_module)
    scripted.script(Reply(Text("done")))
    claw.subprocess("-p", "hi", "--model", "scripted/default").assert_success()
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    # paused while the session starts; collecting (start-up objects frozen) by the time it ends, though
    # the scripted model never waits for I/O: the end of the first turn ends the pause
    assert rows == [["session start", False, False], ["session end", True, True]]


def test_a_subcommand_collects_again_once_the_plugins_are_loaded(claw, claw_env, tmp_path, plugin_module):
    log = _log(claw_env, tmp_path, plugin_module)
    claw.subprocess("doctor")
    assert [json.loads(line) for line in log.read_text().splitlines()] == [["doctor", True, True]]
