"""Telemetry cost: per-turn overhead with telemetry on (OTLP/HTTP to a local receiver) against off, and
the start-up cost of the claw-otlp plugin when telemetry is off (importing its entry point and its
session-start check).

Targets: overhead < 2 ms per turn; start-up cost when off < 5 ms. Exits 1 when one is missed.
Run: ``uv run python benchmarks/otlp.py``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _bench import setup, tool_then_stop

TURNS = 50
REPEATS = 5
OVERHEAD_TARGET_MS = 2.0
STARTUP_TARGET_MS = 5.0


class _Ok(BaseHTTPRequestHandler):
    """A collector that accepts everything (an empty body is a valid OTLP/HTTP success answer)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def _session(workspace: object) -> tuple[float, float]:
    """(milliseconds per turn, milliseconds to close) of one TURNS-turn tool-using session."""
    from claw._app import App
    from claw._loop import AgentLoop, LoopOptions
    from claw._output import Renderer
    from claw.testing import scripted_provider

    scripted_provider.RESPONDER = tool_then_stop(TURNS)
    loop = AgentLoop(App(workspace=workspace), LoopOptions(model="scripted/default"), Renderer())  # type: ignore[arg-type]

    async def run() -> tuple[float, float]:
        await loop.start()
        t0 = time.perf_counter()
        outcome = await loop.run_prompt("go")
        t1 = time.perf_counter()
        await loop.close()
        t2 = time.perf_counter()
        assert outcome.result["num_turns"] == TURNS, outcome.result
        return (t1 - t0) * 1000 / TURNS, (t2 - t1) * 1000

    return asyncio.run(run())


def _startup_when_off() -> float:
    """Milliseconds a fresh process spends importing the entry point and deciding at session start
    that telemetry is off, once what every session loads anyway (the plugin manager, the loop) is in."""
    code = (
        "import time, claw, claw._plugins, claw._loop.agent\n"
        "from claw._session_context import SessionContext\n"
        "from pathlib import Path\n"
        "t0 = time.perf_counter()\n"
        "import claw_otlp.plugin as p\n"
        "ctx = SessionContext(session_id='s', workspace=Path('.'), settings={}, env={'HOME': '/h'})\n"
        "p.claw_session_start(ctx)\n"
        "assert not p.ACTIVE\n"
        "print((time.perf_counter() - t0) * 1000)\n"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(REPEATS)
    ]
    return statistics.median(runs)


def main() -> int:
    workspace = setup()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    off: list[float] = []
    on: list[float] = []
    closes: list[float] = []
    _session(workspace)  # warm-up: imports, bytecode
    for _ in range(REPEATS):
        os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
        off.append(_session(workspace)[0])
        os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
        per_turn, close_ms = _session(workspace)
        on.append(per_turn)
        closes.append(close_ms)
    server.shutdown()
    overhead = statistics.median(on) - statistics.median(off)
    startup = _startup_when_off()
    print(f"telemetry overhead, {TURNS}-turn tool-using session, {REPEATS} runs each, OTLP/HTTP to loopback")
    print(
        f"  per turn off: median {statistics.median(off):.2f} ms; on: median {statistics.median(on):.2f} ms"
    )
    print(f"  overhead per turn: {overhead:.2f} ms (target < {OVERHEAD_TARGET_MS:g} ms)")
    print(f"  session close with the final flush: median {statistics.median(closes):.1f} ms")
    print(
        f"  plugin start-up when off (import + session-start check): {startup:.2f} ms (target < {STARTUP_TARGET_MS:g} ms)"
    )
    return 0 if overhead < OVERHEAD_TARGET_MS and startup < STARTUP_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
