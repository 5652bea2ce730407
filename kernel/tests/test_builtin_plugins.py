"""Built-in plugins (``claw._builtins``) are plugins like any other: listed, switched off by settings
``plugins.disabled``, and replaced by a third-party plugin that answers their hook first. The replacing
plugins here load through the real plugin manager (``CLAW_PLUGIN_MODULES``) and run under ``claw -p``."""

from __future__ import annotations

import json
from pathlib import Path

from claw._plugins import BUILTIN_PLUGINS
from claw.testing.script import Reply, Text, ToolCall, Usage

#: A session store keeping each session's events in ``<workspace>/store/<id>.log``, one JSON line each.
LOG_STORE = """
import json, uuid
import claw


class LogWriter:
    def __init__(self, path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def append(self, event, *, sync=True):
        with self.path.open("a") as fh:
            fh.write(json.dumps(event, default=str) + "\\n")

    def close(self):
        pass


class LogStore:
    def __init__(self, root):
        self.root = root

    def resume(self, spec):
        raise claw.ClawError("the log store cannot resume " + spec)

    def open(self, *, resume, fork, session_id, start):
        sid = session_id or str(uuid.uuid4())
        session = claw.Session(claw.SessionState(session_id=sid), LogWriter(self.root / (sid + ".log")))
        session.record("session_start", session_id=sid, store="log", **start)
        return session


@claw.hookimpl
def claw_session_store(directory, persist):
    import os, pathlib
    return LogStore(pathlib.Path(os.getcwd()) / "store")
"""


def _settings(claw_env: dict[str, str], **data: object) -> None:
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default", **data}))


def test_every_builtin_is_listed_as_a_builtin_plugin(claw, scripted):
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    builtins = {r["module"]: name for name, r in records.items() if r["status"] == "builtin"}
    # named by the module's last name (what settings plugins.disabled takes), an underscore left out
    names = [
        "builtin_plugin",
        "doctor",
        "plugin_list",
        "resume_session",
        "slash_commands",
        "local_tasks",
        "subagents",
        "session_choice",
        "permission_flags",
        "system_prompt_flags",
        "structured_output",
        "whole_text",
        "safe_policy",
        "prompt_tool",
        "unsaved_sessions",
        "entry_point_cache",
        "trust_store",
        "workspace_trust",
        "bare",
        "debug_log",
        "prompt_cache",
        "install_hints",
    ]
    assert builtins == dict(zip(BUILTIN_PLUGINS, names, strict=True))
    assert {"session_store", "compaction", "renderers", "repl", "permissions"} <= set(records)
    assert records["compaction"]["distribution"] == "claw-compaction"  # a default plugin now
    assert records["renderers"]["distribution"] == "claw-output"


def test_a_plugin_replaces_the_session_store(claw, loop_env, plugin_module, workspace, claw_env):
    plugin_module("log_store", LOG_STORE)
    loop_env.script(Reply(Text("kept elsewhere")))
    result = claw("-p", "hello", "--output-format", "json").assert_success().json()
    log = workspace / "store" / f"{result['session_id']}.log"
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["type"] for e in events] == ["session_start", "user", "assistant", "result", "session_end"]
    assert events[0]["store"] == "log"
    assert events[2]["message"]["content"][0]["text"] == "kept elsewhere"
    from claw import _paths as paths

    assert not list(paths.sessions_dir(workspace, claw_env).glob("*.jsonl"))  # the built-in wrote nothing
    failed = claw("-p", "again", "--resume", result["session_id"])
    assert failed.exit_code == 1 and f"the log store cannot resume {result['session_id']}" in failed.stderr


