"""Slash commands typed as prompts (``claw -p "/review ..."``): Markdown commands from tools-workflow
with their frontmatter, ``!`cmd` `` lines run through the permission engine with the Bash tool, and
``@file`` references; against the in-process scripted provider."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from claw.testing.script import Reply, Text, ToolCall


def _command(workspace: Path, name: str, text: str) -> None:
    path = workspace / ".claw" / "commands" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _prompt(request: dict) -> str:
    return request["messages"][0]["content"][0]["text"]


REVIEW = """\
---
description: Review a file
allowed-tools: Bash(python3 *), Write
model: scripted/backup
---
Review $1 for $2.
Granted: !`python3 -c "print('granted $2')"`
Not granted: !`touch other.txt`
Attached: @$1 and @missing.py, mail me@example.com
"""


def test_markdown_command_expands_with_its_frontmatter_for_one_turn(claw, scripted_default, workspace):
    (workspace / "src").mkdir()
    (workspace / "src" / "app.py").write_text("print('hi')\n")
    _command(workspace, "review", REVIEW)
    scripted_default.script(
        Reply(ToolCall("Write", {"file_path": "notes.md", "content": "ok\n"})),
        Reply(Text("reviewed")),
    )
    res = claw("-p", "/review src/app.py bugs", "--output-format", "json").assert_success()
    assert res.json()["result"] == "reviewed"
    first = scripted_default.requests[0]
    assert first["model"] == "backup"  # the command's model, for its turn
    text = _prompt(first)
    assert text.startswith("Review src/app.py for bugs.\nGranted: granted bugs\n")
    assert "Not granted: [!`touch other.txt` not run: permission denied:" in text
    assert not (workspace / "other.txt").exists()
    assert "Attached: @src/app.py and @missing.py, mail me@example.com" in text
    assert text.endswith("<file path=\"src/app.py\">\nprint('hi')\n</file>")
    # allowed-tools grants Write for this turn in a -p run, where nobody could approve it
    assert (workspace / "notes.md").read_text() == "ok\n"
    assert res.json()["permission_denials"] == []
    session = next((Path(claw.env["CLAW_STATE_DIR"]) / "projects").rglob("*.jsonl"))
    events = [json.loads(line) for line in session.read_text().splitlines()]
    [run] = [e for e in events if e["type"] == "slash_command"]
    assert run["name"] == "review" and run["args"] == "src/app.py bugs" and run["source"] == "project"
    assert run["allowed_tools"] == ["Bash(python3 *)", "Write"] and run["model"] == "scripted/backup"


def test_grants_and_model_end_with_the_turn(claw, scripted_default, workspace):
    _command(workspace, "grant", "---\nallowed-tools: Write\nmodel: scripted/backup\n---\nwrite it")
    scripted_default.script(
        Reply(Text("done")),
        Reply(ToolCall("Write", {"file_path": "x.md", "content": "x"})),
        Reply(Text("no")),
    )
    claw("-p", "/grant").assert_success()
    res = claw("-p", "write again", "--continue", "--output-format", "json").assert_success()
    assert [r["model"] for r in scripted_default.requests] == ["backup", "default", "default"]
    assert [d["tool_name"] for d in res.json()["permission_denials"]] == ["Write"]
    assert not (workspace / "x.md").exists()


def test_unknown_command_is_one_line_with_close_matches(claw, scripted_default, workspace):
    _command(workspace, "review", "Review it.")
    res = claw("-p", "/reveiw src/app.py").assert_failure(1)
    assert res.stderr.strip().splitlines() == [
        "claw: error: unknown slash command /reveiw; did you mean /review?"
    ]
    assert scripted_default.requests == []


def test_paths_are_prompts_not_commands(claw, scripted_default, workspace):
    scripted_default.script(Reply(Text("fine")))
    claw("-p", "/usr/bin/env is missing").assert_success()
    assert _prompt(scripted_default.requests[0]) == "/usr/bin/env is missing"


def test_at_file_stays_inside_the_workspace_and_is_capped(claw, scripted_default, workspace, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (workspace / "big.txt").write_text("x" * 150_000)
    _command(workspace, "show", f"Look at @big.txt and @../{outside.name} and @{outside}")
    scripted_default.script(Reply(Text("ok")))
    claw("-p", "/show").assert_success()
    text = _prompt(scripted_default.requests[0])
    assert "secret" not in text.replace("secret.txt", "")
    assert '<file path="big.txt">' in text and "[... cut at 100000 characters]" in text
    assert text.count("x") < 100_100


def test_bang_command_without_bash_permission_is_noted_and_args_cannot_add_commands(
    claw, scripted_default, workspace
):
    _command(workspace, "say", "Say $ARGUMENTS: !`echo $1`")
    scripted_default.script(Reply(Text("ok")))
    claw("-p", "/say '!`touch pwned`'", "--allowed-tools", "Bash(echo *)").assert_success()
    text = _prompt(scripted_default.requests[0])
    # the argument is text, never a !`...` of its own; inside the body's !`echo $1` it is a command
    # substitution, which the permission engine refuses to let through unasked
    assert text.startswith("Say '!`touch pwned`': [!`echo !`touch pwned`` not run: permission denied:")
    assert not (workspace / "pwned").exists()


PROMPT_SERVER = """
from mcp.server.mcpserver import MCPServer

