"""Sub-agents end to end: ``claw -p`` with the scripted model calling the ``Agent`` tool.

The scripted model (``claw.testing``) plays both the parent and its sub-agents; in-process runs use
a responder that answers each request from what it carries (the parent's tool results, a child's
prompt), so concurrent children get their own answers whatever order they ask in.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from claw.testing import scripted_provider
from claw.testing.script import Fault, Reply, Text, ToolCall, Usage


def _first_user_text(request: Any) -> str:
    content = request.messages[0].content
    return "".join(getattr(b, "text", "") for b in content)


def _tool_results(request: Any) -> dict[str, str]:
    """tool_use_id -> result text of the last user message."""
    out = {}
    for block in request.messages[-1].content:
        if getattr(block, "type", "") == "tool_result":
            content = block.content
            out[block.tool_use_id] = (
                content if isinstance(content, str) else "".join(getattr(c, "text", "") for c in content)
            )
    return out


def _go(run: Any, *options: str, prompt: str = "go") -> dict[str, Any]:
    """``claw -p <prompt>`` on the scripted model with JSON output and ``options``, checked successful; its
    result object. ``run`` is the ``claw`` fixture (in-process) or its ``subprocess``."""
    res = run("-p", prompt, "--model", "scripted/default", "--output-format", "json", *options)
    res.assert_success()
    return res.json()


def _session_events(directory: Path, session_id: str) -> list[dict[str, Any]]:
    path = directory / f"{session_id}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _sessions_dir(claw_env: dict[str, str], workspace: Path) -> Path:
    from claw import _paths as paths

    return paths.sessions_dir(workspace.resolve(), claw_env)


def test_three_parallel_subagents_overlap_and_answer_their_own_calls(claw, scripted):
    stall = 1.0  # each child's model answers a second after it is asked: in a row, three take 3 s
    arrivals: dict[str, float] = {}
    lock = threading.Lock()
    calls = [
        ToolCall("Agent", {"description": f"look at {n}", "prompt": f"task {n}"}, id=f"toolu_{n}")
        for n in ("alpha", "beta", "gamma")
    ]

    def respond(request: Any) -> Any:
        first = _first_user_text(request)
        with lock:
            arrivals[first if first.startswith("task ") else f"parent {len(request.messages)}"] = (
                time.monotonic()
            )
        if first.startswith("task "):
            return Fault(
                kind="stall", seconds=stall, after_events=0, reply=Reply(Text(f"report on {first[5:]}"))
            )
        results = _tool_results(request)
        if not results:
            return Reply(Text("Fanning out."), *calls)
        return Reply(Text("ALL: " + json.dumps(results)))

    scripted_provider.RESPONDER = respond
    result = _go(claw, prompt="review three modules")
    answers = json.loads(result["result"].removeprefix("ALL: "))
    for name in ("alpha", "beta", "gamma"):
        assert answers[f"toolu_{name}"].startswith(f"report on {name}\n")
        assert "agentId: " in answers[f"toolu_{name}"]
    children = [arrivals[f"task {n}"] for n in ("alpha", "beta", "gamma")]
    # every child asked its model before the first of them was answered, and the batch took about
    # one child's time, not three
    assert max(children) - min(children) < stall
    assert arrivals["parent 3"] - min(children) < 2 * stall
    # usage and cost: 2 parent requests + 3 children, 10 input tokens and 5 output tokens each
    assert result["usage"]["input_tokens"] == 50 and result["usage"]["output_tokens"] == 25
    assert result["total_cost_usd"] == pytest.approx(5 * (10 * 3.0 + 5 * 15.0) / 1e6)


def test_definition_narrows_tools_and_child_cannot_spawn(claw, scripted, workspace):
    agents = workspace / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "reader.md").write_text(
        "---\nname: reader\ndescription: Reads files only.\ntools: Read, Glob\nmodel: inherit\n---\n"
        "You only read. SECRET-PROMPT-MARK\n"
    )
    (workspace / "notes.txt").write_text("forty-two\n")
    scripted.script(
        Reply(ToolCall("Agent", {"description": "read", "prompt": "read notes", "subagent_type": "reader"})),
        Reply(ToolCall("Bash", {"command": "echo hi"})),  # the child tries a tool it was not given
        Reply(Text("could not run Bash")),
        Reply(Text("parent done")),
    )
    result = _go(claw)
    assert result["result"] == "parent done"
    parent_first, child_first, child_second, parent_second = scripted.requests
    assert "Agent" in [t["name"] for t in parent_first["tools"]]
    assert sorted(t["name"] for t in child_first["tools"]) == ["Glob", "Read"]
    assert "SECRET-PROMPT-MARK" in json.dumps(child_first["system"])
    denied = child_second["messages"][-1]["content"][0]
    assert denied["is_error"] and "Unknown tool: Bash" in json.dumps(denied)
    answer = json.dumps(parent_second["messages"][-1]["content"][0])
    assert "could not run Bash" in answer


def test_agents_json_option_defines_a_type(claw, scripted):
    agents = json.dumps({"shouter": {"description": "Shouts.", "prompt": "SHOUT-MARK", "tools": ["Read"]}})
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p", "subagent_type": "shouter"})),
        Reply(Text("LOUD")),
        Reply(Text("ok")),
    )
    assert _go(claw, "--agents", agents)["result"] == "ok"
    child = scripted.requests[1]
    assert "SHOUT-MARK" in json.dumps(child["system"]) and [t["name"] for t in child["tools"]] == ["Read"]
    bad = claw("--agents", "{not json", "-p", "go", "--model", "scripted/default")
    assert bad.exit_code != 0 and "--agents" in bad.stderr and "invalid JSON" in bad.stderr


def test_broken_frontmatter_names_file_and_line(claw, scripted, workspace):
    agents = workspace / ".claw" / "agents"
    agents.mkdir(parents=True)
    broken = agents / "broken.md"
    broken.write_text("---\nname: broken\ndescription: fine\nthis line has no colon\n---\nbody\n")
    scripted.script(Reply(ToolCall("Agent", {"description": "x", "prompt": "p"})), Reply(Text("ok")))
    _go(claw)
    error = scripted.requests[1]["messages"][-1]["content"][0]
    assert error["is_error"] and f"{broken}:4: invalid YAML frontmatter" in json.dumps(error)
    listing = claw("agents", "list")
    assert listing.exit_code != 0 and f"{broken}:4" in listing.stderr
    broken.write_text("---\nname: broken\ndescription: never closed\n")
    listing = claw("agents", "list")
    assert (
        listing.exit_code != 0
        and f"{broken}:1: the frontmatter opened here is never closed" in listing.stderr
    )


def test_definitions_are_read_as_yaml_as_claude_code_writes_them(claw, workspace):
    """Block scalars, flow lists and comments (YAML the hand-written parser could not read), and an
    unquoted description with ``: `` in it, which strict YAML rejects but Claude Code accepts."""
    agents = workspace / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "folded.md").write_text(
        "\ufeff---\r\nname: folded  # the type's name\r\ndescription: >\r\n  Reviews a diff.\r\n"
        "  Use after every change.\r\ntools: [Read, Grep]\r\n---\r\nYou review.\r\n"
    )
    (agents / "colons.md").write_text(
        "---\nname: colons\ndescription: Use when: the user asks. Examples: <example>Context: x</example>\n"
        "tools: Read, Bash\n---\nBody.\n"
    )
    by_name = {d["name"]: d for d in json.loads(claw("agents", "list", "--json").assert_success().stdout)}
    assert by_name["folded"]["description"] == "Reviews a diff. Use after every change."
    assert by_name["folded"]["tools"] == ["Read", "Grep"] and by_name["folded"]["prompt"] == "You review."
    assert (
        by_name["colons"]["description"] == "Use when: the user asks. Examples: <example>Context: x</example>"
    )
    assert by_name["colons"]["tools"] == ["Read", "Bash"]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_worktree_isolation_leaves_the_parent_checkout_untouched(claw, scripted, workspace):
    _git(workspace, "init", "-q", "-b", "main")
    _git(
        workspace, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "base"
    )
    (workspace / "tracked.txt").write_text("v1\n")
    _git(workspace, "add", "tracked.txt")
    _git(workspace, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "-m", "tracked")
    scripted.script(
        Reply(ToolCall("Agent", {"description": "edit", "prompt": "write", "isolation": "worktree"})),
        Reply(ToolCall("Write", {"file_path": "made-by-child.txt", "content": "child\n"})),
        Reply(Text("wrote it")),
        Reply(Text("parent done")),
    )
    assert _go(claw, "--permission-mode", "acceptEdits")["result"] == "parent done"
    assert not (workspace / "made-by-child.txt").exists()
    assert (
        _git(workspace, "status", "--porcelain") == ""
        and _git(workspace, "branch", "--show-current") == "main\n"
    )
    answer = json.dumps(scripted.requests[3]["messages"][-1]["content"][0])
    assert "wrote it" in answer and "branch claw/agent-" in answer
    worktrees = _git(workspace, "worktree", "list", "--porcelain")
    child_root = Path(next(line[9:] for line in worktrees.splitlines()[3:] if line.startswith("worktree ")))
    assert (child_root / "made-by-child.txt").read_text() == "child\n"
    assert str(child_root) in json.dumps(scripted.requests[1]["system"])  # the child was told where it works


def test_worktree_isolation_without_changes_removes_the_worktree(claw, scripted, workspace):
    _git(workspace, "init", "-q", "-b", "main")
    _git(
        workspace, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "base"
    )
    scripted.script(
        Reply(ToolCall("Agent", {"description": "look", "prompt": "look", "isolation": "worktree"})),
        Reply(Text("nothing to change")),
        Reply(Text("ok")),
    )
    _go(claw)
    assert len(_git(workspace, "worktree", "list").splitlines()) == 1
    assert "claw/agent-" not in _git(workspace, "branch", "--list")


def test_worktree_isolation_outside_git_is_a_tool_error(claw, scripted, workspace):
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p", "isolation": "worktree"})),
        Reply(Text("ok")),
    )
    _go(claw)
    error = scripted.requests[1]["messages"][-1]["content"][0]
    assert error["is_error"] and 'isolation \\"worktree\\" needs a git repository' in json.dumps(error)
    assert len(scripted.requests) == 2  # no child ever asked the model


def test_subagent_whose_model_fails_reports_the_error_and_the_parent_goes_on(claw, scripted, claw_env):
    claw_env["CLAW_MAX_RETRIES"] = "2"
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p"})),
        Fault(status=500),
        Fault(status=500),
        Fault(status=500),
        Reply(Text("the helper failed; done anyway")),
    )
    result = _go(claw)
    assert result["result"] == "the helper failed; done anyway"
    error = scripted.requests[4]["messages"][-1]["content"][0]
    assert error["is_error"] and "API error 500" in json.dumps(error)
    assert "the sub-agent failed (error_during_execution)" in json.dumps(error)


def test_mode_is_never_wider_than_the_parents(claw, scripted, claw_env, workspace):
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p", "mode": "bypassPermissions"})),
        Reply(ToolCall("Write", {"file_path": "w.txt", "content": "x"})),
        Reply(Text("child done")),
        Reply(Text("ok")),
    )
    result = _go(claw, "--permission-mode", "plan")
    assert result["result"] == "ok" and not (workspace / "w.txt").exists()
    events = _session_events(_sessions_dir(claw_env, workspace), result["session_id"])
    started = next(e for e in events if e["type"] == "subagent" and e["status"] == "started")
    assert started["permission_mode"] == "read-only"
    denied = scripted.requests[2]["messages"][-1]["content"][0]
    assert denied["is_error"]


def test_subagent_hooks_fire_with_agent_fields(claw, scripted, workspace, tmp_path):
    log = tmp_path / "hooks.jsonl"
    command = f"cat >> {log}; echo >> {log}"
    settings = {
        "hooks": {
            event: [{"matcher": "general-purpose", "hooks": [{"type": "command", "command": command}]}]
            for event in ("SubagentStart", "SubagentStop")
        }
        | {
            name: [{"hooks": [{"type": "command", "command": command}]}]
            for name in ("Stop", "UserPromptSubmit", "SessionStart")
        }
    }
    other = tmp_path / "other-type.txt"
    settings["hooks"]["SubagentStart"].append(
        {"matcher": "reviewer", "hooks": [{"type": "command", "command": f"touch {other}"}]}
    )
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps(settings))
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p"})),
        Reply(Text("child answer")),
        Reply(Text("ok")),
    )
    result = _go(claw)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    # the child fires SubagentStart/SubagentStop instead of SessionStart, UserPromptSubmit and Stop
    names = [e["hook_event_name"] for e in events]
    assert names == ["SessionStart", "UserPromptSubmit", "SubagentStart", "SubagentStop", "Stop"]
    start, stop = events[2], events[3]
    assert start["session_id"] == result["session_id"] and start["agent_type"] == "general-purpose"
    assert stop["agent_id"] == start["agent_id"] != result["session_id"]
    assert stop["last_assistant_message"] == "child answer"
    assert stop["agent_transcript_path"].endswith(f"{start['agent_id']}.jsonl")
    assert not other.exists()  # the matcher is the agent type


def test_timeline_links_the_child_session(claw, scripted):
    scripted.script(
        Reply(ToolCall("Agent", {"description": "summarise docs", "prompt": "p"})),
        Reply(Text("child answer")),
        Reply(Text("ok")),
    )
    result = _go(claw)
    parent = json.loads(
        claw("timeline", "--format", "json", "--session", result["session_id"]).assert_success().stdout
    )
    linked = [e for e in parent["events"] if e["type"] == "subagent"]
    assert [e["details"]["status"] for e in linked] == ["started", "completed"]
    agent_id = linked[0]["details"]["agent_id"]
    assert "summarise docs" in linked[0]["summary"] and f"--session {agent_id}" in linked[1]["summary"]
    child = json.loads(claw("timeline", "--format", "json", "--session", agent_id).assert_success().stdout)
    start = child["events"][0]
    assert start["details"]["parent_session_id"] == result["session_id"]
    assert "sub-agent general-purpose of" in start["summary"]
    assert any("child answer" in e["summary"] for e in child["events"])
    listed = json.loads(claw("sessions", "list", "--json").assert_success().stdout)
    assert {s["session_id"]: s["parent_session_id"] for s in listed}[agent_id] == result["session_id"]


def test_background_subagent_is_announced_when_it_ends(claw, scripted):
    told: list[str] = []

    def respond(request: Any) -> Any:
        first = _first_user_text(request)
        if first == "slow task":
            return Fault(kind="stall", seconds=0.3, after_events=0, reply=Reply(Text("background report")))
        text = json.dumps([m.model_dump(mode="json") for m in request.messages])
        if "task-notification" in text:
            told.extend(b.text for b in request.messages[-1].content if b.type == "text")
            return Reply(Text("got the report"))
        if len(request.messages) == 1:
            return Reply(
                ToolCall("Agent", {"description": "slow", "prompt": "slow task", "run_in_background": True})
            )
        return Reply(Text("waiting for it"))

    scripted_provider.RESPONDER = respond
    result = _go(claw)
    assert result["result"] == "got the report"
    assert result["usage"]["input_tokens"] == 40  # 3 parent requests + the background child
    agent_id = told[-1].split("<task-id>")[1].split("</task-id>")[0]
    assert told[-1] == (
        f"<task-notification>\n<task-id>{agent_id}</task-id>\n<status>completed</status>\n"
        '<summary>Agent "slow" completed</summary>\n<result>background report</result>\n'
        "</task-notification>"
    )


def test_agents_list_and_show(claw, workspace, claw_env):
    (workspace / ".claude" / "agents").mkdir(parents=True)
    (workspace / ".claude" / "agents" / "rev.md").write_text(
        "---\nname: reviewer\ndescription: Reviews\n  diffs.\ntools:\n  - Read\n  - Grep\nmodel: haiku\n---\nReview.\n"
    )
    user = Path(claw_env["CLAW_CONFIG_DIR"]) / "agents"
    user.mkdir(parents=True)
    (user / "rev.md").write_text("---\nname: reviewer\ndescription: the user's, shadowed\n---\nx\n")
    (user / "mine.md").write_text("---\nname: mine\ndescription: 'user agent: quoted'\n---\nmine\n")
    listed = json.loads(claw("agents", "list", "--json").assert_success().stdout)
    by_name = {d["name"]: d for d in listed}
    assert set(by_name) == {"reviewer", "mine", "general-purpose"}
    assert by_name["reviewer"]["source"] == "project" and by_name["reviewer"]["tools"] == ["Read", "Grep"]
    assert by_name["reviewer"]["description"] == "Reviews diffs." and by_name["mine"]["source"] == "user"
    assert by_name["mine"]["description"] == "user agent: quoted"
    shown = json.loads(claw("agents", "show", "reviewer", "--json").assert_success().stdout)
    assert shown["model"] == "haiku" and shown["prompt"] == "Review."
    text = claw("agents", "list").assert_success().stdout
    assert "reviewer" in text and "general-purpose" in text
    missing = claw("agents", "show", "nope")
    assert missing.exit_code != 0 and "no sub-agent type 'nope'" in missing.stderr


def test_subprocess_run_counts_the_child(claw, scripted):
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p"})),
        Reply(Text("child"), usage=Usage(input_tokens=100, output_tokens=1)),
        Reply(Text("ok")),
    )
    result = _go(claw.subprocess)
    assert result["usage"]["input_tokens"] == 120 and result["result"] == "ok"


STOPPER = """
import claw