def test_without_a_session_store_runs_keep_nothing_and_resuming_names_the_distribution(
    claw, loop_env, claw_env, workspace
):
    _settings(claw_env, plugins={"disabled": ["session_store"]})
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    assert records["session_store"]["status"] == "disabled"
    loop_env.script(Reply(Text("answered")))
    result = claw("-p", "hello", "--output-format", "json").assert_success().json()
    assert result["result"] == "answered" and result["session_id"]
    from claw import _paths as paths

    assert not paths.sessions_dir(workspace, claw_env).exists()  # nothing was kept
    for flags in (("--resume", result["session_id"]), ("--continue",)):
        failed = claw("-p", "again", *flags)
        assert failed.exit_code == 1, failed.stderr
        lines = failed.stderr.strip().splitlines()
        assert len(lines) == 1 and "pip install claw-sessions" in lines[0], failed.stderr
    assert len(loop_env.requests) == 1  # the failed resumes asked the model nothing


def test_without_any_session_store_a_run_refuses_to_start_in_one_line(claw, loop_env, claw_env, workspace):
    """A run without claw-sessions keeps nothing through the ``unsaved_sessions`` built-in: disabled too,
    nothing answers ``claw_session_store`` and the run ends before its session starts, saying so."""
    _settings(claw_env, plugins={"disabled": ["session_store", "unsaved_sessions"]})
    loop_env.script(Reply(Text("never sent")))
    result = claw("-p", "hello")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "claw: error: no session store: claw-sessions and the unsaved_sessions built-in are both disabled "
        "or not installed (settings plugins.disabled)"
    )
    assert not loop_env.requests


def test_disabling_the_plan_mode_builtin_removes_its_tools(claw, loop_env, claw_env):
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    claw("-p", "x").assert_success()
    assert {"EnterPlanMode", "ExitPlanMode"} <= {t["name"] for t in loop_env.requests[0]["tools"]}
    _settings(claw_env, plugins={"disabled": ["plan_mode"]})
    claw("-p", "x").assert_success()
    names = {t["name"] for t in loop_env.requests[1]["tools"]}
    assert not {"EnterPlanMode", "ExitPlanMode"} & names and "Echo" in names


FRONT_END = """
import asyncio
import claw


@claw.hookimpl
def claw_interactive(context, options, initial):
    async def one_turn():
        loop = context.agent_loop(options, context.renderer())
        await loop.start()
        try:
            outcome = await loop.run_prompt("from my front end: " + (initial or ""))
        finally:
            await loop.close("prompt_input_exit")
        return 3 if outcome.exit_code == 0 else 4

    return asyncio.run(one_turn())
"""


def test_a_plugin_replaces_the_repl_and_without_a_front_end_only_print_mode_runs(
    claw, loop_env, plugin_module, claw_env
):
    # claw-repl (entry point ``repl``) and claw-tui both off: interactive claw names what to install.
    _settings(claw_env, plugins={"disabled": ["repl", "tui"]})
    res = claw("--repl")
    assert res.exit_code == 1 and res.stderr == (
        "claw: error: no interactive front end is installed or enabled: pip install claw-repl "
        "(the line REPL) or claw-tui (full screen); claw -p PROMPT needs neither\n"
    )
    loop_env.script(Reply(Text("printed")))
    assert claw("-p", "hi").assert_success().stdout == "printed\n"
    plugin_module("front_end", FRONT_END)
    loop_env.script(Reply(Text("served")))
    res = claw("--repl", "say hi")
    assert res.exit_code == 3 and res.stdout == "served\n"
    assert loop_env.requests[-1]["messages"][-1]["content"][0]["text"] == "from my front end: say hi"


#: A ``local`` task backend of a third party's: the built-in's, under another class.
MY_LOCAL = """
import claw


class MyLocal(claw.LocalTaskBackend):
    pass


@claw.hookimpl
def claw_register_task_backends(register):
    register(MyLocal())
"""


