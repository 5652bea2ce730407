"""Plugin loading through the CLI: failures are contained, named and never break claw."""

from __future__ import annotations

import json

GOOD = '''
import claw
CLAW_API = ">=1.0,<2"

@claw.hookimpl
def claw_register_tools(register):
    from claw import Tool, ToolSpec, ToolResult

    class Hello(Tool):
        spec = ToolSpec(name="Hello", description="Say hello", read_only=True)
        async def run(self, input, ctx):
            return ToolResult(content="hello")

    register(Hello())

@claw.hookimpl
def claw_register_commands(cli):
    import click

    @cli.command()
    def hello():
        """Say hello from a plugin."""
        click.echo("hello from plugin")
'''


def test_good_plugin_registers_tool_and_command(claw, plugin_module):
    plugin_module("good_plugin", GOOD)
    manifests = claw("dump-manifests", "--json").assert_success().json()
    tool = next(t for t in manifests["tools"] if t["name"] == "Hello")
    assert tool["read_only"] is True
    assert {"name": "hello", "source": "module good_plugin"} in manifests["commands"]
    assert tool["source"] == "module good_plugin"
    assert "hello" in claw("--help").assert_success().stdout
    assert claw("hello").assert_success().stdout == "hello from plugin\n"


def test_import_error_is_reported_and_skipped(claw, plugin_module):
    plugin_module("broken_plugin", "import not_a_module_anywhere\n")
    plugin_module("good_plugin", GOOD)
    result = claw("dump-manifests", "--json").assert_success()
    assert (
        'claw: warning: plugin "broken_plugin" failed to import: ModuleNotFoundError: '
        "No module named 'not_a_module_anywhere'; skipped"
    ) in result.stderr
    assert any(t["name"] == "Hello" for t in result.json()["tools"])


def test_incompatible_api_is_skipped_with_versions(claw, plugin_module):
    plugin_module("future_plugin", 'CLAW_API = ">=2.0"\n')
    result = claw("plugins", "--json").assert_success()
    assert (
        'plugin "future_plugin" skipped: needs claw plugin API >=2.0, this kernel provides 1.1'
        in result.stderr
    )
    record = next(r for r in result.json() if r["name"] == "future_plugin")
    assert record["status"] == "incompatible"


def test_unknown_hook_fails_the_plugin(claw, plugin_module):
    plugin_module(
        "typo_plugin",
        "import claw\n@claw.hookimpl\ndef claw_regster_tools(register):\n    pass\n",
    )
    result = claw("plugins", "--json").assert_success()
    assert 'plugin "typo_plugin" implements unknown hook(s) claw_regster_tools; skipped' in result.stderr


def test_raising_hook_does_not_hide_other_plugins(claw, plugin_module):
    plugin_module(
        "raising_plugin",
        "import claw\n@claw.hookimpl\ndef claw_register_tools(register):\n    raise RuntimeError('boom')\n",
    )
    plugin_module("good_plugin", GOOD)
    result = claw("dump-manifests", "--json").assert_success()
    assert (
        'plugin "raising_plugin" raised in claw_register_tools: RuntimeError: boom; skipped' in result.stderr
    )
    assert any(t["name"] == "Hello" for t in result.json()["tools"])


def test_wrong_type_and_duplicate_names_are_rejected(claw, plugin_module):
    plugin_module("good_plugin", GOOD)
    plugin_module(
        "z_dupe_plugin",
        GOOD.split("@claw.hookimpl\ndef claw_register_commands")[0]
        + "\n@claw.hookimpl(specname='claw_register_providers')\ndef providers(register):\n    register('not a class')\n",
    )
    result = claw("dump-manifests", "--json").assert_success()
    assert (
        'plugin "z_dupe_plugin" tried to register tool "Hello", already registered by plugin "good_plugin"; rejected'
        in result.stderr
    )
    assert (
        "plugin \"z_dupe_plugin\" registered an invalid provider: expected a claw.Provider subclass, got 'not a class'; rejected"
        in result.stderr
    )
    assert [t["name"] for t in result.json()["tools"]].count("Hello") == 1


def test_command_name_clash_is_rejected(claw, plugin_module):
    plugin_module(
        "clash_plugin",
        "import claw, click\n@claw.hookimpl\ndef claw_register_commands(cli):\n"
        "    @cli.command()\n    def doctor():\n        click.echo('hijacked')\n",
    )
    result = claw("--help").assert_success()
    assert (
        'plugin "clash_plugin" tried to register command "doctor", already registered by plugin "doctor" (to let it '
        'replace it, set settings plugins.overrides {"doctor": "clash_plugin"}); rejected' in result.stderr
    )
    assert "hijacked" not in claw("doctor").stdout


