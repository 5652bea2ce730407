"""The cloud providers import their vendor SDK and build its client off the event loop.

Each case runs ``claw -p`` in a fresh interpreter (so the SDK is not imported yet) against the
provider's loopback server, with a plugin whose asyncio task ticks every few milliseconds from session
start to session end and records the longest gap between ticks. The baseline is the SDK's import time
measured in the same test, in a fresh interpreter that first imports every module the claw process had
loaded at session start: with the import on the loop thread the longest gap is at least that long; off
the loop it stays a small fraction of it, however loaded the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text
from claw_testkit.mock_bedrock import MockBedrockServer
from claw_testkit.mock_foundry import MockFoundryServer
from claw_testkit.mock_vertex import MockVertexServer

#: Ticks on the loop from session start to end; writes the longest gap, whether the SDK was already
#: imported at start, and the modules loaded then, to ``$TICK_REPORT``. With ``$TICK_INTERRUPT`` it
#: also sends the process SIGINT (Ctrl-C) at the first tick that sees the SDK's import under way.
TICKER = """
import asyncio, json, os, signal, sys, time
import claw

# Imports any first request makes on the loop whatever the provider (httpx's async backend, the debug
# logger): loaded here, so the longest gap measures the SDK's set-up alone, not these.
import anyio._backends._asyncio, structlog.dev

SDK = os.environ["TICK_SDK"]
INTERRUPT = bool(os.environ.get("TICK_INTERRUPT"))
STATE = {}


def _importing():
    module = sys.modules.get(SDK)
    return module is not None and getattr(module.__spec__, "_initializing", False)


async def _tick():
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.002)
        now = time.perf_counter()
        STATE["max_gap"] = max(STATE["max_gap"], now - last)
        STATE["ticks"] += 1
        last = now
        if INTERRUPT and "interrupted_at" not in STATE and _importing():
            STATE["interrupted_at"] = time.time()  # Ctrl-C while the SDK is half imported
            os.kill(os.getpid(), signal.SIGINT)


@claw.hookimpl
def claw_session_start(session):
    STATE.update(max_gap=0.0, ticks=0, sdk_at_start=SDK in sys.modules, modules=sorted(sys.modules))

    async def start():
        STATE["task"] = asyncio.ensure_future(_tick())
        await asyncio.sleep(0.05)  # a few ticks before the first model request

    return start()


@claw.hookimpl
def claw_session_end(session):
    STATE.pop("task").cancel()
    STATE["sdk_at_end"] = SDK in sys.modules
    with open(os.environ["TICK_REPORT"], "w") as f:
        json.dump(STATE, f)
"""

#: Imports the modules claw had loaded (stdout silenced), then prints how long importing the SDK takes.
BASELINE = """
import contextlib, importlib, io, json, sys, time
with contextlib.redirect_stdout(io.StringIO()):
    for name in json.load(open(sys.argv[1]))["modules"]:
        try:
            importlib.import_module(name)
        except BaseException:
            pass
assert sys.argv[2] not in sys.modules, "the SDK was already loaded"
started = time.perf_counter()
importlib.import_module(sys.argv[2])
print(time.perf_counter() - started)
"""


def _bedrock(env: dict[str, str]) -> Iterator[Any]:
    with MockBedrockServer(access_key="AKIDTICK") as server:
        env.update(
            AWS_ACCESS_KEY_ID="AKIDTICK",
            AWS_SECRET_ACCESS_KEY="secret",
            AWS_REGION="us-west-2",
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        )
        yield server


def _foundry(env: dict[str, str]) -> Iterator[Any]:
    with MockFoundryServer(api_key="tick-key") as server:
        env.update(
            AZURE_OPENAI_ENDPOINT=server.url,
            ANTHROPIC_FOUNDRY_BASE_URL=server.anthropic_base_url,
            AZURE_OPENAI_API_KEY="tick-key",
            ANTHROPIC_FOUNDRY_API_KEY="tick-key",
        )
        yield server


def _vertex(env: dict[str, str]) -> Iterator[Any]:
    with MockVertexServer(access_token="ya29.tick") as server:
        settings = {"providers": {"vertex": {"base_url": server.url, "access_token": "ya29.tick"}}}
        (Path(env["CLAW_CONFIG_DIR"]) / "settings.json").write_text(json.dumps(settings))
        env.update(GOOGLE_CLOUD_PROJECT="tick-project", CLOUD_ML_REGION="us-east5")
        yield server


@pytest.mark.parametrize(
    ("model", "sdk", "serve"),
    [
        ("bedrock/us.anthropic.claude-sonnet-4-6", "boto3", _bedrock),
        ("foundry/gpt-5.4", "openai", _foundry),
        ("foundry/claude-sonnet-4-6", "anthropic", _foundry),
        ("vertex/claude-sonnet-4-5", "anthropic", _vertex),
        ("vertex/gemini-2.5-pro", "google.genai", _vertex),
    ],
)
def test_first_request_keeps_the_loop_responsive(
    claw: Any, claw_env: dict[str, str], plugin_module: Any, tmp_path: Path, model: str, sdk: str, serve: Any
) -> None:
    report = tmp_path / "ticks.json"
    plugin_module("loop_ticker", TICKER)
    Path(claw_env["CLAW_CONFIG_DIR"]).mkdir(parents=True, exist_ok=True)
    claw_env.update(TICK_SDK=sdk, TICK_REPORT=str(report))
    for server in serve(claw_env):
        server.script(Reply(Text("ready")))
        res = claw.subprocess("-p", "hello", "--model", model, "--output-format", "json").assert_success()
        assert res.json()["result"] == "ready"
    ticks = json.loads(report.read_text())
    assert not ticks["sdk_at_start"] and ticks["sdk_at_end"], "the SDK must be imported during the session"
    import_seconds = _import_seconds(report, sdk, claw_env)
    assert ticks["ticks"] > 0
    assert ticks["max_gap"] < import_seconds / 2, (
        f"the loop stalled {ticks['max_gap']:.3f} s while {model} set up ({sdk} imports in {import_seconds:.3f} s)"
    )


def _import_seconds(report: Path, sdk: str, env: dict[str, str]) -> float:
    """How long importing ``sdk`` takes in a fresh interpreter holding the modules claw had loaded."""
    run = subprocess.run(
        [sys.executable, "-c", BASELINE, str(report), sdk],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(run.stdout)


def test_ctrl_c_during_the_sdk_import_ends_the_run_at_once(
    claw: Any, claw_env: dict[str, str], plugin_module: Any, tmp_path: Path
) -> None:
    report = tmp_path / "ticks.json"
    plugin_module("loop_ticker", TICKER)
    Path(claw_env["CLAW_CONFIG_DIR"]).mkdir(parents=True, exist_ok=True)
    claw_env.update(TICK_SDK="anthropic", TICK_REPORT=str(report), TICK_INTERRUPT="1")
    for server in _vertex(claw_env):
        server.script(Reply(Text("never sent")))
        proc = claw.popen("-p", "hello", "--model", "vertex/claude-sonnet-4-5", stdin=subprocess.DEVNULL)
        try:
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        ended = time.time()
        assert server.requests == []
    ticks = json.loads(report.read_text())
    assert "interrupted_at" in ticks, "the loop never ran while the SDK was being imported"
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    import_seconds = _import_seconds(report, "anthropic", claw_env)
    assert ended - ticks["interrupted_at"] < import_seconds, "Ctrl-C waited for the SDK import to finish"