def test_a_plugin_replaces_the_local_task_backend_when_settings_hand_it_over(
    claw, plugin_module, claw_env, workspace
):
    claw_env["CLAW_PLUGINS"] = "my_local"  # no embedded backend (claw-agents): local is the default
    plugin_module("my_local", MY_LOCAL)
    import claw as api

    refused = claw("plugins", "--json").assert_success()
    assert (
        'plugin "my_local" tried to register task_backend "local", already registered by plugin "local_tasks"'
        in (refused.stderr)
    )
    assert type(api.CommandContext.create(workspace, env=claw_env).task_backend()) is api.LocalTaskBackend
    _settings(claw_env, plugins={"overrides": {"local": "my_local"}})
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    assert records["my_local"]["registers"] == {"task_backends": ["local"]}
    assert type(api.CommandContext.create(workspace, env=claw_env).task_backend()).__name__ == "MyLocal"


def test_a_plugin_replaces_claw_doctor_and_a_builtin_command_is_found_asking_only_the_builtins(
    claw, plugin_module, claw_env
):
    plugin_module(
        "my_doctor",
        "import claw, click\n"
        "@claw.hookimpl\n"
        "def claw_register_commands(cli):\n"
        "    @cli.command('doctor')\n"
        "    def doctor():\n"
        "        click.echo('my checks: fine')\n",
    )
    _settings(claw_env, plugins={"overrides": {"doctor": "my_doctor"}})
    assert claw("doctor").assert_success().stdout == "my checks: fine\n"
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    assert records["my_doctor"]["registers"] == {"commands": ["doctor"]}
    # Looking up a built-in's command calls only the built-ins' claw_register_commands: a plugin whose
    # commands cannot even be listed does not stop claw resume-session (nor claw plugins, from its cache).
    plugin_module("no_commands", "import claw\n@claw.hookimpl\ndef claw_register_commands(cli):\n    1 / 0\n")
    missing = claw("resume-session", "nowhere.jsonl")
    assert missing.exit_code == 2 and "nowhere.jsonl" in missing.stderr
    assert "no_commands" not in missing.stderr
    assert "no_commands" in claw("--help").stderr  # listing every command asks every plugin


def test_a_disabled_builtin_command_is_one_usage_line(claw, claw_env):
    _settings(claw_env, plugins={"disabled": ["doctor"]})
    result = claw("doctor")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "claw: error: claw doctor comes with claw's built-in plugin 'doctor', which is disabled "
        "(settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
    )
    assert "  doctor " not in claw("--help").assert_success().stdout
    assert claw("plugins").assert_success().stdout  # the other built-in commands still answer


PING_DISPATCHER = """
import claw


class Ping:
    def names(self, loop, commands):
        return {"ping": "answer pong"}

    def unknown(self, loop, line, commands):
        return None

    async def run(self, loop, line, out):
        if line.strip() != "/ping":
            return False
        out.write("pong\\n")
        return True

    async def prompt(self, loop, prompt):
        raise claw.ClawError("ping knows no " + prompt)


@claw.hookimpl
def claw_slash_dispatcher():
    return Ping()
"""


def test_the_slash_command_dispatch_is_a_builtin_a_plugin_replaces_or_settings_disable(
    claw, claw_env, loop_env, plugin_module
):
    """The ``slash_commands`` built-in runs claw-commands' ``/cost`` and names an unknown ``/name``; a
    plugin answering ``claw_slash_dispatcher`` first runs its own lines (and the session's commands)
    instead, and with the built-in disabled a ``/name`` prompt is one line naming it (exit 1, no request)."""
    loop_env.script(Reply(Text("still here")))
    assert claw("-p", "/cost").assert_success().stdout.startswith("Total cost:")
    assert claw("-p", "/cots").assert_failure(1).stderr.splitlines() == [
        "claw: error: unknown slash command /cots; did you mean /cost?"
    ]
    _settings(claw_env, plugins={"disabled": ["slash_commands"]})
    failed = claw("-p", "/cost")
    assert failed.exit_code == 1
    assert failed.stderr.splitlines() == [
        "claw: error: /cost: slash commands come with claw's built-in plugin 'slash_commands', which is "
        "disabled (settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
    ]
    assert claw("-p", "hello").assert_success().stdout == "still here\n"
    assert len(loop_env.requests) == 1
    plugin_module("ping_dispatch", PING_DISPATCHER)
    assert claw("-p", "/ping").assert_success().stdout == "pong\n"
    _settings(claw_env)  # the built-in back: the plugin's answer still comes first
    assert claw("-p", "/ping").assert_success().stdout == "pong\n"
    assert "ping knows no /cost" in claw("-p", "/cost").assert_failure(1).stderr


