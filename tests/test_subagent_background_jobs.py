"""A sub-agent's own background ``Bash`` jobs (claw-agents' ``Agent`` with claw-tools-shell's ``Bash``),
as Claude Code handles them since 2.1.267 (anthropics/claude-code#80834): the job's completion notice
goes to the sub-agent that started it; a sub-agent whose turn ends while its job runs is kept alive,
woken when the job ends, and its new answer reaches the parent as a task notification on the sub-agent's
id; stopping the sub-agent, or the end of the parent session, kills its jobs (their process groups).

The scripted model plays parent and child in-process: a responder answers each request from what it
carries (whose conversation it is, by the first user message; the tool results and notices in it).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from claw.testing import process_alive, processes_gone, scripted_provider
from claw.testing.script import Reply, Text, ToolCall

ARGS = ("--model", "scripted/default", "--output-format", "json", "--allowedTools", "Agent,Bash,TaskStop")
CHILD = "start the job"
#: The parent's turn goes on until well after the job ended (claw -p does not wait for jobs).
JOB_WAIT = "for i in $(seq 200); do [ -f job.done ] && break; sleep 0.1; done; sleep 2"
#: The job's shell and a grandchild in its process group each write their pid.
SLEEPER = "sleep 60 & echo $! > grandchild.pid; echo $$ > job.pid; wait"


def _texts(request: Any) -> tuple[str, str]:
    """The first user message's text (whose conversation) and everything the last message says."""
    first = "".join(getattr(b, "text", "") for b in request.messages[0].content)
    return first, json.dumps(request.messages[-1].model_dump(mode="json"))


def _agent_id(last: str) -> str:
    found = re.search(r"agentId: ([0-9a-f-]{36})", last)
    assert found is not None, last
    return found[1]


def _session_events(claw_env: dict[str, str], workspace: Path, session_id: str) -> list[dict[str, Any]]:
    from claw import _paths as paths

    path = paths.sessions_dir(workspace.resolve(), claw_env) / f"{session_id}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _pids(workspace: Path) -> list[int]:
    return [int((workspace / name).read_text()) for name in ("job.pid", "grandchild.pid")]


def test_a_woken_subagents_second_answer_reaches_the_parent(claw, scripted, claw_env, workspace):
    seen: dict[str, Any] = {"parent": []}
    job = {"command": "sleep 1; echo done; touch job.done", "run_in_background": True, "description": "job"}

    def respond(request: Any) -> Any:
        first, last = _texts(request)
        if first == CHILD:
            if len(request.messages) == 1:
                return Reply(ToolCall("Bash", job))
            if "<task-notification>" in last:  # woken: the job's notice is its message
                seen["woken"] = last
                return Reply(Text("the job printed done"))
            return Reply(Text("started the job; I will report when it ends"))
        seen["parent"].append(last)
        if len(request.messages) == 1:
            return Reply(ToolCall("Agent", {"description": "job runner", "prompt": CHILD}))
        if len(request.messages) == 3:  # the Agent tool's result
            seen["first"], seen["id"] = last, _agent_id(last)
            return Reply(ToolCall("Bash", {"command": JOB_WAIT}))
        return Reply(Text("the helper says the job printed done"))

    scripted_provider.RESPONDER = respond
    res = claw("-p", "delegate the job", *ARGS)
    res.assert_success()
    result = res.json()
    agent_id = seen["id"]
    # the first answer is the Agent tool's result, saying the agent lives on
    assert "started the job" in seen["first"] and "kept alive" in seen["first"]
    # the job's notice reached the sub-agent, never the parent
    assert "<task-id>bash_" in seen["woken"] and "<status>completed</status>" in seen["woken"]
    assert not any("<task-id>bash_" in text for text in seen["parent"])
    # its second answer reached the parent as a task notification on the same task id
    told = seen["parent"][-1]
    assert f"<task-id>{agent_id}</task-id>" in told and "<status>completed</status>" in told
    assert "<result>the job printed done</result>" in told
    assert result["result"] == "the helper says the job printed done"
    # the child's woken turn is a notice turn (no prompt) in its own transcript
    child = _session_events(claw_env, workspace, agent_id)
    assert any(e.get("type") == "user" and e.get("notice") for e in child)


