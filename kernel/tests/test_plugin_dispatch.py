"""Every hook is called through pluggy: wrappers, tryfirst/trylast, firstresult and tracing work, and a
plugin that raises is contained (named, skipped) while the others' results still arrive."""

from __future__ import annotations

import asyncio
import json

from claw._app import App
from claw._events import HookEvent
from claw._hook_dispatch import HookContext, HookDispatch
from claw.testing.script import Reply, Text, ToolCall

HANDLERS = """
import claw

@claw.hookimpl(trylast=True)
def claw_hook_event(event):
    if event.hook_event_name == "PreToolUse":
        return claw.HookOutcome(action="block", reason="last resort")

@claw.hookimpl(tryfirst=True, specname="claw_hook_event")
def first(event):
    if event.tool_input.get("command") == "early":
        return claw.HookOutcome(action="block", reason="tryfirst answered")
"""

RAISING = """
import claw

@claw.hookimpl
def claw_hook_event(event):
    raise RuntimeError("handler bug")
"""

WRAPPER = """
import claw

@claw.hookimpl(wrapper=True)
def claw_hook_event(event):
    outcome = yield
    if outcome is not None and outcome.reason == "last resort":
        return claw.HookOutcome(action="block", reason="wrapped: " + outcome.reason)
    return outcome
"""

BROKEN_WRAPPER = """
import claw

@claw.hookimpl(wrapper=True)
def claw_hook_event(event):
    raise RuntimeError("wrapper bug")
    yield
"""


def _runner(claw_env, workspace) -> HookDispatch:
    app = App(workspace=workspace, env=claw_env, load_entry_points=False)
    return HookDispatch(app.pm, HookContext(settings=app.settings, workspace=workspace, env=claw_env))


def _pre(command: str) -> HookEvent:
    return HookEvent(hook_event_name="PreToolUse", tool_name="Bash", tool_input={"command": command})


def test_tryfirst_trylast_and_firstresult_hold(claw_env, workspace, plugin_module):
    plugin_module("dispatch_handlers", HANDLERS)
    runner = _runner(claw_env, workspace)
    assert asyncio.run(runner.run(_pre("early"))).reason == "tryfirst answered"
    assert asyncio.run(runner.run(_pre("other"))).reason == "last resort"


def test_a_raising_handler_is_named_and_the_others_still_answer(claw_env, workspace, plugin_module, capsys):
    plugin_module("dispatch_handlers", HANDLERS)
    plugin_module("dispatch_raising", RAISING)  # registered last: pluggy calls it first
    outcome = asyncio.run(_runner(claw_env, workspace).run(_pre("other")))
    assert outcome.action == "block" and outcome.reason == "last resort"
    assert (
        'plugin "dispatch_raising" raised in claw_hook_event: RuntimeError: handler bug; skipped'
        in capsys.readouterr().err
    )


def test_a_wrapper_sees_and_changes_the_real_result(claw_env, workspace, plugin_module):
    plugin_module("dispatch_handlers", HANDLERS)
    plugin_module("dispatch_wrapper", WRAPPER)
    assert asyncio.run(_runner(claw_env, workspace).run(_pre("other"))).reason == "wrapped: last resort"


def test_a_wrapper_that_raises_is_skipped_not_fatal(claw_env, workspace, plugin_module, capsys):
    plugin_module("dispatch_handlers", HANDLERS)
    plugin_module("dispatch_broken_wrapper", BROKEN_WRAPPER)
    assert asyncio.run(_runner(claw_env, workspace).run(_pre("other"))).reason == "last resort"
    assert 'plugin "dispatch_broken_wrapper" raised in claw_hook_event: RuntimeError: wrapper bug' in (
        capsys.readouterr().err
    )


OBSERVER = """
import json, os
import claw

@claw.hookimpl(wrapper=True)
def claw_runtime_event(event):
    with open(os.environ["OBSERVED"], "a") as fh:
        fh.write(json.dumps(event.type) + "\\n")
    return (yield)
"""


def test_a_wrapper_plugin_observes_a_real_session(claw, loop_env, plugin_module, claw_env, tmp_path):
    observed = tmp_path / "observed.jsonl"
    claw_env["OBSERVED"] = str(observed)
    plugin_module("dispatch_observer", OBSERVER)
    loop_env.script(Reply(ToolCall("Echo", {"text": "hi"})), Reply(Text("done")))
    claw.subprocess("-p", "go").assert_success()
    types = [json.loads(line) for line in observed.read_text().splitlines()]
    assert types == [
        "session_start",
        "turn_start",
        "model_request",
        "model_response",
        "permission_decision",
        "tool_call",
        "model_request",
        "model_response",
        "turn_end",
        "session_end",
    ]


def test_tracing_writes_every_hook_call(claw, claw_env):
    claw_env["CLAW_TRACE_PLUGINS"] = "1"
    done = claw.subprocess("dump-manifests", "--json")
    assert done.exit_code == 0
    assert "claw_register_tools" in done.stderr and "claw_register_providers" in done.stderr


SYNC_ADDER = """
import claw

@claw.hookimpl
def claw_tool_result(tool_name, tool_input, result, ctx):
    if tool_name == "Echo":
        return "sync note on " + tool_input["text"]
"""

ASYNC_ADDER = """
import asyncio
import claw

@claw.hookimpl
async def claw_tool_result(tool_name, tool_input, result, ctx):
    await asyncio.sleep(0)
    return "async note after " + result.content if tool_name == "Echo" else None
"""

RESULT_BREAKER = """
import claw

@claw.hookimpl
def claw_tool_result(tool_name, tool_input, result, ctx):
    raise RuntimeError("broken adder")
"""


def test_every_tool_result_hook_adds_its_text_and_a_broken_one_adds_nothing(claw, loop_env, plugin_module):
    plugin_module("result_adder_sync", SYNC_ADDER)
    plugin_module("result_adder_async", ASYNC_ADDER)
    plugin_module("result_breaker", RESULT_BREAKER)
    loop_env.script(Reply(ToolCall("Echo", {"text": "hi"})), Reply(ToolCall("Boom", {})), Reply(Text("done")))
    done = claw.subprocess("-p", "go").assert_success()
    echo = loop_env.requests[1]["messages"][-1]["content"][0]
    boom = loop_env.requests[2]["messages"][-1]["content"][0]
    text = (
        echo["content"] if isinstance(echo["content"], str) else "".join(b["text"] for b in echo["content"])
    )
    assert text.count("sync note on hi") == 1 and text.count("async note after ") == 1
    assert boom["is_error"] and "note" not in json.dumps(boom["content"])  # failed calls get nothing
    assert "broken adder" in done.stderr  # reported, and the others' texts still arrive
