"""Input that is not valid UTF-8, end to end: ``claw -p`` against the loopback Messages API server.

The policy (``docs/cli.md``, ``docs/tools.md``): text shown to the model decodes invalid bytes as U+FFFD;
paths keep them (surrogate escapes) so they round-trip to the filesystem; a file edited as text keeps
the bytes nobody asked to change; session files and ``--output-format json`` stdout are always valid
UTF-8 JSON; a settings file that is not UTF-8 is a one-line error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall

REPLACEMENT = "\ufffd"


@pytest.fixture
def model(anthropic_model):  # type: ignore[no-untyped-def]
    return anthropic_model


def tool_result(request: Any) -> dict[str, Any]:
    [block] = [b for b in request.json["messages"][-1]["content"] if b["type"] == "tool_result"]
    return block


def text_of(block: dict[str, Any]) -> str:
    content = block["content"]
    return content if isinstance(content, str) else "".join(c.get("text", "") for c in content)


def session_events(claw_env: dict[str, str], workspace: Path) -> list[dict[str, Any]]:
    """The run's one session file, checked to be valid UTF-8 JSON lines."""
    from claw import _paths as paths

    (session,) = paths.sessions_dir(workspace, claw_env).glob("*.jsonl")
    return [json.loads(line) for line in session.read_bytes().decode("utf-8").splitlines()]


@pytest.mark.parametrize("stdio", ["", "utf-8:strict"], ids=["locale", "strict-stdio"])
def test_piped_stdin_with_a_latin1_byte_reaches_the_model_as_replacement(
    claw, model, claw_env, workspace, stdio
):
    claw_env["PYTHONIOENCODING"] = stdio  # strict: what Python does in a UTF-8 locale other than C.UTF-8
    model.script(Reply(Text("the file name is not UTF-8")))
    res = claw.subprocess(
        "-p", "why does this fail?", "--output-format", "json", input=b"error in caf\xe9.py\n"
    ).assert_success()
    result = res.json()
    assert result["type"] == "result" and not result["is_error"]
    assert result["result"] == "the file name is not UTF-8"
    prompt = model.requests[0].json["messages"][0]["content"][0]["text"]
    assert f"error in caf{REPLACEMENT}.py" in prompt and "why does this fail?" in prompt
    [user] = [e for e in session_events(claw_env, workspace) if e["type"] == "user"]
    assert f"caf{REPLACEMENT}.py" in json.dumps(user["message"], ensure_ascii=False)


def test_argv_prompt_that_is_not_utf8(claw, model, claw_env, workspace):
    model.script(Reply(Text("ok")))
    prompt = os.fsdecode(b"explain caf\xe9.py")  # what Python makes of the raw argv bytes
    res = claw.subprocess("-p", prompt, "--output-format", "json").assert_success()
    assert res.json()["result"] == "ok"
    assert model.requests[0].json["messages"][0]["content"][0]["text"] == f"explain caf{REPLACEMENT}.py"
    assert session_events(claw_env, workspace)


def test_read_of_a_latin1_file_shows_its_characters(claw, model, workspace):
    (workspace / "menu.txt").write_bytes(b"caf\xe9 cr\xe8me\n")
    model.script(Reply(ToolCall("Read", {"file_path": "menu.txt"})), Reply(Text("read")))
    claw("-p", "read menu.txt", "--dangerously-skip-permissions").assert_success()
    read = tool_result(model.requests[1])
    assert not read.get("is_error") and "café crème" in text_of(read)


def test_read_of_utf8_with_a_stray_byte_shows_replacement_there_only(claw, model, workspace):
    (workspace / "notes.txt").write_bytes(b"na\xc3\xafve\nbad \xff here\n")
    model.script(Reply(ToolCall("Read", {"file_path": "notes.txt"})), Reply(Text("read")))
    claw("-p", "read notes.txt", "--dangerously-skip-permissions").assert_success()
    text = text_of(tool_result(model.requests[1]))
    assert "naïve" in text and f"bad {REPLACEMENT} here" in text


def test_bash_output_with_invalid_bytes(claw, model, claw_env, workspace):
    model.script(Reply(ToolCall("Bash", {"command": r"printf 'caf\351 ok\n'"})), Reply(Text("ran")))
    res = claw("-p", "run it", "--output-format", "json", "--dangerously-skip-permissions").assert_success()
    assert res.json()["result"] == "ran"
    bash = tool_result(model.requests[1])
    assert not bash.get("is_error") and f"caf{REPLACEMENT} ok" in text_of(bash)
    assert session_events(claw_env, workspace)


