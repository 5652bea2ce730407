"""Loading a 10,000-event session: what ``--resume`` pays before the first request.

Writes a realistic session file (tool-using turns: assistant message, permission, tool result, user
message with the result, hook runs) and times reading and replaying it, in-process and as a whole
``claw -p --resume`` process. Target: resume < 300 ms. Run: ``uv run python benchmarks/session_load.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench import setup

EVENTS = 10_000
REPEATS = 5


def write_session(path: Path, session_id: str) -> int:
    events = [
        {
            "type": "session_start",
            "session_id": session_id,
            "model": "scripted/default",
            "cwd": "/w",
            "ts": "2026-01-01T00:00:00.000Z",
        }
    ]
    events.append(
        {
            "type": "user",
            "prompt": "start",
            "message": {"role": "user", "content": [{"type": "text", "text": "start"}]},
            "ts": "2026-01-01T00:00:00.000Z",
        }
    )
    i = 0
    while len(events) < EVENTS - 1:
        i += 1
        tid = f"toolu_{i:08d}"
        events += [
            {
                "type": "assistant",
                "model": "scripted/default",
                "stop_reason": "tool_use",
                "usage": {
                    "input_tokens": 1000,
                    "output_tokens": 50,
                    "cache_read_input_tokens": 900,
                    "cache_creation_input_tokens": 100,
                },
                "cache": {"fingerprint": "abc", "status": "hit", "write": True},
                "message": {
                    "role": "assistant",
                    "content": [
                        {"type": "text", "text": f"Looking at file number {i} to understand the structure."},
                        {
                            "type": "tool_use",
                            "id": tid,
                            "name": "Read",
                            "input": {"file_path": f"src/mod{i}.py"},
                        },
                    ],
                },
                "ts": "2026-01-01T00:00:00.000Z",
            },
            {
                "type": "hook",
                "hook": "audit",
                "event": "PreToolUse",
                "duration_ms": 0.1,
                "outcome": "continue",
            },
            {
                "type": "permission",
                "tool_name": "Read",
                "tool_use_id": tid,
                "decision": "allow",
                "reason": "",
                "source": "mode default",
            },
            {
                "type": "tool_result",
                "tool_name": "Read",
                "tool_use_id": tid,
                "is_error": False,
                "duration_ms": 1.2,
            },
            {
                "type": "user",
                "message": {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": tid,
                            "content": "x = 1\n" * 40,
                            "is_error": False,
                        }
                    ],
                },
                "ts": "2026-01-01T00:00:00.000Z",
            },
        ]
    events.append(
        {
            "type": "assistant",
            "model": "scripted/default",
            "message": {"role": "assistant", "content": [{"type": "text", "text": "done"}]},
        }
    )
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return len(events)


def main() -> None:
    workspace = setup()
    from claw import _paths as paths
    from claw_sessions.jsonl import load_state, open_session

    directory = paths.sessions_dir(workspace, os.environ)
    directory.mkdir(parents=True)
    sid = "00000000-0000-4000-8000-000000000000"
    path = directory / f"{sid}.jsonl"
    n = write_session(path, sid)
    size_mb = path.stat().st_size / 1e6
    loads = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        state = load_state(path)
        loads.append((time.perf_counter() - t0) * 1000)
    messages = len(state.messages)
    opens = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        s = open_session(directory, resume=sid, persist=False)
        opens.append((time.perf_counter() - t0) * 1000)
        s.close()

    script = workspace.parent / "script.json"
    env = dict(os.environ, CLAW_SCRIPT=str(script))
    from claw.testing.script import Reply, Text
    from claw.testing.scripted_provider import write_script

    procs = []
    exe = str(Path(sys.executable).with_name("claw"))
    for _ in range(REPEATS):
        write_script(script, [Reply(Text("ok"))])
        script.with_name(script.name + ".log.jsonl").unlink(missing_ok=True)
        t0 = time.perf_counter()
        subprocess.run(
            [exe, "-p", "next", "--resume", sid, "--no-session-persistence", "--model", "scripted/default"],
            env=env,
            cwd=workspace,
            capture_output=True,
            check=True,
        )
        procs.append((time.perf_counter() - t0) * 1000)
    print(f"session load: {n} events, {messages} messages, {size_mb:.1f} MB")

    def fig(xs: list[float]) -> str:
        return f"median {statistics.median(xs):.0f} ms, min {min(xs):.0f} ms"

    print(f"  read + replay: {fig(loads)}  (target resume < 300 ms)")
    print(f"  open_session(resume=...) incl. repair check: {fig(opens)}")
    print(f"  whole claw -p --resume process, one turn: {fig(procs)}")
    if statistics.median(opens) >= 300:
        raise SystemExit("missed the target: resuming a 10,000-event session takes >= 300 ms")


if __name__ == "__main__":
    main()