def test_a_stopped_subagent_leaves_no_process_behind(claw, scripted, workspace):
    seen: dict[str, Any] = {}

    def respond(request: Any) -> Any:
        first, last = _texts(request)
        if first == CHILD:
            if len(request.messages) == 1:
                return Reply(ToolCall("Bash", {"command": SLEEPER, "run_in_background": True}))
            return Reply(Text("the sleeper runs"))
        if len(request.messages) == 1:
            return Reply(ToolCall("Agent", {"description": "sleeper", "prompt": CHILD}))
        if "agentId: " in last and "id" not in seen:
            seen["id"] = _agent_id(last)
            time.sleep(0.3)  # the job has written its pids
            seen["alive"] = [process_alive(p) for p in _pids(workspace)]
            return Reply(ToolCall("TaskList", {}))
        if "background agent " in last and "list" not in seen:
            seen["list"] = last
            return Reply(ToolCall("TaskStop", {"task_id": seen["id"]}))
        if "Successfully stopped agent" in last:
            seen["after"] = [process_alive(p) for p in _pids(workspace)]
            return Reply(Text("stopped it"))
        return Reply(Text("?"))

    scripted_provider.RESPONDER = respond
    started = time.monotonic()
    claw("-p", "delegate a sleeper", *ARGS).assert_success()
    assert time.monotonic() - started < 30
    assert seen["alive"] == [True, True]
    assert f"background agent {seen['id']} [running] sleeper" in seen["list"]
    # TaskStop returned once the sub-agent had ended, and its jobs (the whole group) with it
    assert seen["after"] == [False, False]


def test_the_parent_session_ending_kills_a_subagents_jobs(claw, scripted, workspace):
    # claw -p does not wait for a kept-alive sub-agent's jobs (as for its own jobs): the run ends with the
    # parent's answer, and the sub-agent, stopped with the session, takes its jobs with it.
    def respond(request: Any) -> Any:
        first = _texts(request)[0]
        if first == CHILD:
            if len(request.messages) == 1:
                return Reply(ToolCall("Bash", {"command": SLEEPER, "run_in_background": True}))
            time.sleep(0.3)  # the job has written its pids
            return Reply(Text("the sleeper runs"))
        if len(request.messages) == 1:
            return Reply(ToolCall("Agent", {"description": "sleeper", "prompt": CHILD}))
        return Reply(Text("delegated"))

    scripted_provider.RESPONDER = respond
    started = time.monotonic()
    result = claw("-p", "delegate a sleeper", *ARGS).assert_success().json()
    assert result["result"] == "delegated" and time.monotonic() - started < 30
    pids = _pids(workspace)
    assert processes_gone(pids, timeout=0.5), "the sub-agent's job outlived the parent session"


def test_a_background_subagents_answers_each_arrive_on_its_id(claw, scripted):
    told: list[str] = []
    job = {"command": "sleep 1; touch job.done", "run_in_background": True}

    def respond(request: Any) -> Any:
        first, last = _texts(request)
        if first == CHILD:
            if len(request.messages) == 1:
                return Reply(ToolCall("Bash", job))
            return Reply(Text("job finished" if "<task-notification>" in last else "job started"))
        if len(request.messages) == 1:
            agent = {"description": "job runner", "prompt": CHILD, "run_in_background": True}
            return Reply(ToolCall("Agent", agent))
        if "<task-notification>" in last:
            told.append(last)
            # claw -p waited for the first answer; the parent waits in its turn for the second
            return (
                Reply(ToolCall("Bash", {"command": JOB_WAIT})) if len(told) == 1 else Reply(Text("both in"))
            )
        return Reply(Text("waiting for the helper"))

    scripted_provider.RESPONDER = respond
    result = claw("-p", "delegate the job", *ARGS).assert_success().json()
    assert result["result"] == "both in" and len(told) == 2
    ids = [re.findall(r"<task-id>(.*?)</task-id>", text) for text in told]
    assert ids[0] == ids[1] and len(ids[0]) == 1 and not ids[0][0].startswith("bash_")
    assert "<result>job started</result>" in told[0] and "<result>job finished</result>" in told[1]


def test_a_message_wakes_a_subagent_kept_alive_for_its_job(claw, scripted, workspace):
    # As in Claude Code, SendMessage resumes a sub-agent that waits on its jobs: it answers at once.
    told: list[str] = []

    def respond(request: Any) -> Any:
        first, last = _texts(request)
        if first == CHILD:
            if len(request.messages) == 1:
                return Reply(ToolCall("Bash", {"command": SLEEPER, "run_in_background": True}))
            return Reply(Text("reported early" if "report now" in last else "the sleeper runs"))
        if len(request.messages) == 1:
            return Reply(ToolCall("Agent", {"description": "sleeper", "prompt": CHILD, "name": "sp"}))
        if "<task-notification>" in last:
            told.append(last)
            return Reply(Text("got it"))
        if "SendMessage" not in json.dumps([m.model_dump(mode="json") for m in request.messages]):
            return Reply(ToolCall("SendMessage", {"to": "sp", "message": "report now"}))
        return Reply(ToolCall("Bash", {"command": "sleep 2"}))

    scripted_provider.RESPONDER = respond
    started = time.monotonic()
    result = claw("-p", "delegate a sleeper", *ARGS[:-1], "Agent,Bash,SendMessage").assert_success().json()
    assert time.monotonic() - started < 30, "woken by the message, not by the job's end a minute later"
    assert result["result"] == "got it" and len(told) == 1
    assert "<result>reported early</result>" in told[0] and "<task-id>bash_" not in told[0]
    assert processes_gone(_pids(workspace), timeout=0.5), "the job outlived the parent session"