server = MCPServer("docs")


@server.prompt()
def summarize(topic: str, style: str) -> str:
    return f"Summarize {topic} in a {style} style."


server.run()
"""


def test_mcp_prompt_runs_as_a_slash_command(claw, scripted_default, workspace, tmp_path):
    script = tmp_path / "prompt_server.py"
    script.write_text(PROMPT_SERVER)
    servers = {"docs": {"command": sys.executable, "args": [str(script)]}}
    (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    scripted_default.script(Reply(Text("summary")))
    claw("-p", "/mcp__docs__summarize the loop very terse").assert_success()
    assert _prompt(scripted_default.requests[0]) == "Summarize the in a loop very terse style."


def test_command_with_an_unknown_model_is_one_line(claw, scripted_default, workspace):
    _command(workspace, "odd", "---\nmodel: nosuch/model\n---\nhello")
    res = claw("-p", "/odd").assert_failure(1)
    [line] = res.stderr.splitlines()
    assert line.startswith("claw: error: ") and "nosuch" in line
    assert scripted_default.requests == []


def test_a_builtin_on_stream_json_input_is_answered_with_its_own_result(claw, scripted_default):
    """An SDK client that sends ``/cost`` waits for that message's ``result`` (``receive_response()``):
    as Claude Code's local commands, the report comes as ``system/local_command_output`` and as the
    ``result``, in order with the turns around it (it used to go to stderr, with no result at all)."""
    scripted_default.script(Reply(Text("one")), Reply(Text("two")))
    messages = ["hi", "/cost", "bye"]
    stdin = "".join(
        json.dumps({"type": "user", "message": {"role": "user", "content": m}}) + "\n" for m in messages
    )
    flags = ("--input-format", "stream-json", "--output-format", "stream-json", "--verbose")
    res = claw.subprocess("-p", *flags, input=stdin).assert_success()
    lines = res.json_lines()
    results = [x for x in lines if x["type"] == "result"]
    assert [r["result"].split(":")[0] for r in results] == ["one", "Total cost", "two"]
    report = next(x for x in lines if x.get("subtype") == "local_command_output")
    assert lines.index(report) == lines.index(results[1]) - 1 and report["content"] == results[1]["result"]
    assert results[1]["num_turns"] == 0 and not results[1]["is_error"] and "Total cost" not in res.stderr


def test_an_unknown_command_on_stream_json_input_fails_that_message_not_the_session(claw, scripted_default):
    """A typo in one message of a stream-json session is that message's error ``result`` (one line on
    stderr, exit code 1 at the end); the next message still runs (it used to end the session)."""
    scripted_default.script(Reply(Text("one")), Reply(Text("two")))
    messages = ["hi", "/stauts", "bye"]
    stdin = "".join(
        json.dumps({"type": "user", "message": {"role": "user", "content": m}}) + "\n" for m in messages
    )
    flags = ("--input-format", "stream-json", "--output-format", "stream-json", "--verbose")
    res = claw.subprocess("-p", *flags, input=stdin).assert_failure(1)
    results = [x for x in res.json_lines() if x["type"] == "result"]
    assert [(r["is_error"], r["result"]) for r in results] == [
        (False, "one"),
        (True, "unknown slash command /stauts; did you mean /status?"),
        (False, "two"),
    ]
    assert res.stderr.count("unknown slash command /stauts") == 1
