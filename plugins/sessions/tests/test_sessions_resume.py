"""Resuming through the CLI: claw-code-go's session files, the session's recorded model,
``resume-session FILE [commands...]`` and the seed's flag spellings."""

from __future__ import annotations

import json

from claw import _paths as paths
from claw.testing.script import Reply, Text, ToolCall, Usage


def _texts(request: dict) -> list[str]:
    return [
        b.get("text") or b.get("content") or b.get("name") for m in request["messages"] for b in m["content"]
    ]


def _legacy(tmp_path, **extra):  # type: ignore[no-untyped-def]
    """A claw-code-go legacy session file (pretty-printed, as its SaveSession wrote it)."""
    path = tmp_path / "session-1712.json"
    data = {
        "id": "session-1712",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "what is in app.py?"}]},
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "toolu_1", "name": "read_file", "input": {"path": "app.py"}}
                ],
            },
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "print(1)"}],
            },
            {"role": "assistant", "content": "It prints 1."},
        ],
        "created_at": "2026-01-02T10:00:00Z",
        "updated_at": "2026-01-02T10:01:00Z",
        **extra,
    }
    path.write_text(json.dumps(data, indent=2))
    return path


def test_legacy_json_session_continues_in_a_new_claw_session(claw, loop_env, session_events, tmp_path):
    path = _legacy(tmp_path)
    before = path.read_bytes()
    loop_env.script(Reply(Text("now it prints 2")), Reply(Text("again")))
    res = claw("-p", "make it print 2", "--resume", str(path), "--output-format", "json").assert_success()
    assert _texts(loop_env.requests[0]) == [
        "what is in app.py?",
        "read_file",
        "print(1)",
        "It prints 1.",
        "make it print 2",
    ]
    assert path.read_bytes() == before
    sid = res.json()["session_id"]
    assert sid != "session-1712"
    assert f"{path} is a claw-code-go session; continuing in a new claw session {sid}" in res.stderr
    fork = next(e for e in session_events(sid) if e["type"] == "fork")
    assert fork["parent_session_id"] == "session-1712" and fork["parent_path"] == str(path)
    # the new session is claw's own: resuming it appends to it
    assert (
        claw("-p", "more", "--resume", sid, "--output-format", "json").assert_success().json()["session_id"]
        == sid
    )
    assert _texts(loop_env.requests[1])[-3:] == ["make it print 2", "now it prints 2", "more"]
    assert path.read_bytes() == before


