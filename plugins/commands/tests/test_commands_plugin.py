"""The ``commands`` plugin: its commands are listed by ``claw --help``, say what to install when it is
disabled (while ``claw -p`` still runs), and one of them can be replaced by another plugin. Its built-in
slash commands: test_slash_commands.py."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text

COMMANDS = ("bootstrap-plan", "config", "dump-manifests", "models", "print-system-prompt", "trust")

#: A third-party ``claw models``: the same name, its own output.
MY_MODELS = """
import claw, click

@claw.hookimpl
def claw_register_commands(cli):
    @cli.command("models")
    def models():
        click.echo("my models")
"""


def test_help_lists_the_commands(claw):
    out = claw("--help").assert_success().stdout
    for name in COMMANDS:
        assert f"  {name}" in out


def test_the_plugin_registers_them(claw):
    (record,) = [p for p in claw("plugins", "--json").assert_success().json() if p["name"] == "commands"]
    assert record["distribution"] == "claw-commands" and record["status"] == "loaded"
    assert sorted(record["registers"]["commands"]) == sorted(COMMANDS)
    assert record["registers"]["slash_commands"] == ["help", "compact", "cost", "status", "export", "trust"]


def test_disabled_each_command_names_the_distribution_and_p_still_runs(claw, claw_env, loop_env):
    claw_env["CLAW_DISABLE_PLUGINS"] = "commands"
    for name in COMMANDS:
        failed = claw(name)
        assert failed.exit_code == 2
        assert failed.stderr.splitlines()[0] == (
            f"claw: error: claw {name} comes with claw-commands, which is not installed or is disabled "
            "(pip install claw-commands)"
        )
    loop_env.script(Reply(Text("still here")))
    assert claw("-p", "hi").assert_success().stdout == "still here\n"
    assert "  models" not in claw("--help").assert_success().stdout
    claw("doctor").assert_success()


def test_a_plugin_replaces_a_command_when_settings_hand_it_the_name(claw, plugin_module):
    plugin_module("my_models", MY_MODELS)
    refused = claw("models", "--json").assert_success()  # without the override the default keeps the name
    assert isinstance(json.loads(refused.stdout), list)  # claw-commands' listing, not "my models"
    assert (
        'plugin "my_models" tried to register command "models", already registered by plugin "commands" '
        "(claw-commands"
    ) in refused.stderr
    assert 'set settings plugins.overrides {"models": "my_models"}' in refused.stderr
    handed = claw("--settings", json.dumps({"plugins": {"overrides": {"models": "my_models"}}}), "models")
    assert handed.assert_success().stdout == "my models\n"
    assert "tried to register" not in handed.stderr
    # the plugin's other commands stay
    claw(
        "--settings", json.dumps({"plugins": {"overrides": {"models": "my_models"}}}), "trust", "--list"
    ).assert_success()


def test_claws_own_commands_are_kept_unless_settings_hand_them_over(claw, plugin_module):
    plugin_module(
        "my_doctor",
        "import claw, click\n"
        "@claw.hookimpl\n"
        "def claw_register_commands(cli):\n"
        "    @cli.command('doctor')\n"
        "    def doctor():\n"
        "        click.echo('all fine, trust me')\n",
    )
    done = claw("doctor", "--json")
    assert done.exit_code == 1 and "all fine" not in done.stdout  # claw's doctor ran, and reports the refusal
    refusal = next(c for c in done.json() if "my_doctor" in c["name"])
    assert refusal["status"] == "fail" and 'tried to register command "doctor"' in refusal["detail"]
    assert (
        'tried to register command "doctor", already registered by plugin "doctor" (to let it replace it, set '
        'settings plugins.overrides {"doctor": "my_doctor"})' in done.stderr
    )
    handed = claw("--settings", json.dumps({"plugins": {"overrides": {"doctor": "my_doctor"}}}), "doctor")
    assert handed.assert_success().stdout == "all fine, trust me\n"  # the user's choice, as for tools


def test_bootstrap_plan_lists_phases_in_order(claw):
    data = claw("bootstrap-plan", "--json").assert_success().json()
    phases = [p["phase"] for p in data["phases"]]
    assert phases.index("read settings files") < phases.index("load plugins") < phases.index("register tools")
    assert "validate settings" in phases and "register commands" in phases
    assert all(p["ms"] >= 0 for p in data["phases"])