def test_the_json_schema_flag_comes_with_its_builtin(claw, claw_env, loop_env):
    """``--json-schema`` is the ``structured_output`` built-in's option: a bad value is its usage error,
    and disabled, the flag is one usage line naming it."""
    bad = claw("-p", "x", "--json-schema", "{nope")
    assert bad.exit_code == 2 and bad.stderr.startswith("claw: error: --json-schema: invalid JSON: ")
    missing = claw("-p", "x", "--json-schema", "no-such-file.json")
    assert missing.exit_code == 2
    assert "--json-schema: not a JSON object nor a file: no-such-file.json" in missing.stderr
    _settings(claw_env, plugins={"disabled": ["structured_output"]})
    result = claw("-p", "x", "--json-schema", "{}")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "claw: error: --json-schema comes with claw's built-in plugin 'structured_output', which is "
        "disabled (settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
    )
    assert "--json-schema" not in claw("--help").assert_success().stdout
    assert len(loop_env.requests) == 0


def test_without_the_local_backend_background_work_is_one_line_naming_both(claw_env, workspace):
    import claw as api
    from claw._errors import ConfigError

    claw_env["CLAW_PLUGINS"] = ""  # and no embedded backend (claw-agents)
    assert api.CommandContext.create(workspace, env=claw_env).task_backend().name == "local"
    _settings(claw_env, plugins={"disabled": ["local_tasks"]})
    context = api.CommandContext.create(workspace, env=claw_env)
    try:
        context.task_backend()
    except ConfigError as exc:
        assert str(exc) == (
            "no task backend is installed: neither 'embedded' (pip install claw-agents) nor 'local', whose "
            "built-in plugin local_tasks is disabled (settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
        )
    else:
        raise AssertionError("a task backend was found")


def test_text_without_claw_output_is_the_whole_text_builtins_and_without_both_one_line(
    claw, claw_env, loop_env
):
    loop_env.script(Reply(Text("printed whole")))
    _settings(claw_env, plugins={"disabled": ["renderers"]})
    assert claw("-p", "hi").assert_success().stdout == "printed whole\n"
    _settings(claw_env, plugins={"disabled": ["renderers", "whole_text"]})
    failed = claw("-p", "hi")
    assert failed.exit_code == 1 and failed.stdout == ""
    assert failed.stderr.splitlines() == [
        "claw: error: --output-format text needs claw-output, which is not installed or is disabled "
        "(pip install claw-output)"
    ]
    assert len(loop_env.requests) == 1  # the second run stopped before asking the model


#: A trust store that trusts every folder and remembers nothing new.
TRUST_ALL = """
import claw


class Everywhere:
    def trusted_root(self, folder):
        return "/"

    def add(self, folder):
        raise claw.ClawError("this store is read-only")


@claw.hookimpl
def claw_trust_store(env):
    return Everywhere()
"""


def test_the_trust_store_is_a_builtin_a_plugin_replaces_and_without_it_nothing_is_remembered(
    claw, claw_env, plugin_module, workspace
):
    from claw import TrustStore

    def trust() -> dict[str, object]:
        return claw("config", "show", "--json").assert_success().json()["trust"]

    (workspace / ".claw").mkdir(exist_ok=True)
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"env": {"FROM_THE_FOLDER": "1"}}))
    assert trust()["trusted"] is False
    TrustStore(claw_env).add(workspace)
    assert trust()["trusted"] is True
    _settings(claw_env, plugins={"disabled": ["trust_store"]})
    assert trust() == {
        "folder": str(workspace.resolve()),
        "trusted": False,
        "heldBack": [f"env FROM_THE_FOLDER ({workspace / '.claw' / 'settings.json'})"],
    }
    refused = claw("trust")  # claw trust changes the store runs consult, here none
    assert (refused.exit_code, refused.stderr.strip()) == (
        1,
        "claw: error: no trust store: the trust_store built-in is disabled and no plugin keeps one",
    )
    TrustStore(claw_env).remove(workspace)
    plugin_module("trust_all", TRUST_ALL)
    assert trust()["trusted"] is True
    assert claw("trust").stderr.strip() == "claw: error: this store is read-only"  # the plugin's store
    listed = claw("trust", "--list")
    assert (listed.exit_code, listed.stderr.strip()) == (
        1,
        "claw: error: the trust store (Everywhere) cannot list or forget folders",
    )