def test_seed_jsonl_session_with_compaction_summary_is_loaded(claw, loop_env, tmp_path):
    path = tmp_path / "s.jsonl"
    lines = [
        {
            "type": "session_meta",
            "version": 1,
            "session_id": "seed-7",
            "created_at_ms": 1,
            "updated_at_ms": 2,
        },
        {"type": "compaction", "count": 1, "removed_message_count": 0, "summary": "We fixed the parser."},
        {
            "type": "message",
            "message": {"role": "user", "content": [{"type": "text", "text": "and the lexer?"}]},
        },
        {"type": "message", "message": {"role": "assistant", "content": [{"type": "text", "text": "Fine."}]}},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    before = path.read_bytes()
    loop_env.script(Reply(Text("ok")))
    claw("-p", "next", "--resume", str(path)).assert_success()
    sent = _texts(loop_env.requests[0])
    assert "We fixed the parser." in sent[0] and sent[1:] == ["and the lexer?", "Fine.", "next"]
    assert path.read_bytes() == before


def test_a_file_that_is_no_session_is_refused_untouched(claw, loop_env, tmp_path):
    for name, content in [
        ("notes.txt", "remember to buy milk\n"),
        ("config.json", '{"theme": "dark"}'),
        ("other.jsonl", '{"event": "click"}\n{"event": "scroll"}\n'),
    ]:
        path = tmp_path / name
        path.write_text(content)
        res = claw("-p", "x", "--resume", str(path)).assert_failure(1, f"{path} is not a session file")
        assert len(res.stderr.strip().splitlines()) == 1
        assert path.read_text() == content
    bad = _legacy(tmp_path, messages=[{"role": "user", "content": [{"type": "tool_use"}]}])
    before = bad.read_bytes()
    res = claw("-p", "x", "--resume", str(bad)).assert_failure(1, f"{bad}: message 0.content.0")
    assert len(res.stderr.strip().splitlines()) == 1 and bad.read_bytes() == before
    assert loop_env.requests == []


def test_a_stray_file_in_the_sessions_dir_does_not_break_the_listing(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")))
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    (paths.sessions_dir(workspace, claw_env) / "junk.jsonl").write_text("not json\n")
    res = claw("sessions", "list", "--json").assert_success()
    assert [s["session_id"] for s in res.json()] == [sid] and "junk.jsonl is not a session file" in res.stderr


def test_resume_uses_the_model_the_session_recorded(claw, loop_env, claw_env, workspace, tmp_path):
    loop_env.script(*(Reply(Text(str(i))) for i in range(7)))
    sid = (
        claw("-p", "a", "--model", "scripted/backup", "--output-format", "json")
        .assert_success()
        .json()["session_id"]
    )
    claw("-p", "b", "--resume", sid).assert_success()
    claw("-p", "c", "--continue").assert_success()
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    claw("resume-session", str(path), "d").assert_success()
    assert [r["model"] for r in loop_env.requests] == ["backup"] * 4
    # --model wins, and is what the session records from then on
    claw("-p", "e", "--continue", "--model", "scripted/effort").assert_success()
    claw("-p", "f", "--continue").assert_success()
    assert [r["model"] for r in loop_env.requests[4:]] == ["effort", "effort"]
    starts = [json.loads(x) for x in path.read_text().splitlines() if '"session_start"' in x]
    assert [s["model"] for s in starts] == ["scripted/backup"] * 4 + ["scripted/effort"] * 2
    # a legacy file's own model
    claw("-p", "g", "--resume", str(_legacy(tmp_path, model="scripted/tiny"))).assert_success()
    assert loop_env.requests[6]["model"] == "tiny"


def test_a_recorded_model_that_is_gone_says_where_it_came_from(claw, loop_env, tmp_path):
    path = _legacy(tmp_path, model="nosuch/model-1")
    res = claw("-p", "x", "--resume", str(path)).assert_failure(1, "the model session session-1712 recorded")
    assert "--model" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_resume_session_runs_builtin_commands_in_order_then_the_prompt(claw, loop_env, workspace, tmp_path):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"compaction": {"keepRecentTurns": 1}}))
    usage = Usage(input_tokens=100_000, output_tokens=1000)  # $0.315 at the scripted price
    loop_env.script(
        Reply(ToolCall("Echo", {"text": "1"}), usage=usage),
        Reply(Text("echoed"), usage=usage),
        Reply(Text("SUMMARY: echoed once"), usage=usage),
        Reply(Text("next done")),
    )
    first = claw("-p", "echo 1", "--output-format", "json").assert_success().json()
    assert round(first["total_cost_usd"], 4) == 0.63
    session_file = next(workspace.parent.rglob(f"{first['session_id']}.jsonl"))
    out = tmp_path / "out" / "notes.md"
    out.parent.mkdir()
    res = claw(
        "resume-session",
        str(session_file),
        "/cost",
        "/status",
        "/compact",
        "/export",
        str(out),
        "/cost",
        "go on",
    ).assert_success()
    stdout = res.stdout
    marks = [
        "Total cost:  $0.6300",
        f"Session:     {first['session_id']}",
        "compacted",
        f"exported the conversation to {out}",
        "Total cost:  $0.9450",
        "next done",
    ]
    positions = [stdout.find(m) for m in marks]
    assert -1 not in positions and positions == sorted(positions), stdout
    assert (
        "Model:       scripted/default" in stdout and "Context:     101000 of 200000 tokens (50%)" in stdout
    )
    assert "SUMMARY" not in stdout  # the compaction's summary is no answer: not printed
    assert "Tokens:      200000 input, 2000 output" in stdout
    exported = out.read_text()
    assert exported.startswith(f"# Session {first['session_id']}") and "SUMMARY: echoed once" in exported
    # /compact really compacted: the prompt went out with the summary and the last turn only
    assert "SUMMARY: echoed once" in loop_env.requests[3]["messages"][0]["content"][0]["text"]
    assert loop_env.requests[3]["messages"][-1]["content"][-1]["text"] == "go on"
    # /export never overwrites
    res = claw("resume-session", str(session_file), "/export", str(out))
    res.assert_failure(1, f"/export: {out} already exists")


