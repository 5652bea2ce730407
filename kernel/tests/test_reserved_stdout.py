"""stdout belongs to the output format: a plugin's ``print()`` and a child process writing to file
descriptor 1 end up on stderr, so ``--output-format json`` stays exactly one JSON object and
``stream-json`` one object per line (a plugin's print used to break both)."""

from __future__ import annotations

import json

import pytest
from claw.testing.script import Reply, Text, ToolCall

NOISY = '''
import subprocess
from claw import hookimpl, tool

@hookimpl
def claw_session_start(session):
    print("noise from session_start")

@tool
def Noisy(text: str) -> str:
    """Print to stdout, from Python and from a child process, then answer."""
    print("noise from a tool")
    subprocess.run(["echo", "noise from a child process"], check=True)
    return text

@hookimpl
def claw_register_tools(register):
    register(Noisy)

@hookimpl
def claw_session_end(session):
    print("noise after the result")
'''


@pytest.fixture
def noisy(plugin_module, loop_env):  # type: ignore[no-untyped-def]
    plugin_module("noisy_plugin", NOISY)
    loop_env.script(Reply(ToolCall("Noisy", {"text": "hi"})), Reply(Text("done")))
    return loop_env


def test_json_output_stays_one_object_when_a_plugin_prints(claw, noisy) -> None:  # type: ignore[no-untyped-def]
    res = claw.subprocess("-p", "go", "--output-format", "json", "--dangerously-skip-permissions")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["result"] == "done"  # the whole of stdout is the one object
    for noise in ("from session_start", "from a tool", "from a child process", "after the result"):
        assert f"noise {noise}" in res.stderr


def test_stream_json_lines_stay_json_when_a_plugin_prints(claw, noisy) -> None:  # type: ignore[no-untyped-def]
    res = claw.subprocess(
        "-p", "go", "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"
    )
    assert res.exit_code == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert lines[-1]["type"] == "result" and lines[-1]["result"] == "done"
    assert "noise from a child process" in res.stderr


def test_text_output_is_the_answer_alone(claw, noisy) -> None:  # type: ignore[no-untyped-def]
    res = claw.subprocess("-p", "go", "--dangerously-skip-permissions")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "done\n"
    assert "noise from a tool" in res.stderr


def test_in_process_runs_keep_stdout_for_the_result_too(claw, noisy) -> None:  # type: ignore[no-untyped-def]
    res = claw("-p", "go", "--output-format", "json", "--dangerously-skip-permissions")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["result"] == "done"
    assert "noise from a tool" in res.stderr
