"""The CLI skeleton: version, help, usage errors and exit codes."""

from __future__ import annotations

from claw import API_VERSION, VERSION


def test_version(claw):
    assert claw("--version").assert_success().stdout == f"claw {VERSION} (plugin API {API_VERSION})\n"


def test_dash_v_is_version_as_in_claude_code(claw):
    line = f"claw {VERSION} (plugin API {API_VERSION})\n"
    assert claw("-v").assert_success().stdout == line
    assert claw.subprocess("-v").stdout == line  # the fast path, before click
    assert claw("-v", "--model", "x/y").assert_success().stdout == line


def test_help_lists_builtin_commands(claw, claw_env):
    claw_env["CLAW_PLUGINS"] = ""  # the kernel's own, with no plugin loaded
    out = claw("--help").assert_success().stdout
    for name in ("doctor", "plugins", "resume-session"):
        assert f"  {name}" in out


def test_unknown_option_is_usage_error(claw):
    result = claw("--frobnicate")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "claw: error: No such option '--frobnicate'."


def test_bad_work_dir_is_usage_error(claw, workspace):
    result = claw("--work-dir", str(workspace / "missing"), "doctor")
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[0]
        == f"claw: error: Invalid value for --work-dir: no such directory: {workspace / 'missing'}"
    )


def test_python_dash_m(claw):
    result = claw.subprocess("--version")
    assert result.exit_code == 0 and result.stdout.startswith("claw ")


def test_settings_flag_applies_after_a_one_word_prompt(claw):
    # plugin commands are looked up before the root callback runs; the app must still see --settings
    result = claw("-p", "hi", "--settings", '{"model": "nowhere/m"}')
    assert result.exit_code == 1
    assert "unknown provider 'nowhere' in model 'nowhere/m'" in result.stderr


def test_settings_flag_reaches_plugin_commands(claw, plugin_module):
    plugin_module(
        "show_model",
        "import claw, click\n"
        "@claw.hookimpl\n"
        "def claw_register_commands(cli):\n"
        "    @cli.command('show-model')\n"
        "    @click.pass_context\n"
        "    def show(ctx):\n"
        "        click.echo(claw.command_context(ctx).settings.model.model)\n",
    )
    result = claw("--settings", '{"model": "m-from-flag"}', "show-model").assert_success()
    assert result.stdout == "m-from-flag\n"
