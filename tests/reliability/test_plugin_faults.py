"""A plugin that raises in every hook it can implement, and one that hangs in the hooks that run during a
session: ``claw -p`` still answers (the broken plugin named on stderr, never a traceback), a hang is
bounded, and ``claw doctor`` reports the plugin as a failure."""

from __future__ import annotations

import inspect
import time

from claw import hookspecs
from claw.testing.script import Reply, Text, ToolCall

HOOKS = sorted(
    name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("claw_")
)


def _raising_plugin() -> str:
    lines = ["from claw import hookimpl", ""]
    for name in HOOKS:
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        lines += ["@hookimpl", f"def {name}({params}):", f'    raise RuntimeError("broken in {name}")', ""]
    return "\n".join(lines)


HANGING = """
import asyncio, time
from claw import hookimpl

@hookimpl
async def claw_session_start(session):
    await asyncio.sleep(3600)

@hookimpl
async def claw_hook_event(event):
    await asyncio.sleep(3600)

@hookimpl
async def claw_tool_result(tool_name, tool_input, result, ctx):
    await asyncio.sleep(3600)
"""


def test_a_plugin_raising_in_every_hook_breaks_nothing(claw, model, plugin_module) -> None:  # type: ignore[no-untyped-def]
    assert len(HOOKS) >= 15
    plugin_module("broken_everywhere", _raising_plugin())
    model.script(Reply(ToolCall("Lookup", {"word": "claw"})), Reply(Text("still answered")))
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--dangerously-skip-permissions")
    assert "Traceback" not in res.stderr, res.stderr
    assert res.exit_code == 0, res.stderr
    assert res.json()["result"] == "still answered"
    assert "broken_everywhere" in res.stderr
    doctor = claw.subprocess("doctor")
    assert doctor.exit_code == 1 and "broken_everywhere" in doctor.stdout + doctor.stderr
    assert "Traceback" not in doctor.stderr


def test_a_plugin_hanging_in_session_hooks_is_bounded(claw, model, plugin_module, claw_env) -> None:  # type: ignore[no-untyped-def]
    plugin_module("hanging_plugin", HANGING)
    claw_env.update(CLAW_SESSION_START_TIMEOUT="1", CLAW_PLUGIN_HOOK_TIMEOUT="1")
    model.script(Reply(ToolCall("Lookup", {"word": "claw"})), Reply(Text("answered anyway")))
    started = time.monotonic()
    res = claw.subprocess("-p", "hi", "--output-format", "json", "--dangerously-skip-permissions", timeout=90)
    elapsed = time.monotonic() - started
    assert "Traceback" not in res.stderr, res.stderr
    assert res.exit_code == 0, res.stderr
    assert res.json()["result"] == "answered anyway"
    assert "hanging_plugin" in res.stderr
    assert elapsed < 60, elapsed
