"""Soak: one ``claw`` process over a long session, watched from outside.

- ``--turns N`` (default 1,000): N prompts through ``claw -p --input-format stream-json`` against the
  loopback Anthropic server, each turn a ``Read`` call and an answer (two model requests). Every 100
  turns it samples the process's RSS and open file descriptors (``/proc``) and the median time of the
  last 100 turns.
- ``--repl-minutes M`` (default 0: skipped): the interactive REPL (``claw --repl``, prompts on a pipe),
  one prompt a second for M minutes, sampled once a minute. ``--repl-minutes 120`` is the two-hour run.

Targets: open descriptors flat (at most 3 more at the end than after the first sample); RSS growing
after the first sample by at most 40 KB per turn; the median turn at the end within 2x of the one
after the first sample (each request carries the whole history, by design).

What the RSS growth is made of (tracemalloc in the claw process, turns 100 to 300 of this soak): the
Python heap keeps about 5 KB per turn, the transcript's messages and their cached wire form (the
transcript is 0.8 KB per turn as JSON); the rest of the RSS slope (20-30 KB per turn) is the allocator
keeping room for the request body, which carries the whole history and so grows every turn. Run: ``uv run python benchmarks/soak.py [--turns N] [--repl-minutes M]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _proc_sample(pid: int) -> tuple[float, int]:
    """(RSS in MB, open file descriptors) of process ``pid``."""
    rss_kb = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    return rss_kb / 1024, len(os.listdir(f"/proc/{pid}/fd"))


def _environment(root: Path, server_url: str) -> dict[str, str]:
    from claw.testing import isolated_env

    env = isolated_env(root / "env")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(ANTHROPIC_API_KEY="sk-ant-soak", ANTHROPIC_BASE_URL=server_url)
    cfg = Path(env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "anthropic/claude-sonnet-4-6"}))
    return env


def _server() -> Any:
    """The loopback Anthropic server: a ``Read`` call whenever the last message is the user's prompt,
    an answer after its result. Requests are not kept (a long soak would otherwise hold them all)."""
    from claw.testing.script import Reply, Text, ToolCall
    from claw_testkit.mock_anthropic import MockAnthropicServer

    server = MockAnthropicServer()
    server.body_bytes = 0  # type: ignore[attr-defined]  # the size of the last request, for the report

    def respond(request: Any) -> Any:
        server.requests.clear()
        server.body_bytes = len(request.body)  # type: ignore[attr-defined]
        last = request.json["messages"][-1]["content"]
        if isinstance(last, list) and last and last[0].get("type") == "tool_result":
            return Reply(Text("read it"))
        return Reply(ToolCall("Read", {"file_path": "notes.txt"}))

    server.respond_with(respond)
    return server.start()


def _start_claw(prefix: str, args: list[str], stdout: int) -> tuple[subprocess.Popen[str], Any]:
    """A fresh workspace with ``notes.txt`` to read, the loopback server, and ``claw ARGS`` started in
    that workspace against it (stdin a pipe); returns the process and the server, for the caller to stop."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    workspace = root / "workspace"
    workspace.mkdir()
    (workspace / "notes.txt").write_text("a line to read\n" * 20)
    server = _server()
    claw = Path(sys.executable).with_name("claw")
    proc = subprocess.Popen(
        [str(claw), *args],
        cwd=workspace,
        env=_environment(root, server.url),
        stdin=subprocess.PIPE,
        stdout=stdout,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    return proc, server


def soak_turns(turns: int) -> list[str]:
    """Run the N-turn soak; return the targets missed."""
    args = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"]
    proc, server = _start_claw("claw-soak-", args, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    samples: list[tuple[int, float, int, float]] = []
    bodies: list[int] = []
    times: list[float] = []
    try:
        for turn in range(1, turns + 1):
            started = time.perf_counter()
            message = {"type": "user", "message": {"role": "user", "content": f"turn {turn}: read notes.txt"}}
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
            for line in proc.stdout:
                event = json.loads(line)
                if event.get("type") == "result":
                    if event.get("is_error"):
                        raise SystemExit(f"turn {turn} failed: {event.get('result')}")
                    break
            times.append(time.perf_counter() - started)
            if turn % 100 == 0:
                rss, fds = _proc_sample(proc.pid)
                samples.append((turn, rss, fds, statistics.median(times[-100:]) * 1000))
                bodies.append(server.body_bytes)
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        server.stop()
    print(
        f"soak: {turns} turns in one claw process "
        "(turn, RSS MB, open fds, median turn ms of the last 100, request body KB)"
    )
    for (turn, rss, fds, ms), body in zip(samples, bodies, strict=True):
        print(f"  {turn:6d}  {rss:7.1f}  {fds:4d}  {ms:7.1f}  {body / 1024:8.1f}")
    per_turn = (bodies[-1] - bodies[0]) / 1024 / max(1, samples[-1][0] - samples[0][0])
    print(f"  the transcript grows {per_turn:.2f} KB/turn as JSON")
    return _verdict(samples, unit="turn", transcript_kb=per_turn) if len(samples) >= 2 else []


def soak_repl(minutes: float) -> list[str]:
    """Drive the line REPL for ``minutes``, a prompt a second; return the targets missed."""
    proc, server = _start_claw("claw-soak-repl-", ["--repl"], stdout=subprocess.DEVNULL)
    assert proc.stdin is not None
    samples: list[tuple[int, float, int, float]] = []
    end = time.monotonic() + minutes * 60
    prompts = 0
    next_sample = time.monotonic() + 60
    try:
        while time.monotonic() < end and proc.poll() is None:
            prompts += 1
            proc.stdin.write(f"prompt {prompts}: read notes.txt\n")
            proc.stdin.flush()
            time.sleep(1)
            if time.monotonic() >= next_sample:
                rss, fds = _proc_sample(proc.pid)
                samples.append((prompts, rss, fds, 0.0))
                next_sample += 60
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        server.stop()
    print(f"soak: the REPL for {minutes:g} minutes, {prompts} prompts (prompt, RSS MB, open fds)")
    for n, rss, fds, _ in samples:
        print(f"  {n:6d}  {rss:7.1f}  {fds:4d}")
    return _verdict(samples, unit="prompt") if len(samples) >= 2 else []


def _verdict(
    samples: list[tuple[int, float, int, float]], *, unit: str, transcript_kb: float = 2.0
) -> list[str]:
    first, last = samples[0], samples[-1]
    span = max(1, last[0] - first[0])
    slope = (last[1] - first[1]) * 1024 / span
    print(f"  RSS slope after the first sample: {slope:.2f} KB/{unit}; fds {first[2]} -> {last[2]}")
    missed = []
    if transcript_kb > 0:
        print(f"  RSS slope / transcript growth: {slope / transcript_kb:.1f}x")
    if slope > 40:
        missed.append(f"RSS grows {slope:.1f} KB/{unit} (target 40)")
    if last[2] - first[2] > 3:
        missed.append(f"open descriptors grew from {first[2]} to {last[2]}")
    if first[3] and last[3] > 2 * first[3]:
        missed.append(f"the median {unit} went from {first[3]:.1f} ms to {last[3]:.1f} ms")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--repl-minutes", type=float, default=0.0)
    args = parser.parse_args()
    missed = soak_turns(args.turns) if args.turns else []
    if args.repl_minutes:
        missed += soak_repl(args.repl_minutes)
    if missed:
        raise SystemExit("missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