def test_grep_over_a_file_with_invalid_bytes(claw, model, workspace):
    (workspace / "log.txt").write_bytes(b"first line\nERROR in caf\xe9.py\nlast\n")
    model.script(
        Reply(ToolCall("Grep", {"pattern": "ERROR", "output_mode": "content"})), Reply(Text("found"))
    )
    claw("-p", "find errors", "--dangerously-skip-permissions").assert_success()
    grep = tool_result(model.requests[1])
    assert not grep.get("is_error") and f"ERROR in caf{REPLACEMENT}.py" in text_of(grep)


def test_edit_keeps_invalid_bytes_elsewhere_in_the_file(claw, model, workspace):
    target = workspace / "app.py"
    target.write_bytes(b"# caf\xc3\xa9 menu\nprice = 1\n# legacy \xe9 byte\n")
    model.script(
        Reply(ToolCall("Read", {"file_path": "app.py"})),
        Reply(
            ToolCall("Edit", {"file_path": "app.py", "old_string": "price = 1", "new_string": "price = 'é'"})
        ),
        Reply(Text("edited")),
    )
    claw("-p", "edit", "--dangerously-skip-permissions").assert_success()
    read = text_of(tool_result(model.requests[1]))
    assert "# café menu" in read and f"# legacy {REPLACEMENT} byte" in read
    assert not tool_result(model.requests[2]).get("is_error")
    assert target.read_bytes() == b"# caf\xc3\xa9 menu\nprice = '\xc3\xa9'\n# legacy \xe9 byte\n"


def test_glob_then_read_of_a_file_whose_name_is_not_utf8(claw, model, claw_env, workspace):
    (workspace / os.fsdecode(b"caf\xe9.txt")).write_text("inside\n")
    shown = f"caf{REPLACEMENT}.txt"
    model.script(
        Reply(ToolCall("Glob", {"pattern": "*.txt"})),
        Reply(ToolCall("Read", {"file_path": shown})),
        Reply(Text("done")),
    )
    res = claw("-p", "list", "--output-format", "json", "--dangerously-skip-permissions").assert_success()
    assert res.json()["result"] == "done"
    assert shown in text_of(tool_result(model.requests[1]))
    read = tool_result(model.requests[2])
    assert not read.get("is_error") and "inside" in text_of(read)
    assert session_events(claw_env, workspace)


def test_instruction_file_with_invalid_bytes_is_kept(claw, model, workspace):
    (workspace / "CLAUDE.md").write_bytes(b"Always greet the caf\xe9 owner.\n")
    model.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    request = json.dumps(model.requests[0].json, ensure_ascii=False)
    assert f"Always greet the caf{REPLACEMENT} owner." in request


def test_hook_output_with_invalid_bytes(claw, model, workspace):
    hooks = {
        "hooks": {
            "UserPromptSubmit": [{"hooks": [{"type": "command", "command": r"printf 'context caf\351'"}]}]
        }
    }
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps(hooks))
    model.script(Reply(Text("ok")))
    claw("-p", "hi", "--output-format", "json").assert_success()
    assert f"context caf{REPLACEMENT}" in json.dumps(model.requests[0].json, ensure_ascii=False)


def test_settings_file_that_is_not_utf8_is_a_one_line_error(claw, model, claw_env, workspace):
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_bytes(b'{"env": {"NAME": "caf\xe9"}}')
    res = claw.subprocess("-p", "hi", input=b"")
    res.assert_failure(1, "not valid UTF-8")
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


BUGGY_PROVIDER = """
import claw
from claw.testing.scripted_provider import ScriptedProvider


class Buggy(ScriptedProvider):
    name = "buggy"
    model_prefixes = ()

    async def stream(self, request):
        raise RuntimeError("stream exploded\\nsecond line")
        yield


@claw.hookimpl
def claw_register_providers(register):
    register(Buggy)
"""