def test_allow_list_and_disable(claw, plugin_module, claw_env, workspace):
    plugin_module("good_plugin", GOOD)
    plugin_module("other_plugin", "CLAW_API = '1'\n")

    def statuses() -> dict[str, str]:
        records = claw("plugins", "--json").assert_success().json()
        return {r["name"]: r["status"] for r in records if r["name"] in ("good_plugin", "other_plugin")}

    claw_env["CLAW_PLUGINS"] = ""
    assert statuses() == {"good_plugin": "disabled", "other_plugin": "disabled"}
    claw_env["CLAW_PLUGINS"] = "good_plugin"
    assert statuses() == {"good_plugin": "loaded", "other_plugin": "disabled"}
    del claw_env["CLAW_PLUGINS"]
    claw_env["CLAW_DISABLE_PLUGINS"] = "good_plugin"
    assert statuses() == {"good_plugin": "disabled", "other_plugin": "loaded"}
    del claw_env["CLAW_DISABLE_PLUGINS"]
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(
        json.dumps({"plugins": {"disabled": ["other_plugin"]}})
    )
    assert statuses() == {"good_plugin": "loaded", "other_plugin": "disabled"}
    record = next(r for r in claw("plugins", "--json").json() if r["name"] == "other_plugin")
    assert record["reason"] == "disabled by CLAW_DISABLE_PLUGINS or settings plugins.disabled"


def test_doctor_reports_failed_plugin_and_exits_1(claw, plugin_module):
    plugin_module("broken_plugin", "raise ImportError('needs libfoo')\n")
    result = claw("doctor")
    assert result.exit_code == 1
    assert (
        "FAIL broken_plugin: module broken_plugin: failed (failed to import: ImportError: needs libfoo)"
        in result.stdout
    )


def test_doctor_json_lists_config_files(claw, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text("{}")
    checks = claw("doctor", "--json").json()
    project = next(c for c in checks if c["section"] == "config" and c["name"] == "project")
    assert project["status"] == "ok"
    assert project["detail"] == str(workspace / ".claw" / "settings.json")


def test_plugins_table_lists_kernel_builtin(claw):
    out = claw("plugins").assert_success().stdout
    assert out.splitlines()[0].split() == [
        "PLUGIN",
        "DISTRIBUTION",
        "VERSION",
        "STATUS",
        "LOAD",
        "MS",
        "REGISTERS",
    ]
    assert any(line.startswith("local_tasks") and "task_backends: local" in line for line in out.splitlines())


def test_a_plugin_name_already_taken_is_refused(claw, plugin_module):
    plugin_module("builtin_plugin", GOOD)
    result = claw("dump-manifests", "--json").assert_success()
    assert (
        'claw: warning: plugin "builtin_plugin" uses the plugin name "builtin_plugin", '
        'already taken by plugin "builtin_plugin"; skipped'
    ) in result.stderr
    assert all(t["name"] != "Hello" for t in result.json()["tools"])


def test_a_hook_that_raises_fails_doctor(claw, plugin_module):
    plugin_module(
        "raising_plugin",
        "import claw\n@claw.hookimpl\ndef claw_register_tools(register):\n    raise RuntimeError('boom')\n",
    )
    result = claw("doctor")
    assert result.exit_code == 1
    assert (
        "FAIL raising_plugin: module raising_plugin: raised in claw_register_tools: RuntimeError: boom"
        in (result.stdout)
    )


def test_a_doctor_check_that_raises_or_is_invalid_fails_its_plugin(claw, plugin_module):
    plugin_module(
        "raising_check",
        "import claw\n@claw.hookimpl\ndef claw_doctor_checks(settings, env):\n    raise RuntimeError('boom')\n",
    )
    plugin_module(
        "odd_check", "import claw\n@claw.hookimpl\ndef claw_doctor_checks(context):\n    return ['odd']\n"
    )
    result = claw("doctor")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    plugins = lines[lines.index("plugins:") + 1 :]
    assert (
        "  FAIL raising_check: module raising_check: raised in claw_doctor_checks: RuntimeError: boom"
        in plugins
    )
    assert "  FAIL odd_check: returned an invalid doctor check: 'odd'" in plugins
    assert lines.count("plugins:") == 1  # the invalid answer is placed in the plugins section
