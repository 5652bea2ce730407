"""The kernel's keep-alive of a sub-agent (``SessionContext.run_subagent`` with ``SubagentSpec.on_answer``),
with no sub-agent or shell plugin: a test plugin's ``Spawn`` tool runs a child whose ``Later`` tool tracks
work without ``claw -p`` waiting for it (``track(..., wait=False)``, as claw-tools-shell tracks a
background job). The child's turn ends while that work runs: it is kept alive, woken by the work's notice
(a notice turn), and answers again; then its session ends (``claw_session_end`` with its own context)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import claw
from claw.testing import scripted_provider
from claw.testing.script import Reply, Text, ToolCall

PLUGIN = """
import asyncio, json, time
import claw

class Work(asyncio.Future):
    checks = 0  # how often the session looked whether the tracked work has ended (a poll would, often)

    def done(self):
        Work.checks += 1
        return super().done()


class Later(claw.Tool):
    spec = claw.ToolSpec(name="Later", description="news later", read_only=True)

    async def run(self, input, ctx):
        session, work, loop = ctx.session, Work(), asyncio.get_running_loop()
        Work.checks = 0
        seconds, after = float(input.get("seconds", 0.3)), input.get("after")  # after: ends later than told

        def tell():
            if input.get("tell", True):
                session.notify("<task-notification>the work ended</task-notification>")
            loop.call_later(after or 0, end) if after is not None else end()

        def end():
            work.set_result(None)
            with open(session.workspace / "work.log", "a") as f:
                f.write(json.dumps([time.monotonic(), Work.checks]) + "\\n")

        loop.call_later(seconds, tell)
        session.track(work, wait=False)
        return claw.ToolResult(content="started")

class Spawn(claw.Tool):
    spec = claw.ToolSpec(name="Spawn", description="runs a child", read_only=True)

    async def run(self, input, ctx):
        answers = []
        keep = {} if input.get("once") else {"on_answer": answers.append}
        last = await ctx.session.run_subagent(claw.SubagentSpec(prompt="child task", **keep))
        told = [[a.text, a.kept_alive] for a in answers]
        return claw.ToolResult(content=json.dumps({"answers": told, "last": [last.text, last.kept_alive]}))

@claw.hookimpl
def claw_register_tools(register):
    register(Later())
    register(Spawn())

@claw.hookimpl
def claw_session_end(session):
    with open(session.workspace / "ended.log", "a") as f:
        f.write(json.dumps([session.session_id, len(session.tracked), time.monotonic(), Work.checks]) + "\\n")
"""


#: What the parent's ``Spawn`` call returned.
SPAWNED: dict[str, list[object]] = {}
#: The child's ``Later`` input.
LATER: dict[str, object] = {}


def _respond(request):  # type: ignore[no-untyped-def]
    first = "".join(getattr(b, "text", "") for b in request.messages[0].content)
    last = json.dumps(request.messages[-1].model_dump(mode="json"))
    if first == "child task":
        if len(request.messages) == 1:
            return Reply(ToolCall("Later", LATER))
        return Reply(Text("second answer" if "the work ended" in last else "first answer"))
    if len(request.messages) == 1:
        return Reply(ToolCall("Spawn", {"once": first == "once"}))
    SPAWNED.update(json.loads(request.messages[-1].content[0].content))
    return Reply(Text(SPAWNED["last"][0]))


def _ended(workspace, log="ended.log"):  # type: ignore[no-untyped-def]
    return [json.loads(line) for line in (workspace / log).read_text().splitlines()]


def test_a_child_with_tracked_work_is_kept_alive_and_woken(
    claw, loop_env, plugin_module, workspace, session_events
):
    plugin_module("keep_alive_plugin", PLUGIN)
    scripted_provider.RESPONDER = _respond
    SPAWNED.clear()
    LATER.clear()
    result = claw("-p", "go", "--output-format", "json").assert_success().json()
    assert SPAWNED == {
        "answers": [["first answer", True], ["second answer", False]],
        "last": ["second answer", False],
    }
    assert result["result"] == "second answer"
    # the child's session ended (its own claw_session_end, its work done) before the parent's
    (child_id, child_tracked, *_), (parent_id, *_) = _ended(workspace)
    assert parent_id == result["session_id"] and child_id != parent_id and child_tracked == 0
    woken = [e for e in session_events(child_id) if e.get("type") == "user" and e.get("notice")]
    assert len(woken) == 1 and "the work ended" in json.dumps(woken[0])


def test_without_on_answer_the_child_ends_with_its_turn(claw, loop_env, plugin_module, workspace):
    plugin_module("keep_alive_plugin", PLUGIN)
    scripted_provider.RESPONDER = _respond
    SPAWNED.clear()
    LATER.clear()
    result = claw("-p", "once", "--output-format", "json").assert_success().json()
    assert result["result"] == "first answer" and SPAWNED == {"answers": [], "last": ["first answer", False]}
    (child_id, child_tracked, *_), (parent_id, *_) = _ended(workspace)
    # its session ended at once, its tracked work still running (its plugin stops it in claw_session_end)
    assert parent_id == result["session_id"] and child_id != parent_id and child_tracked == 1


def _spawn(claw, workspace, **later):  # type: ignore[no-untyped-def]
    """Run the parent with the child's ``Later`` input; the child's end (time, checks) and its work's."""
    SPAWNED.clear()
    LATER.clear()
    LATER.update(later)
    (workspace / "ended.log").unlink(missing_ok=True)
    (workspace / "work.log").unlink(missing_ok=True)
    claw("-p", "go", "--output-format", "json").assert_success()
    return _ended(workspace)[0][2:], _ended(workspace, "work.log")[0]