@pytest.mark.parametrize("verbose", [False, True])
def test_an_unexpected_exception_still_ends_in_a_json_result_and_a_session(
    claw, claw_env, workspace, plugin_module, verbose
):
    plugin_module("buggy_provider", BUGGY_PROVIDER)
    args = ["-p", "go", "--model", "buggy/default", "--output-format", "json"]
    res = claw.subprocess(*args, *(["--verbose"] if verbose else []), input=b"")
    res.assert_failure(1, "claw: error: internal error: RuntimeError: stream exploded")
    result = res.json()
    assert result["type"] == "result" and result["is_error"] and result["subtype"] == "error_during_execution"
    assert "stream exploded" in result["result"] and "second line" not in result["result"]
    assert ("Traceback" in res.stderr) is verbose
    if not verbose:
        assert res.stderr.strip().splitlines() == [f"claw: error: {result['result']}"]
    events = session_events(claw_env, workspace)
    [failure] = [e for e in events if e["type"] == "internal_error"]
    assert "RuntimeError" in failure["traceback"]
    assert events[-1]["type"] == "session_end"


#: A stdio MCP server written by hand, so its answer can carry a raw Latin-1 byte (SDK servers write UTF-8).
RAW_MCP_SERVER = r"""
import json, sys

for line in sys.stdin.buffer:
    msg = json.loads(line)
    if "id" not in msg:
        continue
    method, result = msg["method"], {}
    if method == "initialize":
        result = {"protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                  "serverInfo": {"name": "raw", "version": "1"}}
    elif method == "tools/list":
        result = {"tools": [{"name": "menu", "inputSchema": {"type": "object"}}]}
    elif method == "tools/call":
        result = {"content": [{"type": "text", "text": "PLACEHOLDER"}]}
    out = json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}).encode()
    sys.stdout.buffer.write(out.replace(b"PLACEHOLDER", b"caf\xe9 au lait") + b"\n")
    sys.stdout.buffer.flush()
"""


def test_mcp_answer_with_invalid_bytes(claw, model, workspace, tmp_path):
    import sys

    script = tmp_path / "raw_server.py"
    script.write_text(RAW_MCP_SERVER)
    (workspace / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"raw": {"command": sys.executable, "args": [str(script)]}}})
    )
    model.script(Reply(ToolCall("mcp__raw__menu", {})), Reply(Text("served")))
    res = claw("-p", "menu?", "--output-format", "json", "--dangerously-skip-permissions").assert_success()
    assert res.json()["result"] == "served"
    answer = tool_result(model.requests[1])
    assert not answer.get("is_error") and f"caf{REPLACEMENT} au lait" in text_of(answer)


def test_bash_cd_into_a_directory_whose_name_is_not_utf8(claw, model, workspace):
    (workspace / os.fsdecode(b"caf\xe9")).mkdir()
    model.script(
        Reply(ToolCall("Bash", {"command": "cd caf* && touch here.txt"})),
        Reply(ToolCall("Bash", {"command": "ls"})),
        Reply(Text("done")),
    )
    claw("-p", "go", "--dangerously-skip-permissions").assert_success()
    assert not tool_result(model.requests[1]).get("is_error")
    listing = tool_result(model.requests[2])
    assert not listing.get("is_error") and "here.txt" in text_of(listing)  # the next call starts there


def test_slash_command_file_with_invalid_bytes(claw, model, workspace):
    commands = workspace / ".claw" / "commands"
    commands.mkdir(parents=True)
    (commands / "menu.md").write_bytes(b"---\ndescription: Menu\n---\nPrice the caf\xe9 items.\n")
    model.script(Reply(Text("priced")))
    res = claw("-p", "/menu", "--output-format", "json").assert_success()
    assert res.json()["result"] == "priced"
    assert f"Price the caf{REPLACEMENT} items." in json.dumps(model.requests[0].json, ensure_ascii=False)


def assert_error_result(res: Any, message: str) -> None:
    assert res.exit_code != 0
    [line] = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
    result = res.json()
    assert result["type"] == "result" and result["is_error"] and result["subtype"] == "error_during_execution"
    assert message in result["result"] and result["result"] in line


def test_a_run_failing_before_its_session_still_prints_a_json_result(claw):
    res = claw("-p", "hi", "--model", "anthropic/claude-sonnet-4-6", "--output-format", "json")
    assert_error_result(res, "ANTHROPIC_API_KEY")


def test_an_unknown_command_still_prints_a_json_result(claw, model):
    assert_error_result(claw("-p", "/no-such-command", "--output-format", "json"), "no-such-command")
