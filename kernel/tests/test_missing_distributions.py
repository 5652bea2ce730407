"""A subcommand or flag of a first-party distribution that is not installed (or is disabled) is one usage
error naming what to install, not click's "No such command" or a guess at a typo."""

from __future__ import annotations

import pytest
from claw._builtins.install_hints.names import CLAUDE_CODE_ONLY, PLUGIN_COMMANDS, PLUGIN_FLAGS


@pytest.mark.parametrize(("command", "dist"), sorted(PLUGIN_COMMANDS.items()))
def test_a_missing_distributions_command_names_it(claw, claw_env, command, dist):
    claw_env["CLAW_PLUGINS"] = ""  # no entry-point plugin loads
    failed = claw(command)
    assert failed.exit_code == 2
    assert (
        f"claw {command} comes with {dist}, which is not installed or is disabled (pip install {dist})"
        in (failed.stderr)
    )


@pytest.mark.parametrize(("flag", "dist"), sorted(PLUGIN_FLAGS.items())[:3])
def test_a_missing_distributions_flag_names_it(claw, claw_env, flag, dist):
    claw_env["CLAW_PLUGINS"] = ""
    failed = claw("-p", "hi", flag, "1")
    assert failed.exit_code == 2
    assert f"{flag} needs the {dist} plugin, which is not installed or is disabled (pip install {dist})" in (
        failed.stderr
    )


@pytest.mark.parametrize("flag", ["--ide", "--mcp-debug", "--from-pr"])
def test_a_claude_code_flag_claw_lacks_says_so(claw, flag):
    """Claude Code's ``--ide`` was "No such option '--ide'. (Did you mean one of: '--debug', '--model'?)":
    a guess at a typo for a flag the user typed right. The line says claw has no such flag, and why."""
    failed = claw("-p", "hi", flag)
    assert failed.exit_code == 2
    assert f"claw: error: {flag} is a Claude Code flag claw does not have: {CLAUDE_CODE_ONLY[flag]}\n" in (
        failed.stderr
    )
    assert "Did you mean" not in failed.stderr


def test_every_command_of_the_kernels_default_plugins_is_in_the_table(claw):
    """The default plugins (distributions ``claw-kernel`` depends on) are the ones a user may have
    disabled; each of their commands must name its distribution when it is missing."""
    from pathlib import Path

    from claw.testing.venvs import kernel_dependencies

    kernel = Path(__file__).resolve().parents[1]
    defaults = {name for name in kernel_dependencies(kernel) if name.startswith("claw-")}
    commands = {
        command: plugin["distribution"]
        for plugin in claw("plugins", "--json").assert_success().json()
        if plugin["distribution"] in defaults
        for command in plugin["registers"].get("commands", [])
    }
    assert commands, "no default plugin registers a command"
    assert {name: PLUGIN_COMMANDS.get(name) for name in commands} == commands


def test_with_install_hints_disabled_a_missing_name_is_clicks_error(claw, claw_env):
    claw_env["CLAW_PLUGINS"] = ""
    claw_env["CLAW_DISABLE_PLUGINS"] = "install_hints,structured_output"
    claw("-p", "hi", "--plugin-dir", "x").assert_failure(2, "No such option '--plugin-dir'")
    claw("-p", "hi", "--json-schema", "{}").assert_failure(2, "No such option '--json-schema'")
    claw("sessions").assert_failure(2, "no such command 'sessions'; did you mean 'resume-session'?")


HINTS = """
import claw


@claw.hookimpl
def claw_unknown_name(name):
    if name in ("deploy", "--stage"):
        return f"{name} comes with acme-deploy (pip install acme-deploy)"
"""


def test_a_plugin_names_what_adds_its_own_missing_names(claw, plugin_module):
    plugin_module("acme_hints", HINTS)
    claw("deploy").assert_failure(2, "claw: error: deploy comes with acme-deploy (pip install acme-deploy)")
    claw("-p", "hi", "--stage", "x").assert_failure(2, "--stage comes with acme-deploy")