def test_a_kept_alive_child_waits_on_events_not_a_timer(claw, loop_env, plugin_module, workspace):
    # While its work runs, the kept-alive child looks at it only when something happens: as often for
    # work of 2 s as for work of 0.2 s (a poll every 0.5 s would look again at each tick).
    plugin_module("keep_alive_plugin", PLUGIN)
    scripted_provider.RESPONDER = _respond
    (_, short), _ = _spawn(claw, workspace, seconds=0.2)
    (_, long), _ = _spawn(claw, workspace, seconds=2)
    assert SPAWNED["answers"] == [["first answer", True], ["second answer", False]]
    assert long == short


def test_work_ending_without_a_notice_ends_the_keep_alive_at_once(claw, loop_env, plugin_module, workspace):
    plugin_module("keep_alive_plugin", PLUGIN)
    scripted_provider.RESPONDER = _respond
    # the work ends without announcing it: no answer to give, the child ends
    (ended, _), (work_ended, _) = _spawn(claw, workspace, seconds=0.3, tell=False)
    assert SPAWNED == {"answers": [["first answer", True]], "last": ["first answer", False]}
    assert ended - work_ended < 0.25
    # the work announced its end (the child answered it) and ended a while later, with nothing new to tell
    (ended, _), (work_ended, _) = _spawn(claw, workspace, seconds=0.2, after=0.6)
    assert SPAWNED["answers"] == [["first answer", True], ["second answer", True]]
    assert SPAWNED["last"] == ["second answer", False] and ended - work_ended < 0.25


#: A plugin running every sub-agent itself (``claw_subagent_runner``), in place of the ``subagents`` built-in.
RUNNER = """
import claw

@claw.hookimpl
def claw_subagent_runner(session):
    async def run(spec):
        return claw.SubagentResult(agent_id="elsewhere", agent_type=spec.agent_type, text="ran elsewhere: "
            + spec.prompt, is_error=False, subtype="success", num_turns=0, duration_ms=0, total_cost_usd=0)
    return run
"""


def _spawn_result(claw, loop_env):  # type: ignore[no-untyped-def]
    """What the parent's ``Spawn`` call (``once``) answered the model."""
    scripted_provider.RESPONDER = None
    loop_env.script(Reply(ToolCall("Spawn", {"once": True})), Reply(Text("done")))
    claw("-p", "once", "--output-format", "json").assert_success()
    return loop_env.requests[-1]["messages"][-1]["content"][0]


def test_a_plugin_replaces_the_subagents_builtin(claw, loop_env, plugin_module):
    plugin_module("keep_alive_plugin", PLUGIN)
    plugin_module("runner_plugin", RUNNER)
    answer = _spawn_result(claw, loop_env)
    assert json.loads(answer["content"]) == {"answers": [], "last": ["ran elsewhere: child task", False]}
    assert len(loop_env.requests) == 2  # no child loop asked the model anything


def test_with_the_subagents_builtin_disabled_a_subagent_is_one_line(claw, loop_env, plugin_module, claw_env):
    plugin_module("keep_alive_plugin", PLUGIN)
    claw_env["CLAW_DISABLE_PLUGINS"] = "subagents"
    answer = _spawn_result(claw, loop_env)
    assert answer["is_error"] and answer["content"] == (
        "sub-agents come with claw's built-in plugin 'subagents', which is disabled "
        "(settings plugins.disabled or CLAW_DISABLE_PLUGINS)"
    )


def test_a_notice_sent_from_a_worker_thread_wakes_a_waiter_at_once(tmp_path: Path) -> None:
    """A plain-function tool runs in a worker thread: its ``notify`` is handed to the event loop, which it
    wakes (set from the thread, the event would wake nobody until something else woke the loop)."""

    async def main() -> float:
        session = claw.SessionContext(session_id="s", workspace=tmp_path, settings={}, env={})
        waiting = asyncio.ensure_future(session.wait_notices())
        await asyncio.sleep(0.05)
        started = time.monotonic()
        # A bare thread, once the loop sleeps: its end does not wake the loop (asyncio.to_thread's would).
        threading.Timer(0.2, session.notify, args=("from a thread",)).start()
        await asyncio.wait_for(waiting, timeout=5)
        assert session.take_notices() == ["from a thread"]
        return time.monotonic() - started

    assert asyncio.run(main()) < 1.0
