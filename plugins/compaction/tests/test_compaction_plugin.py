"""claw-compaction is a plugin like any other: the entry point ``compaction`` (the name of the kernel
built-in it replaced, so ``CLAW_DISABLE_PLUGINS=compaction`` still switches it off) owning settings
``compaction``; without it ``-p`` runs, ``/compact`` and a full context each say once what to install;
and a third-party compactor answering ``claw_compactor`` first replaces it."""

from __future__ import annotations

import json
from pathlib import Path

from claw.testing.script import Fault, Reply, Text, ToolCall

INSTALL = "claw-compaction, which is not installed or is disabled (pip install claw-compaction)"
OVERFLOW = "prompt is too long: 210000 tokens > 200000 maximum"

#: A compactor that compacts before every request once there are two turns, keeps only the last turn
#: and asks for the summary in its own words.
TERSE = """
import claw


class Terse:
    def due(self, context_tokens, context_window):
        return True

    def split(self, messages):
        turns = [i for i, m in enumerate(messages) if m.role == "assistant"]
        return turns[-1] if len(turns) >= 2 else None

    def request(self, older):
        return [claw.Message.user("ONE WORD, PLEASE")]

    def compacted(self, summary, kept):
        return claw.compacted_history("TERSE: " + summary, kept)


@claw.hookimpl
def claw_compactor(settings):
    return Terse()
"""


def _settings(workspace: Path, data: dict[str, object]) -> Path:
    path = workspace / ".claw" / "settings.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def _user(text: str) -> str:
    return json.dumps({"type": "user", "message": {"role": "user", "content": text}}) + "\n"


def test_the_compactor_is_the_compaction_entry_point_of_claw_compaction(claw):
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    plugin = records["compaction"]
    assert (plugin["distribution"], plugin["status"]) == ("claw-compaction", "loaded")
    assert plugin["registers"] == {"settings": ["compaction"]}


def test_settings_compaction_are_checked_and_shown(claw, workspace):
    path = _settings(workspace, {"compaction": {"threshold": 0.5, "keepRecentTurns": 2}})
    out = claw("config", "show").assert_success().stdout
    assert (
        f"compaction.threshold = 0.5  # {path}" in out and f"compaction.keepRecentTurns = 2  # {path}" in out
    )
    _settings(workspace, {"compaction": {"threshold": 2}})
    failed = claw("config", "show")
    assert failed.exit_code == 1
    assert failed.stderr.strip().splitlines() == [
        f"claw: error: {path}: compaction.threshold: Input should be less than or equal to 1"
    ]


def test_disabled_print_mode_runs_and_compact_names_the_distribution(claw, loop_env, claw_env, workspace):
    claw_env["CLAW_DISABLE_PLUGINS"] = "compaction"
    records = {p["name"]: p for p in claw("plugins", "--json").assert_success().json()}
    assert records["compaction"]["status"] == "disabled"
    loop_env.script(Reply(Text("answered")))
    assert claw("-p", "hi").assert_success().stdout == "answered\n"
    res = claw("-p", "/compact").assert_success()
    assert res.stderr.strip().splitlines() == [f"claw: warning: /compact needs {INSTALL}"]
    assert len(loop_env.requests) == 1  # /compact asked the model nothing
    # its settings are not "unknown": they name the distribution that reads them
    _settings(workspace, {"compaction": {"keepRecentTurns": 1}})
    loop_env.script(Reply(Text("again")))
    res = claw("-p", "hi").assert_success()
    assert res.stderr.strip().splitlines() == [
        'claw: warning: settings "compaction" are not used: claw-compaction is not installed or is disabled '
        "(pip install claw-compaction)"
    ]


def test_disabled_a_full_context_ends_its_turns_and_says_once_what_compacts_it(claw, loop_env, claw_env):
    claw_env["CLAW_DISABLE_PLUGINS"] = "compaction"
    loop_env.script(Fault(status=400, message=OVERFLOW), Fault(status=400, message=OVERFLOW))
    stdin = _user("one") + _user("two")
    res = claw(
        "-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json", input=stdin
    )
    results = [o for o in res.json_lines() if o["type"] == "result"]
    assert [(r["subtype"], r["is_error"]) for r in results] == [("error_during_execution", True)] * 2
    assert all(OVERFLOW in r["result"] for r in results), results
    line = f"claw: warning: the context is full: automatic compaction needs {INSTALL}"
    assert res.stderr.splitlines().count(line) == 1, res.stderr
    assert len(loop_env.requests) == 2  # one request per turn: nothing retried, nothing summarised


def test_a_plugins_compactor_replaces_claw_compactions(claw, loop_env, plugin_module, session_events):
    plugin_module("terse_compactor", TERSE)
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "1"})),
        Reply(ToolCall("Echo", {"text": "2"})),
        Reply(Text("echoed")),
        Reply(Text("done")),
    )
    result = claw("-p", "go", "--output-format", "json").assert_success().json()
    assert result["result"] == "done"
    assert loop_env.requests[2]["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "ONE WORD, PLEASE"}]}
    ]
    after = loop_env.requests[3]["messages"]
    assert after[0]["content"][0]["text"].endswith("TERSE: echoed")
    assert [m["role"] for m in after] == ["user", "assistant", "user"]
    assert after[1]["content"][0]["input"] == {"text": "2"}  # the kept turn
    comp = [e for e in session_events(result["session_id"]) if e["type"] == "compaction"]
    assert len(comp) == 1 and comp[0]["summary"] == "echoed" and comp[0]["kept_messages"] == 2
