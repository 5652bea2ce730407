"""Registration, bad input and a worker whose host is killed: each a one-line error or a recorded state."""

from __future__ import annotations

import os
import signal
from typing import Any

from claw.testing import assert_import_light
from claw.testing.script import Reply, Text, ToolCall
from workers_support import settings, store, wait_for, wait_state

TOOLS = (
    "WorkerCreate",
    "WorkerGet",
    "WorkerSendPrompt",
    "WorkerObserve",
    "WorkerAwaitReady",
    "WorkerRestart",
    "WorkerTerminate",
    "TeamCreate",
    "TeamDelete",
    "SendMessage",
)


def test_tools_and_commands_are_registered_and_the_entry_point_is_light(claw: Any) -> None:
    tools = {t["name"]: t for t in claw("dump-manifests", "--json").assert_success().json()["tools"]}
    for name in TOOLS:
        assert tools[name]["source"].startswith("claw-agents "), name
    assert {n for n in TOOLS if tools[n]["read_only"]} == {"WorkerGet", "WorkerObserve", "WorkerAwaitReady"}
    assert "  workers " in claw("--help").assert_success().stdout
    assert claw("workers", "list", "--json").assert_success().json() == []
    assert_import_light(
        "claw_agents.workers.plugin", banned={"claw_agents", "pydantic", "sqlite3"}, only_itself=True
    )


def test_bad_input_gets_one_clear_line(claw: Any, scripted: Any, store: Any, settings: Any) -> None:
    out = claw("workers", "show", "nope")
    assert out.exit_code != 0
    assert out.stderr.strip().splitlines()[-1] == "claw: error: no worker 'nope' (see `claw workers list`)"

    settings({"policies": [{"when": "stale", "then": "merge"}]})
    scripted.script(
        Reply(ToolCall("WorkerCreate", {"name": "x"})),
        Reply(ToolCall("WorkerCreate", {"name": "y", "permission_mode": "bypassPermissions"})),
        Reply(ToolCall("SendMessage", {"to": "nobody", "message": "hi", "summary": "hello"})),
        Reply(Text("done")),
    )
    claw(
        "-p", "--permission-mode", "acceptEdits", "--allowed-tools", "WorkerCreate,SendMessage", "try"
    ).assert_success()
    results = [r["messages"][-1]["content"][0] for r in scripted.requests[1:]]
    assert all(r["is_error"] for r in results)
    assert "settings agents.policies.0.then: Input should be 'rebase', 'rebuild' or 'block'" in str(
        results[0]
    )
    assert "permission_mode 'bypassPermissions' would be wider than this session's (workspace-write)" in str(
        results[1]
    )
    assert "no worker 'nobody'" in str(results[2])
    assert store.workers() == []  # nothing was started by the refused calls


def test_a_worker_whose_host_was_killed_is_reported_failed(
    claw: Any, scripted: Any, store: Any, settings: Any, workspace: Any
) -> None:
    from claw_agents.workers import manager

    worker = manager.create(store, name="h", cwd=workspace, env=dict(os.environ))
    worker = wait_state(store, "h", "ready_for_prompt")
    os.killpg(worker.host_pid, signal.SIGKILL)
    wait_for(lambda: claw("workers", "show", "h", "--json").json()["state"] == "failed", "the failed state")
    record = store.worker("h")
    assert record.failure_class == "protocol"
    assert record.failure == f"its host process {worker.host_pid} is gone; WorkerRestart starts it again"

    # A restart brings it back on the same record.
    claw("workers", "restart", "h").assert_success()
    assert wait_state(store, "h", "ready_for_prompt").host_pid != worker.host_pid
    claw("workers", "terminate", "h").assert_success()
    assert store.worker("h").state == "finished"
