"""Time to first request: from starting ``claw -p`` to the provider receiving the first model request.

Three figures: in-process (App and session set-up, plugins, tools, system prompt with git state, session
file; Python and claw already imported), a real ``claw -p`` process (interpreter start, imports,
entry-point plugins; measured with the scripted provider logging the request time), and the CPU time a
``claw -p hello`` process on the Anthropic provider has used when the loopback Anthropic server receives
its request (all its threads, read from ``/proc``; Linux only): the steadiest figure on a shared machine,
where wall times vary with the load, and the one to compare before and after a start-up change.
Run: ``uv run python benchmarks/first_request.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench import MODEL, first_request_ms, setup

REPEATS = 7


def in_process(workspace: Path) -> list[float]:
    from claw._app import App
    from claw._loop import AgentLoop, LoopOptions
    from claw._output import Renderer
    from claw.testing import scripted_provider
    from claw.testing.script import Reply, Text

    times = []
    for _ in range(REPEATS):
        first: list[float] = []

        def respond(request, first=first):  # type: ignore[no-untyped-def]
            first.append(time.perf_counter())
            return Reply(Text("hi"))

        scripted_provider.RESPONDER = respond

        async def run(first: list[float] = first) -> float:
            t0 = time.perf_counter()
            loop = AgentLoop(App(workspace=workspace), LoopOptions(model="scripted/default"), Renderer())
            try:
                await loop.start()
                await loop.run_prompt("hello")
            finally:
                await loop.close()
            return (first[0] - t0) * 1000

        times.append(asyncio.run(run()))
    return times


def _cpu_ms(pid: int) -> float:
    """CPU time of process ``pid`` so far, all threads (``/proc/<pid>/task/*/schedstat``, nanoseconds)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e6


def cpu_to_first_request(workspace: Path) -> list[float]:
    """CPU ms of ``claw -p hello --model anthropic/...`` when the loopback server gets its request."""
    from claw.testing import isolated_env
    from claw.testing.script import Reply, Text
    from claw_testkit.mock_anthropic import MockAnthropicServer

    exe = str(Path(sys.executable).with_name("claw"))
    base = {
        k: v for k, v in os.environ.items() if k not in ("CLAW_PLUGIN_MODULES", "CLAW_SCRIPT", "PYTHONPATH")
    }
    env = isolated_env(workspace.parent / "anthropic-env", base)
    seen: dict[str, float] = {}
    times = []
    with MockAnthropicServer() as server:

        def respond(request):  # type: ignore[no-untyped-def]
            seen.setdefault("cpu", _cpu_ms(seen["pid"]))
            return Reply(Text("hello"))

        server.respond_with(respond)
        env |= {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "sk-ant-bench"}
        for i in range(REPEATS + 1):  # the first run fills claw's caches, as an earlier run would have
            seen.clear()
            proc = subprocess.Popen(
                [exe, "-p", "hello", "--model", f"anthropic/{MODEL}"],
                env=env,
                cwd=workspace,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            seen["pid"] = proc.pid
            if proc.wait() != 0 or "cpu" not in seen:
                raise SystemExit(f"claw -p failed ({proc.returncode}) or made no request")
            if i:
                times.append(seen["cpu"])
    return times


def baseline(workspace: Path) -> list[float]:
    """``claw config show``: the same interpreter start, imports and plugin loading, no session."""
    exe = str(Path(sys.executable).with_name("claw"))
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        subprocess.run([exe, "config", "show"], cwd=workspace, capture_output=True, check=True)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    workspace = setup()
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    ip = in_process(workspace)
    sp = first_request_ms(workspace, REPEATS)
    base = baseline(workspace)
    cpu = cpu_to_first_request(workspace) if Path("/proc/self/task").is_dir() else []
    print("time to first model request")
    print(f"  in-process (session set-up): median {statistics.median(ip):.1f} ms, min {min(ip):.1f} ms")
    print(f"  claw -p process start to request: median {statistics.median(sp):.0f} ms, min {min(sp):.0f} ms")
    print(
        f"  baseline, claw config show (start + plugin loading, no session): median "
        f"{statistics.median(base):.0f} ms, min {min(base):.0f} ms"
    )
    if cpu:
        print(
            f"  CPU of claw -p hello (anthropic, loopback server) to its request: median "
            f"{statistics.median(cpu):.0f} ms, min {min(cpu):.0f} ms"
        )
    else:
        print("  CPU to the request: not measured (needs /proc)")


if __name__ == "__main__":
    main()
