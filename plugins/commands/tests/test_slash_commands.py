"""The built-in slash commands claw-commands registers (``claw_register_slash_commands``): each runs as a
``claw -p`` prompt without a model turn, another plugin adds one (and replaces one only when settings
``plugins.overrides`` hand it the name), and with claw-commands disabled calling one says what to install
while ``-p`` still runs."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text, ToolCall, Usage

BUILTINS = ("help", "compact", "cost", "status", "export", "trust")

#: A third-party plugin's built-ins: ``/hello [NAME]``, and its own ``/cost``.
HELLO = """
import claw

async def hello(context, args):
    context.out.write(f"hello {args or 'world'} from {context.session.session_id[:8]}, "
                      f"{len(context.messages)} messages on {context.model}\\n")

async def cost(context, args):
    context.out.write(f"my cost: {context.cost_usd:.2f}\\n")

@claw.hookimpl
def claw_register_slash_commands(register):
    register(claw.BuiltinCommand("hello", "greet someone", hello, argument_hint="[NAME]"))
    register(claw.BuiltinCommand("cost", "my own cost report", cost))
"""


def _first_run(claw, loop_env, workspace):  # type: ignore[no-untyped-def]
    """A saved session of two turns (an Echo call, then its answer) to run the commands on."""
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"compaction": {"keepRecentTurns": 1}}))
    usage = Usage(input_tokens=100_000, output_tokens=1000)  # $0.315 at the scripted price
    loop_env.script(Reply(ToolCall("Echo", {"text": "1"}), usage=usage), Reply(Text("echoed"), usage=usage))
    return claw("-p", "echo 1", "--output-format", "json").assert_success().json()["session_id"]


def test_each_builtin_runs_as_a_print_prompt_without_a_model_turn(claw, loop_env, workspace, tmp_path):
    sid = _first_run(claw, loop_env, workspace)

    def run(line: str) -> str:
        return claw("-p", line, "--continue").assert_success().stdout

    help_text = run("/help")
    for name in BUILTINS:
        assert f"\n/{name}" in f"\n{help_text}"
    assert "/export [FILE]     write the conversation to FILE as Markdown" in help_text
    assert "/exit" in help_text
    assert run("/cost").startswith("Total cost:  $0.6300\nTokens:      200000 input, 2000 output")
    status = run("/status")
    assert f"Session:     {sid}\n" in status and "Messages:    4\n" in status
    assert f"Workspace:   {workspace.resolve()}\n" in status and "Permissions: " in status
    out = tmp_path / "notes.md"
    assert run(f"/export {out}") == f"exported the conversation to {out}\n"
    assert out.read_text().startswith(f"# Session {sid}\n\n## User\n\necho 1")
    claw("-p", f"/export {out}", "--continue").assert_failure(1, f"/export: {out} already exists")
    claw.env["CLAW_DISABLE_PLUGINS"] = "trust_store"
    claw("-p", "/trust", "--continue").assert_failure(
        1, "/trust: no trust store remembers folders (the trust_store built-in is disabled)"
    )
    del claw.env["CLAW_DISABLE_PLUGINS"]
    assert run("/trust").startswith(f"trusted: {workspace.resolve()}; its hooks")
    assert len(loop_env.requests) == 2  # none of these asked the model
    loop_env.script(Reply(Text("SUMMARY: echoed once")))
    assert run("/compact") == "compacted\n"
    assert len(loop_env.requests) == 3  # /compact asked for its summary, and printed nothing of it


def test_a_plugin_adds_a_builtin_that_runs_everywhere_a_builtin_does(
    claw, loop_env, workspace, plugin_module, tmp_path
):
    plugin_module("my_hello", HELLO)
    sid = _first_run(claw, loop_env, workspace)
    res = claw("-p", "/hello Ada", "--continue").assert_success()
    assert res.stdout == f"hello Ada from {sid[:8]}, 4 messages on scripted/default\n"
    assert "/hello [NAME]      greet someone" in claw("-p", "/help", "--continue").assert_success().stdout
    # resume-session gives it its one argument, as /export gets its file
    path = next(workspace.parent.rglob(f"{sid}.jsonl"))
    res = claw("resume-session", str(path), "/hello", "Grace", "/status").assert_success()
    assert res.stdout.startswith(f"hello Grace from {sid[:8]}") and f"Session:     {sid}" in res.stdout
    assert len(loop_env.requests) == 2
    (record,) = [p for p in claw("plugins", "--json").assert_success().json() if p["name"] == "my_hello"]
    assert record["registers"]["slash_commands"] == ["hello"]


def test_a_plugin_replaces_a_builtin_only_when_settings_hand_it_the_name(
    claw, loop_env, workspace, plugin_module
):
    plugin_module("my_hello", HELLO)
    _first_run(claw, loop_env, workspace)
    kept = claw("-p", "/cost", "--continue").assert_success()
    assert kept.stdout.startswith("Total cost:  $0.6300")  # claw-commands' /cost: first-party keeps its name
    assert (
        'plugin "my_hello" tried to register slash_command "cost", already registered by plugin "commands" '
        '(claw-commands 0.1.0) (to let it replace it, set settings plugins.overrides {"cost": "my_hello"})'
    ) in kept.stderr
    handed = claw(
        "-p", "/cost", "--continue", "--settings", '{"plugins": {"overrides": {"cost": "my_hello"}}}'
    )
    assert handed.assert_success().stdout == "my cost: 0.63\n" and "tried to register" not in handed.stderr


def test_a_malformed_builtin_is_reported_and_the_plugin_registers_none(claw, loop_env, plugin_module):
    plugin_module(
        "bad_slash",
        "import claw\n"
        "async def run(context, args):\n"
        "    pass\n"
        "@claw.hookimpl\n"
        "def claw_register_slash_commands(register):\n"
        "    register(claw.BuiltinCommand('fine', 'ok', run))\n"
        "    register(claw.BuiltinCommand('two words', 'bad', run))\n",
    )
    loop_env.script(Reply(Text("ran")))
    res = claw("-p", "/fine").assert_failure(1, "unknown slash command /fine")
    assert 'plugin "bad_slash" raised in claw_register_slash_commands: ValueError: needs a name' in res.stderr


def test_disabled_a_builtin_names_the_distribution_and_p_still_runs(claw, claw_env, loop_env):
    claw_env["CLAW_DISABLE_PLUGINS"] = "commands"
    loop_env.script(Reply(Text("still here")))
    assert claw("-p", "hello").assert_success().stdout == "still here\n"
    for name in BUILTINS:
        failed = claw("-p", f"/{name}", "--continue")
        assert failed.exit_code == 1
        assert failed.stderr.splitlines() == [
            f"claw: error: /{name}: built-in slash commands need claw-commands, which is not installed or is "
            "disabled (pip install claw-commands)"
        ]
    assert "unknown slash command /stauts;" in claw("-p", "/stauts").assert_failure(1).stderr
    assert len(loop_env.requests) == 1


def test_the_repl_runs_a_plugins_builtins_and_disabled_says_what_to_install(
    claw, claw_env, loop_env, plugin_module
):
    plugin_module("my_hello", HELLO)
    claw_env["CLAW_DISABLE_PLUGINS"] = "commands"
    loop_env.script(Reply(Text("answered")))
    res = claw("--repl", input="/status\n/hello Ada\n/cost\nhi\n/exit\n").assert_success()
    assert (
        "claw: error: /status: built-in slash commands need claw-commands, which is not installed or is "
        "disabled (pip install claw-commands)\n"
    ) in res.stderr
    assert "> hello Ada from " in res.stderr
    assert "> my cost: 0.00\n" in res.stderr  # with claw-commands disabled nobody else holds the name
    assert res.stdout == "answered\n" and len(loop_env.requests) == 1
