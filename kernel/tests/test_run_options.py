"""``claw_register_run_options``: plugins add options to ``claw`` runs, parsed by click with the kernel's,
after the settings named on the same command line decide which plugins load."""

from __future__ import annotations

import json
from pathlib import Path

from claw.testing.script import Reply, Text

#: A third-party plugin with one run option; its session start writes what it received.
TICKET = """
import json
import claw
import click


@claw.hookimpl
def claw_register_run_options(register):
    register(click.Option(["--ticket"], metavar="ID", help="The issue this run works on."))
    register(click.Option(["--urgent/--not-urgent"], default=False, help="Rush it."))


@claw.hookimpl
def claw_session_start(session):
    seen = {k: session.extra.get(k) for k in ("ticket", "urgent")}
    (session.workspace / "seen.json").write_text(json.dumps(seen))
"""


def test_a_plugin_option_reaches_its_session_start(claw, loop_env, plugin_module, workspace: Path):
    plugin_module("ticket_plugin", TICKET)
    loop_env.script(Reply(Text("ok")), Reply(Text("ok")))
    claw("-p", "fix it", "--ticket", "T-42", "--urgent").assert_success()
    assert json.loads((workspace / "seen.json").read_text()) == {"ticket": "T-42", "urgent": True}
    # Before the prompt, with =, and left out (its default).
    claw("--ticket=T-7", "-p", "fix it").assert_success()
    assert json.loads((workspace / "seen.json").read_text()) == {"ticket": "T-7", "urgent": False}


def test_a_plugin_option_is_in_help_and_takes_its_value_before_the_prompt(claw, loop_env, plugin_module):
    plugin_module("ticket_plugin", TICKET)
    res = claw("--help").assert_success()
    assert "--ticket ID" in res.stdout and "The issue this run works on." in res.stdout
    # "T-1" is the option's value, not the prompt: the prompt is "hi".
    loop_env.script(Reply(Text("answered")))
    assert claw("--ticket", "T-1", "-p", "hi").assert_success().stdout == "answered\n"


def test_settings_on_the_command_line_decide_whose_options_exist(claw, loop_env, plugin_module, workspace):
    plugin_module("ticket_plugin", TICKET)
    off = json.dumps({"plugins": {"disabled": ["ticket_plugin"]}})
    res = claw("--settings", off, "-p", "hi", "--ticket", "T-1")
    assert res.exit_code == 2 and "No such option '--ticket'" in res.stderr
    elsewhere = workspace / "elsewhere"
    (elsewhere / ".claw").mkdir(parents=True)
    (elsewhere / ".claw" / "settings.json").write_text(off)
    res = claw("-p", "hi", "--ticket", "T-1", "--work-dir", str(elsewhere))
    assert res.exit_code == 2 and "No such option '--ticket'" in res.stderr
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi", "--ticket", "T-1", "--work-dir", str(workspace)).assert_success()


def test_an_option_clashing_with_claws_own_is_refused_and_named(claw, loop_env, plugin_module):
    plugin_module(
        "greedy_plugin",
        """
import claw
import click


@claw.hookimpl
def claw_register_run_options(register):
    register(click.Option(["--model"], help="mine"))
    register(click.Option(["--shade", "-p"], is_flag=True))
    register(click.Option(["--tone"], default="calm"))
""",
    )
    plugin_module(
        "second_plugin",
        """
import claw
import click


@claw.hookimpl
def claw_register_run_options(register):
    register(click.Option(["--tone"], default="loud"))
""",
    )
    loop_env.script(Reply(Text("ok")))
    res = claw("-p", "hi", "--model", "scripted/default", "--tone", "warm").assert_success()
    assert res.stdout == "ok\n"  # --model and -p are still claw's
    lines = res.stderr.splitlines()
    assert any(
        'plugin "greedy_plugin"' in line
        and 'registered an invalid run_option: "--model" is already an option of claw itself; rejected'
        in line
        for line in lines
    ), res.stderr
    assert any('"-p" (of --shade) is already an option of claw itself' in line for line in lines)
    assert any(
        'plugin "second_plugin" tried to register run_option "--tone", already registered by plugin '
        '"greedy_plugin"' in line
        for line in lines
    ), res.stderr
    listed = {p["name"]: p["registers"] for p in claw("plugins", "--json").assert_success().json()}
    assert listed["greedy_plugin"] == {"run_options": ["--tone"]} and listed["second_plugin"] == {}


def test_unreadable_settings_are_the_error_not_the_plugin_option(claw, loop_env, plugin_module, workspace):
    plugin_module("ticket_plugin", TICKET)
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text('{"model": ')
    res = claw("-p", "hi", "--ticket", "T-1")
    assert res.exit_code == 1 and res.stderr.startswith("claw: error: ") and "invalid JSON" in res.stderr
    # Any unknown option: a plugin the settings would have loaded might have added it.
    res = claw("-p", "hi", "--no-such-flag")
    assert res.exit_code == 1 and "invalid JSON" in res.stderr
    loop_env.script(Reply(Text("ok")))  # the broken project file is not read: the run goes ahead
    claw("-p", "hi", "--ticket", "T-1", "--setting-sources", "user").assert_success()
    assert json.loads((workspace / "seen.json").read_text())["ticket"] == "T-1"
