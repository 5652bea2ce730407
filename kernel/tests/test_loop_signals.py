"""Real processes: kill -9 in the middle of a turn, and Ctrl-C (SIGINT)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from claw import _paths as paths
from claw.testing import wait_for
from claw.testing.script import Fault, Reply, Text, ToolCall


def _only_session(claw_env: dict[str, str], workspace: Path) -> Path:
    files = list(paths.sessions_dir(workspace, claw_env).glob("*.jsonl"))
    assert len(files) == 1
    return files[0]


def test_kill_9_mid_turn_then_resume_keeps_full_history(claw, loop_env, claw_env, workspace):
    loop_env.script(
        Reply(Text("reading"), ToolCall("Echo", {"text": "first"})),
        Fault(kind="stall", after_events=1, seconds=60, reply=Reply(Text("never finished"))),
        Reply(Text("picked up where we left off")),
    )
    proc = claw.popen("-p", "do the work", stdin=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(loop_env.requests) >= 2)
        proc.kill()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    sid = _only_session(claw_env, workspace).stem
    res = claw.subprocess("-p", "continue", "--resume", sid, "--output-format", "json").assert_success()
    assert res.json()["result"] == "picked up where we left off"
    messages = loop_env.requests[2]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"][0]["text"] == "do the work"
    assert messages[1]["content"][1]["name"] == "Echo"
    assert messages[2]["content"][0]["content"] == "echo: first #1"
    assert messages[2]["content"][1]["text"] == "continue"


def test_kill_9_during_a_tool_call_repairs_the_dangling_call(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(ToolCall("Nap", {"seconds": 60}, id="toolu_nap")), Reply(Text("ok")))
    proc = claw.popen("-p", "nap", stdin=subprocess.DEVNULL)
    try:
        wait_for(lambda: (workspace / "tools.log").exists())
        proc.kill()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    sid = _only_session(claw_env, workspace).stem
    claw.subprocess("-p", "again", "--resume", sid).assert_success()
    last = loop_env.requests[1]["messages"][-1]["content"]
    assert (
        last[0]["tool_use_id"] == "toolu_nap" and last[0]["is_error"] and "interrupted" in last[0]["content"]
    )


def _signal_mid_nap(claw, workspace: Path, sig: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Run ``claw -p nap``, send ``sig`` once the Nap tool runs; its exit code and stderr."""
    proc = claw.popen("-p", "nap", stdin=subprocess.DEVNULL)
    try:
        wait_for(lambda: (workspace / "tools.log").exists())
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, err


def test_ctrl_c_stops_the_turn_saves_the_session_and_exits_130(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(ToolCall("Nap", {"seconds": 60}, id="toolu_nap")), Reply(Text("ok")))
    code, err = _signal_mid_nap(claw, workspace, signal.SIGINT)
    assert code == 130, err
    assert "interrupted" in err
    events = [json.loads(x) for x in _only_session(claw_env, workspace).read_text().splitlines()]
    types = [e["type"] for e in events]
    assert "interrupted" in types and types[-1] == "session_end" and events[-1]["reason"] == "interrupted"
    repaired = [e for e in events if e["type"] == "user" and e.get("repaired")]
    assert repaired and "interrupted by the user" in repaired[0]["message"]["content"][0]["content"]


def test_sigterm_saves_the_session_and_exits_143(claw, loop_env, claw_env, workspace):
    loop_env.script(Reply(ToolCall("Nap", {"seconds": 60})), Reply(Text("ok")))
    code, err = _signal_mid_nap(claw, workspace, signal.SIGTERM)
    assert code == 143 and "terminated by SIGTERM" in err
    events = [json.loads(x) for x in _only_session(claw_env, workspace).read_text().splitlines()]
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "interrupted"


def test_sighup_saves_the_session_and_exits_129(claw, loop_env, claw_env, workspace):
    """The terminal (or the ssh connection) closed: the run ends as for SIGTERM, not killed where it stood."""
    loop_env.script(Reply(ToolCall("Nap", {"seconds": 60})), Reply(Text("ok")))
    code, err = _signal_mid_nap(claw, workspace, signal.SIGHUP)
    assert code == 129 and "terminated by SIGHUP; the session is saved" in err
    events = [json.loads(x) for x in _only_session(claw_env, workspace).read_text().splitlines()]
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "interrupted"


def test_text_output_streams_before_the_response_ends(claw, loop_env):
    # the scripted reply streams "stream" then "ed text"; the stall sits between the two deltas
    loop_env.script(Fault(kind="stall", after_events=1, seconds=3, reply=Reply(Text("streamed text"))))
    proc = claw.popen("-p", "hi", stdin=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(len("stream"))
        still_running = proc.poll() is None
        rest = proc.stdout.read()
        err = proc.stderr.read()
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert first == "stream" and still_running
    assert first + rest == "streamed text\n" and proc.returncode == 0, err


def test_processes_started_by_tests_hear_sigint_when_the_launcher_ignores_it(tmp_path):
    # A CI runner or `pytest ... &` in a script starts the suite with SIGINT ignored; the claw processes
    # tests start would inherit that and never hear Ctrl-C (the test above then hangs). claw.testing's
    # pytest plugin gives SIGINT back its default disposition, so children start with Python's handler.
    (tmp_path / "test_inner.py").write_text(
        "import subprocess, sys\n"
        "def test_child_hears_sigint():\n"
        "    code = 'import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)'\n"
        "    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True).stdout\n"
        "    assert out.strip() == 'True'\n"
    )
    launcher = (
        "import signal, subprocess, sys\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "sys.exit(subprocess.call([sys.executable, '-m', 'pytest', '-q', '-p', 'no:xdist', '-p', 'no:cacheprovider',"
        " '--rootdir', sys.argv[1], sys.argv[1]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", launcher, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 passed" in done.stdout


def test_ctrl_c_keeps_the_results_of_the_calls_that_finished(claw, loop_env, workspace):
    """A call that finished before the interrupt (a file written, an answer read) keeps its result: told
    "not run", the model would redo work that was done. The call cut short may have taken effect."""
    loop_env.script(
        Reply(
            ToolCall("Touch", {"name": "a.txt"}, id="toolu_touch"),
            ToolCall("Echo", {"text": "quick"}, id="toolu_echo"),
            ToolCall("Nap", {"seconds": 60}, id="toolu_nap"),
        ),
        Reply(Text("ok")),
    )
    proc = claw.popen("-p", "work", "--dangerously-skip-permissions", stdin=subprocess.DEVNULL)
    try:
        log = workspace / "tools.log"
        wait_for(lambda: log.exists() and {"nap", "end quick"} <= set(log.read_text().splitlines()))
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and (workspace / "a.txt").exists()
    claw("-p", "again", "--continue").assert_success()
    blocks = [b for m in loop_env.requests[-1]["messages"] if m["role"] == "user" for b in m["content"]]
    answers = {b["tool_use_id"]: b for b in blocks if b["type"] == "tool_result"}
    assert answers["toolu_touch"]["content"] == "created a.txt" and not answers["toolu_touch"].get("is_error")
    assert answers["toolu_echo"]["content"] == "echo: quick #1"
    nap = answers["toolu_nap"]
    assert (
        nap["is_error"]
        and nap["content"] == "interrupted by the user; the call may or may not have taken effect"
    )