OWN_CACHE_RECORD = """
import claw


@claw.hookimpl
def claw_model_response(session, route, response):
    return {"cache": {"mine": response.usage.cache_read_input_tokens}, "type": "x", "model": "not mine"}
"""


def test_the_prompt_cache_bookkeeping_is_a_builtin_a_plugin_replaces_or_settings_disable(
    claw, claw_env, loop_env, plugin_module, session_events
):
    """The ``prompt_cache`` built-in keeps each turn response's ``cache`` record and the result's counters
    (a break too); disabled, nothing is judged; a plugin answering ``claw_model_response`` keeps its own."""

    def run() -> tuple[dict, list[dict]]:
        loop_env.script(
            Reply(ToolCall("Echo", {"text": "a"}), usage=Usage(cache_creation_input_tokens=500)),
            Reply(Text("done"), usage=Usage(cache_read_input_tokens=0, cache_creation_input_tokens=520)),
        )
        result = claw("-p", "hi", "--output-format", "json").assert_success().json()
        events = session_events(result["session_id"])
        return result["cache_stats"], [e for e in events if e["type"] in ("assistant", "cache_break")]

    stats, events = run()
    assert stats == {"hits": 0, "misses": 2, "writes": 2, "unexpected_breaks": 1}
    assert [e["type"] for e in events] == ["assistant", "cache_break", "assistant"]
    assert events[2]["cache"]["break"] is True and events[2]["cache"]["expected_read_tokens"] == 500
    _settings(claw_env, plugins={"disabled": ["prompt_cache"]})
    stats, events = run()
    assert stats == {"hits": 0, "misses": 0, "writes": 0, "unexpected_breaks": 0}
    assert [e["type"] for e in events] == ["assistant", "assistant"]
    assert not any("cache" in e for e in events)
    plugin_module("own_cache_record", OWN_CACHE_RECORD)
    _, events = run()
    assert [e["cache"] for e in events] == [{"mine": 0}, {"mine": 0}]
    assert {e["model"] for e in events} == {"scripted/default"}  # the event's own fields stay the loop's


OWN_TURN_END = """
import claw


@claw.hookimpl
def claw_turn_continues(session, response, result, nudges):
    result["nudges"] = nudges
    return "Answer in one word." if nudges < 1 else False
"""


def test_the_json_schema_turn_end_is_the_builtins_a_plugin_answers_first(claw, loop_env, plugin_module):
    """``structured_output`` answers ``claw_turn_continues`` for ``--json-schema`` (its reminders, then the
    error); a plugin answering first decides instead, and its fields reach the result."""
    schema = json.dumps({"type": "object", "properties": {"n": {"type": "integer"}}})
    loop_env.script(Reply(Text("a")), Reply(Text("b")), Reply(Text("c")))
    missing = claw("-p", "x", "--json-schema", schema, "--output-format", "json").json()
    assert missing["result"] == "the model did not produce the structured output"
    plugin_module("own_turn_end", OWN_TURN_END)
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    result = claw("-p", "x", "--json-schema", schema, "--output-format", "json").assert_success().json()
    assert (result["result"], result["nudges"], result["num_turns"]) == ("b", 1, 2)
    assert loop_env.requests[-1]["messages"][-1]["content"][-1]["text"] == "Answer in one word."
