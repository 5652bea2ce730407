"""An idle ``claw -p --input-format stream-json`` session, stdin held open, is woken by a task notice as
Claude Code wakes it: a background ``Bash`` job that ends after the turn's ``result`` starts a turn of
its own (the notice is its message), whose assistant message and ``result`` reach stdout without the
client sending anything; closing stdin then ends the run as before. (claw-sdk reads stdin; the job is
claw-tools-shell's: a cross-distribution test.)"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from typing import Any

from claw.testing.script import Reply, Text, ToolCall

ARGS = ["-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json"]
JOB = {"command": "sleep 1; echo done", "run_in_background": True, "description": "a job"}


def _user(text: str) -> str:
    return json.dumps({"type": "user", "message": {"role": "user", "content": text}}) + "\n"


class _Lines:
    """stdout's JSON lines as they come, read by a thread so a wait for one can time out."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stdout = proc.stdout
        threading.Thread(target=lambda: [self._lines.put(line) for line in stdout], daemon=True).start()

    def until_result(self, timeout: float = 20) -> list[dict[str, Any]]:
        """The messages up to and with the next ``result``."""
        seen: list[dict[str, Any]] = []
        while not seen or seen[-1]["type"] != "result":
            seen.append(json.loads(self._lines.get(timeout=timeout)))
        return seen

    def rest(self) -> list[dict[str, Any]]:
        """What is left once stdout has closed."""
        return [json.loads(line) for line in iter(lambda: self._lines.get(timeout=20), "") if line.strip()]


def test_a_job_ending_while_idle_wakes_a_turn_and_eof_ends_the_run(  # type: ignore[no-untyped-def]
    claw, scripted_default, session_events
):
    scripted_default.script(
        Reply(ToolCall("Bash", JOB, id="toolu_job")), Reply(Text("started")), Reply(Text("the job said done"))
    )
    proc = claw.popen(*ARGS, "--allowedTools", "Bash", stdin=subprocess.PIPE)
    try:
        assert proc.stdin is not None and proc.stderr is not None
        lines = _Lines(proc)
        proc.stdin.write(_user("start a job"))
        proc.stdin.flush()
        first = lines.until_result()
        woken = lines.until_result()  # nothing more is sent: the job's end wakes the session
        proc.stdin.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=20) == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
    assert first[-1]["result"] == "started"
    assert [(m["type"], m.get("subtype")) for m in woken] == [
        ("system", "task_updated"),  # the job's end, as claw-sdk reports it to the Agent SDK
        ("system", "task_notification"),
        ("assistant", None),  # no user message replayed: the client sent none
        ("result", "success"),
    ]
    assert woken[-1]["result"] == "the job said done" and woken[-1]["session_id"] == first[-1]["session_id"]
    told = scripted_default.requests[2]["messages"][-1]
    assert told["role"] == "user"
    text = " ".join(b.get("text", "") for b in told["content"])
    assert "<task-notification>" in text and 'Background command "a job" completed' in text
    events = session_events(first[-1]["session_id"])
    users = [e for e in events if e["type"] == "user"]
    assert [bool(e.get("notice")) for e in users] == [False, False, True], "the tool result, then the notice"
    assert events[-1]["type"] == "session_end"


def test_eof_while_a_job_runs_ends_the_run_without_waiting_for_it(claw, scripted_default):  # type: ignore[no-untyped-def]
    # As -p does not wait for a background job, stdin's end does not either: no woken turn, no 30 s wait
    job = {**JOB, "command": "sleep 30; echo done"}
    scripted_default.script(Reply(ToolCall("Bash", job, id="toolu_job")), Reply(Text("started")))
    started = time.monotonic()
    res = claw(*ARGS, "--allowedTools", "Bash", input=_user("start a job")).assert_success()
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["result"] for o in out if o["type"] == "result"] == ["started"]
    assert len(scripted_default.requests) == 2 and time.monotonic() - started < 20
