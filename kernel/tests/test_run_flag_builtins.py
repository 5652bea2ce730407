"""The run flags that are features (which session, what tools may do, the system prompt's text) come with
three built-in plugins (``session_choice``, ``permission_flags``, ``system_prompt_flags``) through
``claw_register_run_options``/``claw_adjust_run``: disabled, each flag is one usage line naming its built-in
and a plain run still works; a plugin may then register the flag itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text

CASES = [
    ("session_choice", ["--continue"]),
    ("session_choice", ["--session-dir", "here"]),
    ("permission_flags", ["--allowedTools", "Read"]),
    ("permission_flags", ["--add-dir", "."]),
    ("system_prompt_flags", ["--system-prompt", "Be brief."]),
    ("system_prompt_flags", ["--append-system-prompt-file", "extra.md"]),
]


def _disable(claw_env: dict[str, str], *names: str) -> None:
    path = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    path.write_text(json.dumps({"model": "scripted/default", "plugins": {"disabled": list(names)}}))


@pytest.mark.parametrize(("builtin", "flag"), CASES)
def test_a_flag_of_a_disabled_builtin_is_one_usage_line_naming_it(
    claw, claw_env, loop_env, workspace, builtin, flag
):
    (workspace / "extra.md").write_text("More.")
    _disable(claw_env, builtin)
    result = claw("-p", "hi", *flag).assert_failure(2)
    assert result.stderr.splitlines()[0] == (
        f"claw: error: {flag[0]} comes with claw's built-in plugin {builtin!r}, which is disabled "
        "(settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
    )
    assert f"  {flag[0]} " not in claw("--help").assert_success().stdout
    assert loop_env.requests == []


def test_without_the_three_a_plain_run_starts_a_new_session_on_claws_own_instructions(
    claw, claw_env, loop_env
):
    _disable(claw_env, "session_choice", "permission_flags", "system_prompt_flags")
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    assert claw("-p", "hi").assert_success().stdout == "one\n"
    assert claw("-p", "again").assert_success().stdout == "two\n"
    assert "You are claw" in loop_env.requests[1]["system"][0]["text"]
    assert [m["role"] for m in loop_env.requests[1]["messages"]] == ["user"]  # not the first session's


SYSTEM_FLAG = """
import click
import claw


@claw.hookimpl
def claw_register_run_options(register):
    register(click.Option(["--system-prompt", "mine"], help="Mine."))


@claw.hookimpl
def claw_adjust_run(options):
    if options.extra.get("mine"):
        options.system_prompt = "Replaced: " + options.extra["mine"]
"""


def test_a_plugin_takes_a_flag_its_builtin_no_longer_holds(claw, claw_env, loop_env, plugin_module):
    plugin_module("system_flag", SYSTEM_FLAG)
    loop_env.script(Reply(Text("ok")), Reply(Text("ok")))
    first = claw("-p", "hi", "--system-prompt", "Be brief.").assert_success()
    assert loop_env.requests[0]["system"][0]["text"].startswith("Be brief.")  # the built-in's: first
    assert 'tried to register run_option "--system-prompt", already registered by plugin' in first.stderr
    _disable(claw_env, "system_prompt_flags")
    claw("-p", "hi", "--system-prompt", "Be brief.").assert_success()
    assert loop_env.requests[1]["system"][0]["text"].startswith("Replaced: Be brief.")


def test_the_file_forms_read_their_file_once_and_refuse_the_text_form_either_way(claw, loop_env, workspace):
    (workspace / "system.md").write_text("From a file.")
    for args in (
        ["--system-prompt", "x", "--system-prompt-file", "system.md"],
        ["--system-prompt-file", "system.md", "--system-prompt", "x"],
    ):
        claw("-p", "hi", *args).assert_failure(
            2, "--system-prompt and --system-prompt-file cannot be used together"
        )
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi", "--append-system-prompt-file", "system.md").assert_success()
    assert loop_env.requests[0]["system"][-1]["text"].rstrip().endswith("From a file.")


WATCHER = """
import os
import claw


@claw.hookimpl(tryfirst=True)
def claw_adjust_run(options):
    open(os.environ["ADJUSTED_MARK"], "a").write("adjusted\\n")  # as --bg hands a run off, or -w makes a worktree
"""


@pytest.mark.parametrize(
    ("flags", "refusal"),
    [
        (["--continue", "--resume", "abc"], "--continue and --resume cannot be used together"),
        (["--fork-session"], "--fork-session needs --resume or --continue"),
    ],
)
def test_contradictory_flags_end_the_run_before_any_plugin_adjusts_it(
    claw, plugin_module, loop_env, tmp_path, flags, refusal
):
    mark = tmp_path / "adjusted"
    claw.env["ADJUSTED_MARK"] = str(mark)
    plugin_module("watcher", WATCHER)
    claw("-p", "hi", *flags).assert_failure(2, refusal)
    assert not mark.exists()
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    assert mark.read_text() == "adjusted\n"
