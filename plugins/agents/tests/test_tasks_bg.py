"""``claw --bg``: the run handed to the embedded backend as a detached task, end to end (a real supervisor,
a real ``claw -p`` child against the scripted model), then followed and resumed as the line printed says."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from claw import TaskStatus
from claw.testing import wait_for
from claw.testing.script import Reply, Text, ToolCall
from claw_agents.tasks.embedded import EmbeddedTaskBackend

_LINE = re.compile(
    r"^backgrounded · (\S+) · follow: claw tasks show \1, claw tasks output \1; "
    r"when it ends: claw --resume (\S+)\n$"
)


def test_bg_returns_at_once_and_the_task_answers_and_its_session_resumes(
    model, claw, agents_root: Path, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    gate = workspace / "gate"
    model.script(
        Reply(ToolCall("Bash", {"command": f"while [ ! -e {gate} ]; do sleep 0.05; done"})),
        Reply(Text("the answer is 42")),
        Reply(Text("still here")),
    )
    result = claw.subprocess("-p", "what is the answer?", "--bg", "--permission-mode", "bypassPermissions")
    assert result.exit_code == 0, result.stderr
    match = _LINE.match(result.stdout)
    assert match, result.stdout
    task_id, session_id = match.groups()

    # this process has returned; the task waits on the gate, in the background
    backend = EmbeddedTaskBackend(agents_root)
    wait_for(lambda: len(model.requests) == 1, what="the task's first model request")
    assert not asyncio.run(backend.get(task_id)).status.final
    gate.touch()
    record = asyncio.run(backend.wait(task_id, timeout=60))
    assert record.status is TaskStatus.COMPLETED and record.exit_code == 0, record
    assert "--bg" not in record.spec.text and f"--session-id {session_id}" in record.spec.text
    output = claw.subprocess("tasks", "output", task_id)
    assert output.exit_code == 0 and output.stdout == "the answer is 42\n", output
    # the parent asked the model nothing: the requests so far are the task's
    assert [r["messages"][0]["content"][0]["text"] for r in model.requests] == ["what is the answer?"] * 2

    resumed = claw.subprocess("-p", "are you there?", "--resume", session_id)
    assert resumed.exit_code == 0, resumed.stderr
    assert resumed.stdout == "still here\n"
    messages = model.requests[2]["messages"]
    assert messages[0]["content"][0]["text"] == "what is the answer?"
    assert messages[-2]["content"][0]["text"] == "the answer is 42"
    assert messages[-1]["content"][0]["text"] == "are you there?"


def test_bg_json_output_is_one_object_and_the_task_runs_the_same_command_line(
    model, claw, agents_root: Path
) -> None:  # type: ignore[no-untyped-def]
    model.script(Reply(Text("done")))
    result = claw("--bg", "-p", "--output-format", "json", "--model", "scripted/default", "do it")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    task_id, session_id = report["task_id"], report["session_id"]
    assert report == {
        "type": "background",
        "task_id": task_id,
        "session_id": session_id,
        "backend": "embedded",
        "status": "pending",
        "commands": {
            "show": f"claw tasks show {task_id}",
            "output": f"claw tasks output {task_id}",
            "stop": f"claw tasks stop {task_id}",
            "resume": f"claw --resume {session_id}",
        },
    }
    record = asyncio.run(EmbeddedTaskBackend(agents_root).wait(task_id, timeout=60))
    assert record.status is TaskStatus.COMPLETED, record
    assert json.loads(asyncio.run(EmbeddedTaskBackend(agents_root).output(task_id)).text)["result"] == "done"


def test_bg_with_resume_goes_on_with_that_session(model, claw, agents_root: Path) -> None:  # type: ignore[no-untyped-def]
    model.script(Reply(Text("first")), Reply(Text("second")))
    first = claw("-p", "one", "--output-format", "json")
    assert first.exit_code == 0, first.stderr
    session_id = first.json()["session_id"]
    result = claw("-p", "two", "--resume", session_id, "--bg", "--output-format", "json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["session_id"] == session_id
    record = asyncio.run(EmbeddedTaskBackend(agents_root).wait(report["task_id"], timeout=60))
    assert record.status is TaskStatus.COMPLETED, record
    assert [m["content"][0]["text"] for m in model.requests[1]["messages"]] == ["one", "first", "two"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-p", "--bg"], 2, "--bg needs the prompt as an argument"),
        (["--bg", "--repl", "say hi"], 2, "--bg cannot be used with --repl"),
        (
            ["-p", "--bg", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"],
            2,
            "--bg cannot be used with --input-format=stream-json",
        ),
    ],
)
def test_bg_refuses_what_needs_this_terminal(model, claw, agents_root: Path, args, code, message) -> None:  # type: ignore[no-untyped-def]
    result = claw(*args, input="from stdin")
    assert result.exit_code == code, result.stderr
    assert result.stdout == "" and message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the line (and click's "try --help" hint)
    assert not (agents_root / "agents.db").exists() and model.requests == []


def test_bg_with_the_local_backend_is_refused(model, claw, claw_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    (cfg / "settings.json").write_text(
        json.dumps({"model": "scripted/default", "agents": {"backend": "local"}})
    )
    result = claw("-p", "hi", "--bg")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("claw: error: --bg needs a task backend whose tasks outlive this process")
    assert model.requests == []