class StopTask(claw.Tool):
    # What TaskStop does with a background sub-agent: find it on the kernel's task backend by id.
    spec = claw.ToolSpec(
        name="StopTask",
        description="Stops a background task.",
        input_schema={"type": "object", "properties": {"task_id": {"type": "string"}}},
        read_only=True,
    )

    async def run(self, input, ctx):
        handle = ctx.session.task_backends["local"].handle(input["task_id"])
        if handle is None:
            raise claw.ToolError("no such task")
        await handle.cancel()
        return claw.ToolResult(content=f"stopped {handle.id}, done={handle.done()}")

@claw.hookimpl
def claw_register_tools(register):
    register(StopTask())
"""


def test_background_subagent_is_reachable_through_the_task_backend(claw, scripted, plugin_module):
    plugin_module("stop_task_tool", STOPPER)

    def respond(request: Any) -> Any:
        if _first_user_text(request) == "endless task":
            return Fault(kind="stall", seconds=30, after_events=0, reply=Reply(Text("never")))
        text = json.dumps([m.model_dump(mode="json") for m in request.messages])
        if "task-notification" in text:
            return Reply(Text("noted: " + ("stopped" if "the agent was stopped" in text else "?")))
        results = _tool_results(request)
        if not results:
            agent = {"description": "endless", "prompt": "endless task", "run_in_background": True}
            return Reply(ToolCall("Agent", agent))
        launched = next(iter(results.values()))
        if "agentId: " in launched:
            agent_id = launched.split("agentId: ")[1].split()[0]
            return Reply(ToolCall("StopTask", {"task_id": agent_id}))
        return Reply(Text("asked it to stop"))

    scripted_provider.RESPONDER = respond
    started = time.monotonic()
    result = _go(claw)
    assert result["result"] == "noted: stopped"
    assert time.monotonic() - started < 20  # the stalled child was cancelled, not waited for


def _last_text(request: Any) -> str:
    """Everything the last message of ``request`` says (its text and tool results)."""
    return json.dumps(request.messages[-1].model_dump(mode="json"))


def test_running_background_subagent_is_read_listed_and_stopped(claw, scripted, workspace):
    (workspace / "notes.txt").write_text("x\n")
    seen: dict[str, str] = {}

    def respond(request: Any) -> Any:
        if _first_user_text(request) == "slow child":
            if len(request.messages) == 1:  # the child's first step is in its transcript, then it stalls
                return Reply(Text("working on it"), ToolCall("Glob", {"pattern": "*.txt"}))
            return Fault(kind="stall", seconds=30, after_events=0, reply=Reply(Text("never")))
        if len(request.messages) == 1:
            agent = {"description": "slow", "prompt": "slow child", "run_in_background": True, "name": "sp"}
            return Reply(ToolCall("Agent", agent))
        results, last = _tool_results(request), _last_text(request)
        if "<task-notification>" in last:  # with TaskStop's result
            seen["stop"] = last
            return Reply(Text("noted: " + ("stopped" if "the agent was stopped" in last else "?")))
        result = next(iter(results.values()), "")
        if "agentId: " in result:
            seen["id"] = result.split("agentId: ")[1].split()[0]
            call = ToolCall("TaskOutput", {"task_id": seen["id"], "block": False})
            return Fault(kind="stall", seconds=1.5, after_events=0, reply=Reply(call))  # the child works
        if "<task_type>agent</task_type>" in result:
            seen["output"] = result
            # another process sees it too (the loop is blocked meanwhile: the child cannot end)
            seen["cli"] = claw.subprocess("tasks", "list", "--json").assert_success().stdout
            return Reply(ToolCall("TaskList", {}))
        if "background agent " in result:
            seen["list"] = result
            return Reply(ToolCall("TaskStop", {"task_id": seen["id"]}))
        return Reply(Text("asked it to stop"))

    scripted_provider.RESPONDER = respond
    started = time.monotonic()
    result = _go(claw, "--allowedTools", "TaskStop")
    assert time.monotonic() - started < 25  # the stalled child was stopped, not waited for
    assert result["result"] == "noted: stopped"
    output = seen["output"]
    assert "<retrieval_status>not_ready</retrieval_status>" in output and "<status>running</status>" in output
    assert "[user] slow child" in output and "[assistant] working on it" in output
    assert '[tool call] Glob {"pattern": "*.txt"}' in output and "notes.txt" in output
    assert "<next_offset>" in output  # still running: more to read later
    assert f"background agent {seen['id']} [running] slow (name: sp)" in seen["list"]
    listed = {a["id"]: a for a in json.loads(seen["cli"])}
    assert listed[seen["id"]]["kind"] == "agent" and listed[seen["id"]]["name"] == "sp"
    assert f"Successfully stopped agent: {seen['id']}" in seen["stop"]
    # once stopped it is gone from `claw tasks list`
    after = json.loads(claw("tasks", "list", "--json").assert_success().stdout)
    assert seen["id"] not in {a["id"] for a in after}


def test_send_message_reaches_a_running_named_subagent(claw, scripted):
    child_requests: list[str] = []

    def respond(request: Any) -> Any:
        if _first_user_text(request) == "helper task":
            text = json.dumps([m.model_dump(mode="json") for m in request.messages])
            child_requests.append(text)
            if len(request.messages) == 1:  # slow first step: the parent's message arrives meanwhile
                call = ToolCall("Glob", {"pattern": "*"})
                return Fault(kind="stall", seconds=1.5, after_events=0, reply=Reply(call))
            return Reply(Text("saw PINEAPPLE" if "PINEAPPLE" in text else "no message"))
        if len(request.messages) == 1:
            agent = {
                "description": "help",
                "prompt": "helper task",
                "run_in_background": True,
                "name": "helper",
            }
            return Reply(ToolCall("Agent", agent))
        last = _last_text(request)
        if "<task-notification>" in last:
            return Reply(Text("child said: " + last.split("<result>")[1].split("</result>")[0]))
        if "agentId: " in last:
            return Reply(ToolCall("SendMessage", {"to": "helper", "message": "also check PINEAPPLE"}))
        return Reply(Text("sent"))

    scripted_provider.RESPONDER = respond
    result = _go(claw, "--allowedTools", "SendMessage")
    assert result["result"] == "child said: saw PINEAPPLE"
    assert len(child_requests) == 2 and "PINEAPPLE" not in child_requests[0]
    assert '<teammate-message teammate_id=\\"lead\\">' in child_requests[1]


@pytest.mark.parametrize(
    ("tool", "tool_input", "options", "says"),
    [
        pytest.param(
            "Agent",
            {"description": "x", "prompt": "p", "subagent_type": "nope"},
            (),
            ["unknown subagent_type 'nope'; available agent types: general-purpose"],
            id="unknown_subagent_type_lists_the_known_ones",
        ),
        pytest.param(
            "Agent",
            {"description": "x", "prompt": "p", "model": "nowhere/none"},
            (),
            ["the sub-agent could not start: ", "nowhere"],
            id="a_subagent_that_cannot_start",
        ),
        pytest.param(
            "SendMessage",
            {"to": "nobody", "message": "hi"},
            ("--allowedTools", "SendMessage"),
            ["no worker 'nobody'"],
            id="send_message_to_an_unknown_name",
        ),
    ],
)
def test_a_call_that_cannot_be_served_is_a_tool_error(claw, scripted, tool, tool_input, options, says):
    scripted.script(Reply(ToolCall(tool, tool_input)), Reply(Text("ok")))
    assert _go(claw, *options)["result"] == "ok"  # the parent goes on
    error = scripted.requests[1]["messages"][-1]["content"][0]
    assert error["is_error"]
    assert all(text in json.dumps(error) for text in says), error


def test_the_childs_api_time_counts_in_the_parents_duration_api_ms(claw, scripted):
    scripted.script(
        Reply(ToolCall("Agent", {"description": "x", "prompt": "p"})),
        Fault(kind="stall", seconds=1.2, after_events=0, reply=Reply(Text("child"))),
        Reply(Text("ok")),
    )
    result = _go(claw)
    assert result["result"] == "ok"
    assert result["duration_api_ms"] >= 1200  # the parent's own two requests take a few ms