def test_resume_session_commands_alone_make_no_model_request(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")))
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    res = claw("resume-session", str(path), "/status").assert_success()
    assert f"Session:     {sid}" in res.stdout and "Messages:    2" in res.stdout
    assert len(loop_env.requests) == 1


def test_seed_spellings_prompt_session_and_repl(claw, loop_env):
    loop_env.script(Reply(Text("one")), Reply(Text("two")), Reply(Text("three")))
    sid = claw("--prompt", "first", "--output-format", "json").assert_success().json()["session_id"]
    assert _texts(loop_env.requests[0]) == ["first"]
    res = claw("--prompt", "second", "--session", sid, "--output-format", "json").assert_success()
    assert res.json()["session_id"] == sid and _texts(loop_env.requests[1]) == ["first", "one", "second"]
    # --repl: the REPL even though stdin is not a terminal (it reads its lines from stdin)
    res = claw("--repl", "--session", sid, input="third\n/status\n/exit\n").assert_success()
    assert _texts(loop_env.requests[2])[-1] == "third" and "three" in res.stdout
    assert f"session {sid}; /help for commands" in res.stderr and f"Session:     {sid}" in res.stderr
    claw("--prompt", "x", "more words").assert_failure(2, "--prompt and a prompt argument")
    claw("--repl", "-p", "x").assert_failure(2, "--repl and -p/--print/--prompt")
    claw("-p", "x", "--session", sid, "--resume", "other").assert_failure(2, "--session is --resume")


def test_builtins_as_print_prompts_and_stdin_after_commands(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(Text("one")), Reply(Text("two")))
    sid = claw("-p", "first", "--output-format", "json").assert_success().json()["session_id"]
    # with JSON output the report is the result, as Claude Code's local commands: stdout stays JSON
    res = claw("-p", "/status", "--continue", "--output-format", "json").assert_success()
    result = res.json()
    assert result["subtype"] == "success" and result["num_turns"] == 0 and result["session_id"] == sid
    assert f"Session:     {sid}" in result["result"] and f"Session:     {sid}" not in res.stderr
    claw("-p", "/stauts", "--continue").assert_failure(
        1, "unknown slash command /stauts; did you mean /status?"
    )
    path = paths.sessions_dir(workspace, claw_env) / f"{sid}.jsonl"
    res = claw("resume-session", str(path), "/cost", input="piped question\n").assert_success()
    assert res.stdout.index("Total cost:") < res.stdout.index("two")
    assert _texts(loop_env.requests[1])[-1] == "piped question\n"


def test_image_with_session_placeholder_is_stored_as_text() -> None:
    from claw._messages import ImageBlock, ImageSource, Message, ToolResultBlock

    shot = ImageBlock(
        source=ImageSource(media_type="image/png", data="QUJD" * 1000),
        session_placeholder="(screenshot 1024x768)",
    )
    pasted = ImageBlock(source=ImageSource(media_type="image/png", data="WFla"))
    message = Message(role="user", content=[ToolResultBlock(tool_use_id="t1", content=[shot]), pasted])
    stored = message.stored()
    assert stored["content"][0]["content"] == [{"type": "text", "text": "(screenshot 1024x768)"}]
    assert stored["content"][1]["source"]["data"] == "WFla"  # an image without a placeholder is kept
    assert "session_placeholder" not in str(message.model_dump())


META_PLUGIN = """
import json, os
import claw

@claw.hookimpl
def claw_adjust_session(options, context, resumed):
    with open(os.environ["META_SEEN"], "a") as out:
        out.write(json.dumps(None if resumed is None else resumed.meta) + "\\n")
    if os.environ.get("META_KEEP"):
        options.meta = {**options.meta, "kept": os.environ["META_KEEP"]}
"""


def test_a_plugins_meta_is_read_back_on_resume_and_a_run_keeping_none_clears_it(
    claw, loop_env, claw_env, plugin_module, tmp_path
):
    """``LoopOptions.meta`` goes in the start record; ``claw_adjust_session`` gets it back as
    ``resumed.meta`` from the last run of the session (claw-agents keeps the main-thread agent so)."""
    seen = tmp_path / "seen.jsonl"
    claw_env["META_SEEN"] = str(seen)
    plugin_module("meta_plugin", META_PLUGIN)
    loop_env.script(*(Reply(Text(str(i))) for i in range(4)))
    claw_env["META_KEEP"] = "one"
    claw("-p", "a").assert_success()
    claw("-p", "b", "--continue").assert_success()
    del claw_env["META_KEEP"]
    claw("-p", "c", "--continue").assert_success()
    claw("-p", "d", "--continue").assert_success()
    assert [json.loads(x) for x in seen.read_text().splitlines()] == [
        None,
        {"kept": "one"},
        {"kept": "one"},
        {},
    ]
